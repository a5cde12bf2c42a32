/**
 * Files that nodes read (NodeDefinition.files): the engine fetches them from its store before the run and
 * hands them to the run, in this thread or moved into a worker; a missing file fails the node with the
 * store's words, and the node runs again when the file is added. And outputs that depend on params
 * (NodeDefinition.outputsFor): only those exist for edges, and a run must return them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GraphEngine } from '../../src/engine/engine';
import type { FileRef, FileStore } from '../../src/graph/files';
import { GraphError } from '../../src/graph/errors';
import { NodeRegistry } from '../../src/graph/registry';
import { portsOf } from '../../src/graph/validate';
import type { TensorValue } from '../../src/graph/values';
import type { WorkerPool } from '../../src/workers/pool';
import { edge, graph, node } from '../helpers/graphs';
import { testPool } from '../helpers/pool';
import { testNodes } from '../helpers/test-nodes';

const registry = new NodeRegistry(testNodes);

/** A store in memory that counts its reads; each read returns bytes of its own. */
class Store implements FileStore {
  readonly files = new Map<string, Uint8Array>();
  reads = 0;
  async read(ref: FileRef): Promise<Uint8Array> {
    this.reads++;
    const bytes = this.files.get(ref.sha256);
    if (!bytes) throw new Error(`${ref.name} is not in this store`);
    return bytes.slice();
  }
}

const ref = (name: string, sha: string): FileRef => ({ name, sha256: sha.repeat(64), bytes: 3 });

let engine: GraphEngine | undefined;
let pool: WorkerPool | undefined;
afterEach(() => {
  engine?.dispose();
  pool?.dispose();
  engine = pool = undefined;
});

function outValues(id: string): number[] {
  const out = engine!.output(id);
  if (out?.kind !== 'value') throw new Error(`${id}: ${JSON.stringify(engine!.status(id))}`);
  return Array.from((out.outputs.out as TensorValue).data);
}

describe('GraphEngine: files that nodes read', () => {
  it('reads a node’s file from its store before the run and hands the bytes to it', async () => {
    const store = new Store();
    store.files.set('a'.repeat(64), Uint8Array.from([1, 2, 3]));
    engine = new GraphEngine(registry, { files: store });
    engine.load(graph([node('read', 'test.read-file', { file: ref('a.npy', 'a') })]));
    await engine.whenSettled();
    expect(outValues('read')).toEqual([1, 2, 3]);
    expect(store.reads).toBe(1);
  });

  it('moves the bytes into a worker when the node runs in the pool', async () => {
    const store = new Store();
    store.files.set('b'.repeat(64), Uint8Array.from([7, 8, 9]));
    pool = testPool();
    engine = new GraphEngine(registry, { files: store, heavyExecutor: pool.executor });
    engine.load(graph([node('read', 'test.read-file', { file: ref('b.npy', 'b') })]));
    await engine.whenSettled();
    expect(outValues('read')).toEqual([7, 8, 9]);
    expect(pool.workerCount).toBe(1);
  });

  it('fails the node with the store’s message when the file is missing, and runs it again once it is added', async () => {
    const store = new Store();
    engine = new GraphEngine(registry, { files: store });
    engine.load(
      graph([
        node('missing', 'test.read-file', { file: ref('gone.npy', 'c') }),
        node('present', 'test.read-file', { file: ref('here.npy', 'd') }),
        node('after', 'test.add'),
      ]),
    );
    store.files.set('d'.repeat(64), Uint8Array.from([4, 4, 4]));
    await engine.whenSettled();
    expect(engine.status('missing')).toMatchObject({ state: 'error', message: 'gone.npy is not in this store' });
    expect(store.reads).toBe(2);
    store.files.set('c'.repeat(64), Uint8Array.from([5, 6, 7]));
    engine.fileAdded('c'.repeat(64));
    engine.fileAdded('d'.repeat(64)); // done already: not run again
    await engine.whenSettled();
    expect(outValues('missing')).toEqual([5, 6, 7]);
    expect(outValues('present')).toEqual([4, 4, 4]);
    expect(store.reads).toBe(3);
  });

  it('fails a node that reads a file without a store, or one it did not name, saying which', async () => {
    engine = new GraphEngine(registry);
    engine.load(graph([node('read', 'test.read-file', { file: ref('x.npy', 'e') })]));
    await engine.whenSettled();
    expect(engine.status('read')).toMatchObject({
      state: 'error',
      message: 'x.npy: this engine has no file store to read it from',
    });
    engine.dispose();
    const store = new Store();
    store.files.set('e'.repeat(64), new Uint8Array(3));
    engine = new GraphEngine(registry, { files: store });
    engine.load(graph([node('read', 'test.read-file', { file: ref('x.npy', 'e'), other: ref('y.npy', 'f') })]));
    await engine.whenSettled();
    expect(engine.status('read')).toMatchObject({
      state: 'error',
      message: 'y.npy: the node did not name this file among its files, so it was not read',
    });
  });
});

describe('outputs that depend on params (NodeDefinition.outputsFor)', () => {
  it('gives a node only the outputs its params choose, so an edge from another is refused', () => {
    const tensorOnly = node('c', 'test.choice', { port: 'tensor' });
    expect(Object.keys(portsOf(tensorOnly, registry)!.outputs)).toEqual(['tensor']);
    // params the schema refuses: every output, so that the problem shown is the params'
    expect(Object.keys(portsOf(node('c', 'test.choice', { port: 'x' }), registry)!.outputs)).toEqual([
      'tensor',
      'table',
    ]);
    engine = new GraphEngine(registry);
    let error: unknown;
    try {
      engine.load(graph([tensorOnly, node('sink', 'test.table-sink')], [edge('c.table', 'sink.table')]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphError);
    expect((error as Error).message).toContain(
      "node 'c' (test.choice) has no output 'table'; its outputs are 'tensor'",
    );
  });

  it('runs with only the chosen output, and fails a run that leaves it out', async () => {
    engine = new GraphEngine(registry);
    engine.load(
      graph(
        [
          node('c', 'test.choice', { port: 'table' }),
          node('sink', 'test.table-sink'),
          node('liar', 'test.choice', { lie: true }),
        ],
        [edge('c.table', 'sink.table')],
      ),
    );
    await engine.whenSettled();
    expect(engine.status('sink').state).toBe('done');
    expect(engine.status('liar')).toMatchObject({
      state: 'error',
      message: "run() returned no value for output 'tensor'",
    });
  });
});
