import { LRUCache } from 'lru-cache';
import { approximateBytes } from '../graph/values';

export interface CachedResult {
  outputs: Record<string, unknown>;
  ms: number;
}

/** Finished node results by content key, least recently used dropped first, bounded in bytes. */
export class ResultCache {
  private readonly entries: LRUCache<string, CachedResult>;

  constructor(readonly maxBytes: number) {
    this.entries = new LRUCache<string, CachedResult>({
      maxSize: maxBytes,
      sizeCalculation: (entry) => Math.max(1, approximateBytes(entry.outputs)),
    });
  }

  get(key: string): CachedResult | undefined {
    return this.entries.get(key);
  }

  /** Stores a result; one larger than the whole cache is simply not kept (lru-cache's maxEntrySize). */
  set(key: string, result: CachedResult): void {
    this.entries.set(key, result);
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.entries.calculatedSize;
  }

  clear(): void {
    this.entries.clear();
  }
}
