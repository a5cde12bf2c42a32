/**
 * Files a graph reads (Import data's .npy and .npz), named by their content. A graph file records each one
 * as a FileRef; a FileStore turns the ref back into bytes: in the CLI the file at that path relative to the
 * graph file (src/cli/file-store.ts), in the app the copy kept in the browser's storage when it was dropped
 * (src/editor/file-store.ts). Either refuses a file that is missing or not the one recorded, naming it.
 *
 * The engine asks the store before a run (NodeDefinition.files) and hands the bytes to the run wherever it
 * runs (RunContext.readFile), so a node stays a function of its params, and a worker needs no store.
 */

/** A file as a graph file records it. */
export interface FileRef {
  /** In the CLI, a path relative to the graph file ('/'-separated); in the app, the name it was dropped with. */
  name: string;
  /** The SHA-256 of its bytes, as 64 lower-case hex digits: what a store keeps it by. */
  sha256: string;
  /** Its size: a store refuses a file of another size before reading any of it. */
  bytes: number;
}

/**
 * A file's bytes as a store hands them over: a Blob where the store keeps one (the browser's), which reaches
 * a worker without being read on the page's thread. Each read returns bytes of its own: the engine may move
 * them to another thread.
 */
export type FileContents = Uint8Array | Blob;

export interface FileStore {
  /** The file's bytes; throws an Error naming the file when it is missing or is not the file `ref` records. */
  read(ref: FileRef, signal?: AbortSignal): Promise<FileContents>;
}

export const SHA256 = /^[0-9a-f]{64}$/;

/** SHA-256 as lower-case hex: off this thread (Web Crypto) in browsers and in Node. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The start of a hash, as messages show it. */
export const shortHash = (sha256: string) => sha256.slice(0, 12);

/** Why a file's bytes are not the ones a graph recorded, in the words every store uses. */
export function changedFileMessage(ref: FileRef, found: { bytes: number; sha256?: string }, where = ''): string {
  const what = found.sha256
    ? `its SHA-256 is ${shortHash(found.sha256)}…, the graph records ${shortHash(ref.sha256)}…`
    : `it has ${found.bytes} bytes, the graph records ${ref.bytes}`;
  return `${ref.name}${where} is not the file this graph was made with (${what}): put the recorded file back, or import the new one`;
}
