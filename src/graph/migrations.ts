/**
 * File-format migrations: `FILE_MIGRATIONS[v]` turns a version v - 1 document into version v.
 * Version 1 is the first format, so there is nothing to migrate yet; the next format change adds
 * its step here and bumps GRAPH_VERSION.
 */
import { GRAPH_VERSION } from './document';

export type FileMigration = (doc: Record<string, unknown>) => Record<string, unknown>;

export const FILE_MIGRATIONS: Record<number, FileMigration> = {};

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
