/**
 * Autosave: each tab writes its document under a key of its own, versioned, with the time it was
 * written, so that tabs never overwrite each other and old keys can be cleaned up oldest first.
 *
 * Tab identity lives in sessionStorage, which a browser copies into a duplicated tab. So a page keeps its
 * tab's id only when the page before it released the id on `pagehide` (a reload); a duplicated tab, whose
 * original is still open, takes a new id and starts from a copy of the original's autosave.
 */
import { isQuotaError, type KeyValueStore } from './storage';

export const AUTOSAVE_PREFIX = 'blockspin.autosave.v2.';
/** The keys of the first autosave scheme: read once, then removed. */
const LEGACY_PREFIX = 'blockspin.autosave.';
const LEGACY_LATEST = 'blockspin.autosave.latest';
const TAB_KEY = 'blockspin.tab';
const RELEASED_KEY = 'blockspin.tab.released';
/** Autosaves kept at most (other tabs' included); the oldest go first. */
export const MAX_AUTOSAVES = 12;

export interface AutosaveRecord {
  format: 'blockspin.autosave';
  version: 1;
  /** ms since the epoch */
  savedAt: number;
  tab: string;
  /** The graph file's text, exactly as Save would write it. */
  graph: string;
  pins: string[];
  collapsed: string[];
  /** Whether the graph was paused: it stays paused when the tab is reloaded (absent in older records). */
  paused?: boolean;
}

export interface StoredAutosave {
  key: string;
  /** null when the record itself is damaged (the raw text is kept for download). */
  record: AutosaveRecord | null;
  raw: string;
}

export type WriteResult = { ok: true; removed: string[] } | { ok: false; error: string };

function parseRecord(raw: string): AutosaveRecord | null {
  try {
    const record = JSON.parse(raw) as AutosaveRecord;
    if (record?.format !== 'blockspin.autosave' || typeof record.graph !== 'string') return null;
    return {
      ...record,
      savedAt: Number(record.savedAt) || 0,
      pins: Array.isArray(record.pins) ? record.pins : [],
      collapsed: Array.isArray(record.collapsed) ? record.collapsed : [],
    };
  } catch {
    return null;
  }
}

export function newTabId(): string {
  return Math.random().toString(36).slice(2, 10).padEnd(8, '0');
}

/** This page's tab id, and the id of the page this tab showed before (whose autosave it restores). */
export function claimTabId(session: KeyValueStore | null, fresh = newTabId): { id: string; previous: string | null } {
  if (!session) return { id: fresh(), previous: null };
  try {
    const previous = session.getItem(TAB_KEY);
    const released = session.getItem(RELEASED_KEY);
    session.removeItem(RELEASED_KEY);
    const id = previous && released === previous ? previous : fresh();
    session.setItem(TAB_KEY, id);
    return { id, previous };
  } catch {
    return { id: fresh(), previous: null };
  }
}

/** Called on `pagehide`: the next page in this tab (a reload) may take over the id. */
export function releaseTabId(session: KeyValueStore | null, id: string): void {
  try {
    session?.setItem(RELEASED_KEY, id);
  } catch {
    // nothing to release into
  }
}

/** Called on `pageshow` from the back/forward cache: the page is back, so the id is held again. */
export function holdTabId(session: KeyValueStore | null): void {
  try {
    session?.removeItem(RELEASED_KEY);
  } catch {
    // nothing held
  }
}

export class AutosaveStore {
  constructor(private readonly store: KeyValueStore) {}

  private keys(): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.store.length; i++) {
      const key = this.store.key(i);
      if (key) keys.push(key);
    }
    return keys;
  }

  /** Every autosave, newest first; legacy (first-scheme) autosaves come as records too. */
  list(): StoredAutosave[] {
    const found: StoredAutosave[] = [];
    for (const key of this.keys()) {
      const raw = this.store.getItem(key);
      if (raw === null) continue;
      if (key.startsWith(AUTOSAVE_PREFIX)) found.push({ key, record: parseRecord(raw), raw });
      else if (key.startsWith(LEGACY_PREFIX) && key !== LEGACY_LATEST) {
        const tab = key.slice(LEGACY_PREFIX.length);
        found.push({
          key,
          raw,
          record: { format: 'blockspin.autosave', version: 1, savedAt: 0, tab, graph: raw, pins: [], collapsed: [] },
        });
      }
    }
    return found.sort((a, b) => (b.record?.savedAt ?? 0) - (a.record?.savedAt ?? 0));
  }

  read(tab: string): StoredAutosave | null {
    const key = AUTOSAVE_PREFIX + tab;
    const raw = this.store.getItem(key);
    if (raw !== null) return { key, record: parseRecord(raw), raw };
    return this.list().find((s) => s.key === LEGACY_PREFIX + tab) ?? null;
  }

  /**
   * Writes this tab's autosave. When the store is full or holds too many autosaves, the oldest other
   * autosaves are removed first (never one in `keep`); the keys removed are returned.
   */
  write(record: AutosaveRecord, keep: ReadonlySet<string> = new Set()): WriteResult {
    const key = AUTOSAVE_PREFIX + record.tab;
    const text = JSON.stringify(record);
    // Reading every record costs a parse of each: only done when there are too many or the store is full.
    const removable = () =>
      this.list()
        .filter((s) => s.key !== key && !keep.has(s.key))
        .reverse(); // oldest first
    const removed: string[] = [];
    const remove = (k: string) => {
      this.store.removeItem(k);
      removed.push(k);
    };
    try {
      const count = this.keys().filter((k) => k.startsWith(LEGACY_PREFIX) && k !== LEGACY_LATEST && k !== key).length;
      if (count + 1 > MAX_AUTOSAVES)
        for (const stale of removable().slice(0, count + 1 - MAX_AUTOSAVES)) remove(stale.key);
      if (this.store.getItem(LEGACY_LATEST) !== null) this.store.removeItem(LEGACY_LATEST);
    } catch {
      // cleanup is best effort; the write below says whether it mattered
    }
    for (;;) {
      try {
        this.store.setItem(key, text);
        return { ok: true, removed };
      } catch (error) {
        const oldest = isQuotaError(error) ? removable()[0] : undefined;
        if (!oldest) {
          const why = isQuotaError(error) ? 'the browser storage is full' : (error as Error).message;
          return { ok: false, error: why };
        }
        remove(oldest.key);
      }
    }
  }

  remove(key: string): void {
    try {
      this.store.removeItem(key);
    } catch {
      // already unreachable
    }
  }
}
