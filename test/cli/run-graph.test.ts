import { afterEach, describe, expect, it } from 'vitest';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import { serializeGraph } from '../../src/graph/serialize';
import { NodeRegistry } from '../../src/graph/registry';
import type { WorkerPool } from '../../src/workers/pool';
import { edge, graph, node } from '../helpers/graphs';
import { testPool } from '../helpers/pool';
import { testNodes } from '../helpers/test-nodes';
import { workerOnlyNodes } from '../helpers/worker-test-nodes';

const registry = new NodeRegistry([...testNodes, ...workerOnlyNodes]);
let pool: WorkerPool | undefined;
afterEach(() => pool?.dispose());

const file = serializeGraph(
  graph(
    [
      node('src', 'test.source', { value: 2, size: 6 }, 'Source'),
      node('slow', 'test.slow', { ms: 30, steps: 3 }),
      node('spins', 'test.spins', { n: 3, L: 4 }),
      node('bad', 'test.fail', { message: 'it broke' }),
      node('after', 'test.add'),
    ],
    [edge('src.out', 'slow.a', 'e1'), edge('bad.out', 'after.a', 'e2')],
    'CLI test graph',
  ),
);

describe('loadGraphText', () => {
  it('applies --set overrides before validation, so a bad value is reported at its place', () => {
    const ok = loadGraphText(file, registry, ['src.value=5', 'bad.message=changed text']);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.graph.nodes[0].params.value).toBe(5);
    expect(ok.graph.nodes[3].params.message).toBe('changed text');
    const bad = loadGraphText(file, registry, ['src.value=[1,2]']);
    expect(bad).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^nodes\[0\]\.params\.value \(node 'src'\): .*expected number/)],
    });
    expect(loadGraphText(file, registry, ['nosuch.value=1'])).toEqual({
      ok: false,
      errors: [expect.stringContaining("no node 'nosuch'")],
    });
    expect(loadGraphText(file, registry, ['src.nosuch=1'])).toMatchObject({ ok: false });
    expect(loadGraphText(file, registry, ['missing-equals'])).toEqual({
      ok: false,
      errors: [expect.stringContaining('node.param=value')],
    });
  });
});

describe('runGraph', () => {
  it('runs to the end and summarises every node and output as DESIGN.md specifies', async () => {
    pool = testPool();
    const loaded = loadGraphText(file, registry);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const result = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor });
    const { summary } = result;
    expect(summary).toMatchObject({ format: 'blockspin.summary', version: 1, graph: { title: 'CLI test graph' } });
    expect(summary.nodes.src).toMatchObject({
      type: 'test.source',
      label: 'Source',
      status: 'done',
      cached: false,
      error: null,
    });
    expect(summary.nodes.src.outputs.out).toEqual({
      type: 'tensor',
      shape: [6],
      dtype: 'float32',
      mean: 2,
      min: 2,
      max: 2,
      file: 'src.out.npy',
      meta: {},
    });
    expect(summary.nodes.slow).toMatchObject({ status: 'done', outputs: { out: { mean: 5 } } });
    expect(summary.nodes.spins.outputs.spins).toMatchObject({
      type: 'spins',
      shape: [3, 4, 4],
      dtype: 'int8',
      mean: 1,
      file: 'spins.spins.npy',
    });
    expect(summary.nodes.bad).toMatchObject({ status: 'error', error: 'it broke', outputs: {} });
    expect(summary.nodes.after).toMatchObject({ status: 'error', origin: 'bad' });
    expect(result.failed.sort()).toEqual(['after', 'bad']);
    expect(result.files.map((f) => f.name).sort()).toEqual([
      'slow.out.npy',
      'spins.spins.T.npy',
      'spins.spins.npy',
      'src.out.npy',
    ]);
    expect(typeof summary.nodes.slow.ms).toBe('number');
  });

  it('keeps nodes named after Object properties, a failing __proto__ included', async () => {
    pool = testPool();
    const doc = graph([
      node('__proto__', 'test.fail', { message: 'it broke' }),
      node('constructor', 'test.source', { value: 3, size: 2 }),
      node('toString', 'test.add'),
    ]);
    doc.edges.push(edge('constructor.out', 'toString.a'));
    const result = await runGraph(doc, { registry, heavyExecutor: pool.executor });
    expect(Object.keys(result.summary.nodes)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(result.summary.nodes)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(result.summary.nodes, '__proto__')?.value).toMatchObject({
      type: 'test.fail',
      status: 'error',
      error: 'it broke',
    });
    expect(result.summary.nodes.toString).toMatchObject({ status: 'done', outputs: { out: { mean: 4 } } });
    expect(result.failed).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(result.summary)).nodes.__proto__).toMatchObject({ status: 'error' });
    expect(result.files.map((f) => f.name).sort()).toEqual(['constructor.out.npy', 'toString~c4.out.npy']);
  });

  it('gives the same numbers on every run', async () => {
    pool = testPool();
    const loaded = loadGraphText(file, registry);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    // Times differ run to run (and the first run waits for its worker to start): all but the numbers.
    const strip = (s: unknown) =>
      JSON.parse(JSON.stringify(s, (k, v) => (k === 'ms' ? 0 : k === 'waitedMs' ? undefined : v)));
    const a = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor });
    const b = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor });
    expect(strip(a.summary)).toEqual(strip(b.summary));
    expect(a.files).toEqual(b.files);
  });
});
