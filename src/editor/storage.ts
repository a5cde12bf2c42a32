/** The part of the Web Storage API the editor uses, so tests can give it an in-memory store. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

/** A store in memory, optionally with a byte quota (UTF-16 units, as browsers count). */
export class MemoryStore implements KeyValueStore {
  readonly items = new Map<string, string>();

  constructor(private readonly quota = Infinity) {}

  get length(): number {
    return this.items.size;
  }

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    const used = [...this.items].reduce((sum, [k, v]) => sum + (k === key ? 0 : k.length + v.length), 0);
    if (used + key.length + value.length > this.quota) {
      throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    }
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }

  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }

  /** A copy, as a browser copies sessionStorage into a duplicated tab. */
  clone(): MemoryStore {
    const copy = new MemoryStore(this.quota);
    for (const [k, v] of this.items) copy.items.set(k, v);
    return copy;
  }
}

export function isQuotaError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED' || /quota/i.test(error.message))
  );
}

/** The store `open()` returns, or null when using it throws (blocked storage, a sandboxed iframe). */
export function probeStore(open: () => KeyValueStore): KeyValueStore | null {
  try {
    const store = open();
    const probe = 'blockspin.probe';
    store.setItem(probe, '1');
    store.removeItem(probe);
    return store;
  } catch (error) {
    // A full store still works for reading and for writes after cleanup.
    if (isQuotaError(error)) {
      try {
        return open();
      } catch {
        return null;
      }
    }
    return null;
  }
}
