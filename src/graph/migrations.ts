/**
 * File-format migrations: `FILE_MIGRATIONS[v]` turns a version v - 1 document into version v.
 * A format change adds its step here and bumps GRAPH_VERSION.
 */
import { GRAPH_VERSION } from './document';

export type FileMigration = (doc: Record<string, unknown>) => Record<string, unknown>;

export const FILE_MIGRATIONS: Record<number, FileMigration> = {
  // Version 2 added optional frames and notes, and keeps fields it does not know instead of refusing
  // them. A version-1 document is therefore already a version-2 one; parse.ts still refuses unknown
  // fields in a file that says version 1, since no app that wrote version 1 wrote any.
  2: (doc) => ({ ...doc }),
};

/**
 * Brings a document to `target`, step by step. Returns an error message when it cannot: a version
 * newer than the app, or an old version with no migration path.
 */
export function migrateDocument(
  doc: Record<string, unknown>,
  migrations: Record<number, FileMigration> = FILE_MIGRATIONS,
  target: number = GRAPH_VERSION,
): { doc: Record<string, unknown> } | { error: string } {
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { error: `version must be a positive integer, found ${JSON.stringify(version)}` };
  }
  if (version > target) {
    return {
      error:
        `this file uses graph format version ${version}, written by a newer Blockspin; ` +
        `this app reads versions up to ${target}. Update Blockspin to open it.`,
    };
  }
  let current = doc;
  for (let v = version + 1; v <= target; v++) {
    const step = migrations[v];
    if (!step) return { error: `no migration from graph format version ${v - 1} to ${v}` };
    current = { ...step(current), version: v };
  }
  return { doc: current };
}
