/**
 * Import data's files in the app: each dropped or chosen file is kept in the browser's storage (IndexedDB)
 * under its SHA-256, so a reload, an undo or another tab's graph that records the same file finds it again,
 * and the same file dropped twice is kept once. A node's run gets the stored Blob, which goes to its
 * worker by reference: the page's thread never reads the bytes of a stored file.
 */
import { shortHash, type FileContents, type FileRef, type FileStore } from '../graph/files';

/** A FileStore the editor can also put files into. */
export interface DataFileStore extends FileStore {
  /** Keeps `contents` under its SHA-256 (computed by the caller), with the name it came with. */
  put(sha256: string, name: string, contents: Blob): Promise<void>;
}

const missingMessage = (ref: FileRef) =>
  `${ref.name} is not in this browser's storage (files are kept by content; this one's SHA-256 is ` +
  `${shortHash(ref.sha256)}…): drop the file on the canvas, or choose it in the node's inspector`;

function checkedSize(ref: FileRef, size: number): void {
  if (size !== ref.bytes) {
    throw new Error(`${ref.name} in this browser's storage has ${size} bytes, the graph records ${ref.bytes}`);
  }
}

/** Files in memory, for tests and for a page that may not use IndexedDB. */
export class MemoryFileStore implements DataFileStore {
  readonly files = new Map<string, { name: string; contents: Blob }>();

  async put(sha256: string, name: string, contents: Blob): Promise<void> {
    this.files.set(sha256, { name, contents });
  }

  async read(ref: FileRef): Promise<FileContents> {
    const kept = this.files.get(ref.sha256);
    if (!kept) throw new Error(missingMessage(ref));
    checkedSize(ref, kept.contents.size);
    return kept.contents;
  }
}

const DB_NAME = 'blockspin-files';
const STORE = 'files';

interface StoredFile {
  name: string;
  size: number;
  storedAt: number;
  contents: Blob;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('the browser storage failed'));
  });
}

/** The files kept in this browser's IndexedDB; opened on first use. */
export function indexedDbFileStore(factory: () => IDBFactory = () => indexedDB): DataFileStore {
  let opened: Promise<IDBDatabase> | null = null;
  const db = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      let open: IDBOpenDBRequest;
      try {
        open = factory().open(DB_NAME, 1);
      } catch (error) {
        reject(error);
        return;
      }
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('IndexedDB could not be opened'));
      open.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    }).catch((error: unknown) => {
      opened = null;
      throw new Error(`this browser's storage cannot keep imported files (${(error as Error).message ?? error})`, {
        cause: error,
      });
    });
    return opened;
  };
  return {
    async put(sha256, name, contents) {
      const tx = (await db()).transaction(STORE, 'readwrite');
      const stored: StoredFile = { name, size: contents.size, storedAt: Date.now(), contents };
      try {
        await request(tx.objectStore(STORE).put(stored, sha256));
      } catch (error) {
        const full = (error as DOMException)?.name === 'QuotaExceededError';
        throw new Error(
          full
            ? `${name} (${contents.size} bytes) does not fit in this browser's storage: free some space, or use the CLI`
            : `${name} could not be kept in this browser's storage (${(error as Error).message})`,
          { cause: error },
        );
      }
    },
    async read(ref) {
      const tx = (await db()).transaction(STORE, 'readonly');
      const stored = (await request(tx.objectStore(STORE).get(ref.sha256))) as StoredFile | undefined;
      if (!stored) throw new Error(missingMessage(ref));
      checkedSize(ref, stored.contents.size);
      return stored.contents;
    },
  };
}
