/**
 * NumPy's .npz format: a zip of .npy files, one per array (`numpy.savez`, or `savez_compressed` with
 * deflate). The zip itself is fflate's: Blockspin only decides what goes in and checks what comes out.
 *
 * A file to read comes from someone else: its directory is walked first, without inflating anything, so
 * too many entries, more bytes than the caller allows, an unknown compression method or a name used twice
 * are refused before any entry is unpacked; an entry inflates into a buffer of its declared size and no
 * more, so a zip bomb cannot grow past what was allowed.
 */
import { unzipSync, zipSync, type UnzipFileInfo } from 'fflate';

/** Zip files without ZIP64 (fflate writes none) hold at most 4 GiB. */
const MAX_ZIP_BYTES = 2 ** 32 - 1;

/** Most entries read from one .npz. */
export const MAX_NPZ_ENTRIES = 1024;

/**
 * A .npz from named members (`layer0_W.npy`, `training.json`), stored uncompressed as `numpy.savez` writes
 * them: the weights of a model barely compress, and NumPy, zip tools and Blockspin read it at once.
 */
export function encodeNpz(members: Record<string, Uint8Array>): Uint8Array<ArrayBuffer> {
  const total = Object.entries(members).reduce((sum, [name, bytes]) => sum + bytes.length + 2 * name.length + 100, 0);
  if (total > MAX_ZIP_BYTES) {
    throw new Error(`a .npz of ${total} bytes is over the 4 GiB a zip without ZIP64 can hold`);
  }
  // A fixed date: the same model is always the same bytes.
  return zipSync(members, { level: 0, mtime: new Date('2000-01-01T12:00:00Z') }) as Uint8Array<ArrayBuffer>;
}

export interface NpzLimits {
  /** Bytes all the members may unpack to. */
  maxBytes: number;
  /** Members the file may hold (default MAX_NPZ_ENTRIES). */
  maxEntries?: number;
}

/** The members of a .npz by name, as bytes; `file` names it in every error. */
export function readNpz(bytes: Uint8Array, file: string, limits: NpzLimits): Map<string, Uint8Array> {
  const fail = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && [3, 5].includes(bytes[2]);
  if (!isZip) fail('it is not a .npz file (a .npz is a zip archive, and this one does not start with PK)');
  const maxEntries = limits.maxEntries ?? MAX_NPZ_ENTRIES;
  const entries: UnzipFileInfo[] = [];
  try {
    // The directory only: nothing is unpacked while the filter says no.
    unzipSync(bytes, {
      filter: (info) => {
        entries.push(info);
        if (entries.length > maxEntries) fail(`it has more than ${maxEntries} members`);
        return false;
      },
    });
  } catch (error) {
    if ((error as Error).message.startsWith(`${file}: `)) throw error;
    fail(`it is not a readable zip archive (${(error as Error).message})`);
  }
  const names = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    if (names.has(entry.name)) fail(`it has two members named '${entry.name}'`);
    names.add(entry.name);
    if (entry.compression !== 0 && entry.compression !== 8) {
      fail(`its member '${entry.name}' uses compression method ${entry.compression} (a .npz is stored or deflated)`);
    }
    total += entry.originalSize;
  }
  if (total > limits.maxBytes) {
    fail(`its members unpack to ${total} bytes, more than the ${limits.maxBytes} expected of it`);
  }
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (error) {
    return fail(`a member is damaged (${(error as Error).message})`);
  }
  const out = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const member = members[entry.name];
    if (member.length !== entry.originalSize) {
      fail(
        `its member '${entry.name}' holds ${member.length} bytes, where the zip directory says ${entry.originalSize}`,
      );
    }
    out.set(entry.name, member);
  }
  return out;
}
