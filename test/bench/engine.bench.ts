/** Engine overhead: how much the graph machinery itself costs, with trivial nodes. */
import Worker from 'web-worker';
import { appRegistry } from '../../nodes/index';
import { createCliPools } from '../../src/cli/pools';
import { runGraph } from '../../src/cli/run-graph';
import { GraphEngine } from '../../src/engine/engine';
import { parseGraph } from '../../src/graph/parse';
import { NodeRegistry } from '../../src/graph/registry';
import { serializeGraph } from '../../src/graph/serialize';
import { WorkerPool } from '../../src/workers/pool';
import { edge, graph, node } from '../helpers/graphs';
import { tensor, testNodes } from '../helpers/test-nodes';
import { workerOnlyNodes } from '../helpers/worker-test-nodes';
import { median, timeRepeats, type BenchResult } from './measure';

const registry = new NodeRegistry([...testNodes, ...workerOnlyNodes]);

function chainGraph(length: number) {
  const nodes = [node('n0', 'test.source', { value: 0, size: 1 })];
  const edges = [];
  for (let i = 1; i < length; i++) {
    nodes.push(node(`n${i}`, 'test.add', { add: 1 }));
    edges.push(edge(`n${i - 1}.out`, `n${i}.a`, `e${i}`));
  }
  return graph(nodes, edges, `chain of ${length}`);
}

export async function engineBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const section = 'engine';

  // A 100-node chain: load and run everything to the end.
  const chain100 = chainGraph(100);
  const runTimes = await timeRepeats(async () => {
    const engine = new GraphEngine(registry);
    engine.load(chain100);
    await engine.whenSettled();
    engine.dispose();
  }, 20);
  results.push({
    section,
    name: '100-node chain: load + run',
    value: median(runTimes),
    unit: 'ms',
    note: 'median of 20',
  });
  results.push({ section, name: '100-node chain: per node', value: median(runTimes) / 100, unit: 'ms/node' });

  // A param change at the head of a 10-node chain, until the last node has the new value.
  const engine = new GraphEngine(registry);
  engine.load(chainGraph(10));
  await engine.whenSettled();
  let value = 0;
  const changeTimes = await timeRepeats(
    async () => {
      engine.setParams('n0', { value: ++value, size: 1 });
      await engine.whenSettled();
    },
    500,
    20,
  );
  engine.dispose();
  const perChange = median(changeTimes);
  results.push({ section, name: 'param change through 10 nodes', value: perChange, unit: 'ms', note: 'median of 500' });
  results.push({
    section,
    name: 'param change: per node',
    value: perChange / 10,
    unit: 'ms/node',
    note: 'target < 0.1',
  });

  // Loading a 1,000-node file: JSON parse, schema, params, edges, cycle check.
  const text = serializeGraph(chainGraph(1000));
  const loadTimes = await timeRepeats(() => {
    const parsed = parseGraph(text, registry);
    if (!parsed.ok) throw new Error('bench graph did not parse');
  }, 20);
  results.push({
    section,
    name: '1,000-node file: parse + validate',
    value: median(loadTimes),
    unit: 'ms',
    note: `${(text.length / 1024).toFixed(0)} kB`,
  });

  // A 16 MB array to a worker and back (copied there, transferred back).
  const pool = new WorkerPool({
    spawn: () => new Worker(new URL('../workers/test-worker.ts', import.meta.url), { type: 'module' }),
    size: 1,
  });
  const echo = registry.get('test.echo')!;
  const big = tensor(new Float32Array(4 * 1024 * 1024).fill(1));
  const hooks = { signal: new AbortController().signal, progress() {}, emit() {} };
  const tripTimes = await timeRepeats(
    () => pool.run({ definition: echo, inputs: { a: big }, params: {}, sources: {} }, hooks),
    10,
  );
  pool.dispose();
  const trip = median(tripTimes);
  results.push({ section, name: 'worker round trip, 16 MB', value: trip, unit: 'ms', note: 'copy in, transfer back' });
  results.push({ section, name: 'worker round trip throughput', value: (2 * 16) / (trip / 1000), unit: 'MB/s' });
  results.push(...(await temperaturesBench()));
  return results;
}

/**
 * A Lattice Generator with two temperatures against one, through the CLI's engine and pools (the workers
 * started beforehand): the chains run side by side, so the time should barely grow.
 */
async function temperaturesBench(): Promise<BenchResult[]> {
  const pools = createCliPools();
  const apps = appRegistry();
  const seconds = async (T: number[], seed: number) => {
    const lattice = node('lattice', 'ising.lattice', { L: 64, T, samples: 4000, seed });
    const start = performance.now();
    const { failed } = await runGraph(graph([lattice]), { registry: apps, ...pools });
    if (failed.length) throw new Error('the lattice bench graph failed');
    return (performance.now() - start) / 1000;
  };
  try {
    await seconds([2.3, 2.4], 1); // starts the workers
    const one: number[] = [];
    const two: number[] = [];
    for (let seed = 2; seed < 5; seed++) {
      one.push(await seconds([2.3], seed));
      two.push(await seconds([2.3, 2.4], seed));
    }
    const [t1, t2] = [median(one), median(two)];
    const note = `L = 64, Wolff, 4000 samples per temperature, CLI pools (${pools.parallelParts} workers); median of 3`;
    return [
      { section: 'engine', name: 'lattice, 1 temperature', value: t1, unit: 's', note },
      { section: 'engine', name: 'lattice, 2 temperatures', value: t2, unit: 's', note },
      { section: 'engine', name: 'lattice, 2 temperatures / 1', value: t2 / t1, unit: '×', note: 'target ≤ 1.3' },
    ];
  } finally {
    pools.dispose();
  }
}
