/**
 * Import data's files in the CLI: each at its path relative to the graph file, and only if it is the file
 * the graph recorded. Its size is checked before it is read (so a hostile graph cannot point the CLI at a
 * device or a huge file and have it read), then its SHA-256.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { changedFileMessage, sha256Hex, type FileRef, type FileStore } from '../graph/files';

/** A store that reads files relative to `dir`, the graph file's folder. */
export function directoryFileStore(dir: string): FileStore {
  return {
    async read(ref: FileRef, signal?: AbortSignal): Promise<Uint8Array> {
      if (isAbsolute(ref.name) || /^[A-Za-z]:|^\\/.test(ref.name)) {
        throw new Error(`${ref.name}: a file is named by its path relative to the graph file, not an absolute path`);
      }
      const path = resolve(dir, ref.name);
      const where = ` (looked for ${path}, relative to the graph file)`;
      let size: number;
      try {
        const info = await stat(path);
        if (!info.isFile()) throw new Error(`${ref.name}: it is not a regular file${where}`);
        size = info.size;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!code) throw error;
        throw new Error(
          code === 'ENOENT'
            ? `${ref.name}: there is no such file${where}`
            : `${ref.name}: cannot read it (${code})${where}`,
          { cause: error },
        );
      }
      if (size !== ref.bytes) throw new Error(changedFileMessage(ref, { bytes: size }));
      const read = await readFile(path, { signal });
      // Bytes of their own (a Buffer may share a larger pool): the engine may move them to a worker.
      const bytes =
        read.byteOffset === 0 && read.buffer.byteLength === read.length
          ? new Uint8Array(read.buffer)
          : new Uint8Array(read);
      const sha256 = await sha256Hex(bytes);
      if (bytes.length !== ref.bytes || sha256 !== ref.sha256) {
        throw new Error(changedFileMessage(ref, { bytes: bytes.length, sha256 }));
      }
      return bytes;
    },
  };
}

/** A store for a graph run without a graph file: every read says why it cannot be done. */
export const noFileStore: FileStore = {
  read: (ref) =>
    Promise.reject(new Error(`${ref.name}: this run has no graph file to read it relative to (RunOptions.graphFile)`)),
};
