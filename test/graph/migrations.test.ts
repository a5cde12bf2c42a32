import { describe, expect, it } from 'vitest';
import { GRAPH_VERSION } from '../../src/graph/document';
import { FILE_MIGRATIONS, migrateDocument, type FileMigration } from '../../src/graph/migrations';

/** Fake migrations v1 -> v2 -> v3 that record the order and the version each step saw. */
function fakeMigrations(log: string[]): Record<number, FileMigration> {
  return {
    2: (doc) => {
      log.push(`2 saw v${doc.version}`);
      const { nodeList, ...rest } = doc;
      return { ...rest, nodes: nodeList };
    },
    3: (doc) => {
      log.push(`3 saw v${doc.version}`);
      return { ...doc, edges: [] };
    },
  };
}

describe('migrateDocument', () => {
  it('leaves a current document as it is', () => {
    const doc = { format: 'blockspin.graph', version: GRAPH_VERSION, nodes: [] };
    expect(migrateDocument(doc)).toEqual({ doc });
  });

  it('is at version 2, with one step: 1 -> 2 changes nothing but the version', () => {
    expect(GRAPH_VERSION).toBe(2);
    expect(Object.keys(FILE_MIGRATIONS)).toEqual(['2']);
    const v1 = { format: 'blockspin.graph', version: 1, meta: { title: 't' }, nodes: [{ id: 'a' }], edges: [] };
    expect(migrateDocument(v1)).toEqual({ doc: { ...v1, version: 2 } });
    expect(v1.version).toBe(1);
  });

  it('applies every step from v1 to v3, in order, and sets each version', () => {
    const log: string[] = [];
    const result = migrateDocument({ version: 1, nodeList: ['a'] }, fakeMigrations(log), 3);
    expect(log).toEqual(['2 saw v1', '3 saw v2']);
    expect(result).toEqual({ doc: { version: 3, nodes: ['a'], edges: [] } });
  });

  it('starts from the document version, skipping steps already taken', () => {
    const log: string[] = [];
    const result = migrateDocument({ version: 2, nodes: ['b'] }, fakeMigrations(log), 3);
    expect(log).toEqual(['3 saw v2']);
    expect(result).toEqual({ doc: { version: 3, nodes: ['b'], edges: [] } });
  });

  it('does not change the document it was given', () => {
    const input = { version: 1, nodeList: ['a'] };
    migrateDocument(input, fakeMigrations([]), 3);
    expect(input).toEqual({ version: 1, nodeList: ['a'] });
  });

  it('reports a missing step, naming the versions', () => {
    const { 3: _three, ...onlyTwo } = fakeMigrations([]);
    expect(migrateDocument({ version: 1 }, onlyTwo, 3)).toEqual({
      error: 'no migration from graph format version 2 to 3',
    });
    const { 2: _two, ...onlyThree } = fakeMigrations([]);
    expect(migrateDocument({ version: 1 }, onlyThree, 3)).toEqual({
      error: 'no migration from graph format version 1 to 2',
    });
  });

  it('refuses a version newer than the target, saying a newer Blockspin wrote it', () => {
    const result = migrateDocument({ version: 4 }, fakeMigrations([]), 3);
    expect('error' in result && result.error).toContain('version 4, written by a newer Blockspin');
    expect('error' in result && result.error).toContain('reads versions up to 3');
  });

  it.each([0, -2, 1.5, '1', null, undefined, NaN])('refuses version %j', (version) => {
    const result = migrateDocument({ version }, fakeMigrations([]), 3);
    expect('error' in result && result.error).toMatch(/^version must be a positive integer, found /);
  });
});
