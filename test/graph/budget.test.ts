/**
 * The graph-wide memory budget: each node's estimate follows the graph from its sources, counts what the
 * runs really allocate (checked against real runs), and a graph over budget is named with its largest node.
 */
import { describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { GraphEngine } from '../../src/engine/engine';
import {
  browserBudget,
  budgetProblem,
  describeCost,
  estimateGraph,
  formatBytes,
  isHeavyForeign,
} from '../../src/graph/budget';
import type { GraphDocument } from '../../src/graph/document';
import { transferables } from '../../src/graph/values';
import { edge, graph, node } from '../helpers/graphs';

const registry = appRegistry();

const lattice = (id: string, params: Record<string, unknown>) =>
  node(id, 'ising.lattice', { L: 32, T: 2.3, samples: 100, ...params });

function costOf(doc: GraphDocument, id: string): number {
  return estimateGraph(doc, registry).nodes.find((n) => n.id === id)!.bytes;
}

describe('estimateGraph', () => {
  it('counts a lattice’s spins, its float64 temperatures, the copy streamed while it samples and the chain', () => {
    // 1,000,000 samples of 32 x 32: 1 GiB of spins (just under the per-node limit) and 8 MB of T.
    const doc = graph([lattice('lat', { samples: 1_048_576 - 1 })]);
    const n = 1_048_575;
    // The chain: the 32 x 32 lattice and Metropolis's copy with ghost columns (32 x 34).
    expect(costOf(doc, 'lat')).toBe(2 * (n * 1024 + 8 * n) + 1024 + 32 * 34);
  });

  it('refuses eight lattices just under the per-node limit, naming the figure and the largest', () => {
    const nodes = Array.from({ length: 8 }, (_, i) => lattice(`lat${i}`, { samples: i === 3 ? 1_040_000 : 1_000_000 }));
    const cost = estimateGraph(graph(nodes), registry);
    expect(cost.bytes).toBeGreaterThan(16e9);
    expect(budgetProblem(cost, 2e9)).toBe(
      '8 Lattice Generator nodes need about 16.6 GB of memory; the budget is 2 GB; ' +
        'largest: lat3 (Lattice Generator), 2.15 GB',
    );
    expect(budgetProblem(cost, 20e9)).toBeNull();
  });

  it('follows shapes along the edges: block spins, an RBM stack, its hidden units, samples and a flow', () => {
    const doc = graph(
      [
        lattice('lat', { L: 40, samples: 20_000 }),
        node('rg', 'rg.blockspin', { b: 2, levels: 1 }),
        node('rbm1', 'rbm.layer', { hidden: 400, threads: 2 }),
        node('rbm2', 'rbm.layer', { hidden: 100 }),
        node('sampler', 'rbm.sampler', { samples: 5000 }),
        node('flow', 'rbm.flow', {}),
      ],
      [
        edge('lat.spins', 'rg.spins'),
        edge('lat.spins', 'rbm1.data'),
        edge('rbm1.hidden', 'rbm2.data'),
        edge('rbm2.model', 'sampler.model'),
        edge('rbm2.model', 'flow.model'),
        edge('rg.spins', 'flow.init'),
      ],
    );
    const n = 20_000;
    const spins = n * 1600 + 8 * n;
    // Block spins of 20 x 20, plus the worker's copy of the input.
    expect(costOf(doc, 'rg')).toBe(n * 400 + 8 * n + spins);
    const weights1 = 1600 * 400 + 1600 + 400;
    const model1 = 4 * weights1;
    const hidden1 = 4 * n * 400 + model1;
    // The float copy of the data in each of two threads, the weights' velocity and snapshot, the outputs, the input.
    expect(costOf(doc, 'rbm1')).toBe(2 * 4 * n * 1600 + 2 * model1 + model1 + hidden1 + spins);
    const weights2 = 400 * 100 + 400 + 100;
    const model2 = 4 * weights2 + model1;
    expect(costOf(doc, 'rbm2')).toBe(4 * n * 400 + 2 * 4 * weights2 + model2 + (4 * n * 100 + model2) + hidden1);
    // Free samples come out in the bottom layer's visible shape (40 x 40), as spins and as probabilities.
    const m = 5000;
    const units = 1600 + 400 + 400 + 100;
    expect(costOf(doc, 'sampler')).toBe(m * 1600 + 8 * m + 4 * m * 1600 + 2 * 4 * m * units + 4 * m * 1600 + model2);
    // The flow starts from the block spins: n x 400 visible units, 100 hidden.
    const blocks = n * 400 + 8 * n;
    expect(costOf(doc, 'flow')).toBe(blocks + 2 * 4 * n * (400 + 100) + n * 400 + model2 + blocks);
    const cost = estimateGraph(doc, registry);
    expect(cost.trains).toBe(2);
    expect(describeCost(cost)).toMatch(/^trains 2 RBMs, needs about [\d.]+ [MG]B of memory$/);
  });

  it('knows nothing of a node whose input comes from a placeholder, and still counts the rest', () => {
    const doc: GraphDocument = graph(
      [
        { ...node('future', 'future.node'), placeholder: { raw: { type: 'future.node' } } },
        node('rbm', 'rbm.layer', { hidden: 10 }),
        lattice('lat', {}),
      ],
      [{ id: 'e', source: 'future', sourcePort: 'out', target: 'rbm', targetPort: 'data' }],
    );
    const cost = estimateGraph(doc, registry);
    expect(cost.nodes.map((n) => n.id)).toEqual(['lat', 'rbm']);
    expect(cost.nodes[1]).toMatchObject({ bytes: 0, trains: true });
    expect(cost.bytes).toBe(costOf(doc, 'lat'));
  });

  it('never undercounts what the nodes really output (checked by running them)', async () => {
    const doc = graph(
      [
        lattice('lat', { L: 8, samples: 300, T: [2.0, 3.0], burnIn: 50, thin: 1 }),
        node('rg', 'rg.blockspin', { b: 2 }),
        node('rbm', 'rbm.layer', { hidden: 12, epochs: 1, batchSize: 50, backend: 'cpu' }),
        node('rbm2', 'rbm.layer', { hidden: 5, epochs: 1, batchSize: 50, backend: 'cpu' }),
        node('sampler', 'rbm.sampler', { samples: 40, steps: 2, backend: 'cpu' }),
        node('flow', 'rbm.flow', { steps: 2, backend: 'cpu' }),
        node('hidden', 'rbm.hidden-spins', { backend: 'cpu' }),
        node('per-t', 'rbm.per-temperature', {
          hidden: 6,
          epochs: 1,
          batchSize: 50,
          learningRate: 0.05,
          samples: 30,
          steps: 2,
          backend: 'cpu',
        }),
      ],
      [
        edge('lat.spins', 'rg.spins'),
        edge('lat.spins', 'rbm.data'),
        edge('rbm.hidden', 'rbm2.data'),
        edge('rbm2.model', 'sampler.model'),
        edge('rbm.model', 'flow.model'),
        edge('lat.spins', 'flow.init'),
        edge('rbm.model', 'hidden.model'),
        edge('lat.spins', 'hidden.data'),
        edge('lat.spins', 'per-t.data'),
      ],
    );
    const engine = new GraphEngine(registry, { followIntermediate: false });
    try {
      engine.load(doc);
      await engine.whenSettled();
      const cost = estimateGraph(engine.document(), registry);
      for (const { id } of cost.nodes) {
        const out = engine.output(id);
        expect(out?.kind, id).toBe('value');
        if (out?.kind !== 'value') continue;
        const actual = transferables(out.outputs).reduce((sum, buffer) => sum + buffer.byteLength, 0);
        const estimated = cost.nodes.find((n) => n.id === id)!.bytes;
        expect(estimated, `${id}: estimated ${estimated} bytes, its outputs hold ${actual}`).toBeGreaterThanOrEqual(
          actual,
        );
      }
    } finally {
      engine.dispose();
    }
  }, 60_000);
});

describe('the budget', () => {
  it('is half the device memory in a browser, and 2 GB when the browser does not say', () => {
    expect(browserBudget(8)).toBe(4e9);
    expect(browserBudget(undefined)).toBe(2e9);
    expect(browserBudget(Number.NaN)).toBe(2e9);
  });

  it('writes sizes in decimal units', () => {
    expect([0, 999, 870_000, 900e6, 1.0737e9, 8.6e9, 17.18e9].map(formatBytes)).toEqual([
      '0 bytes',
      '999 bytes',
      '870 kB',
      '900 MB',
      '1.07 GB',
      '8.6 GB',
      '17.2 GB',
    ]);
  });

  it('calls a graph from elsewhere heavy when it trains or needs more than 256 MB', () => {
    expect(isHeavyForeign(estimateGraph(graph([lattice('a', {})]), registry))).toBe(false);
    expect(isHeavyForeign(estimateGraph(graph([lattice('a', { samples: 200_000 })]), registry))).toBe(true);
    const rbm = graph([lattice('a', {}), node('r', 'rbm.layer', {})], [edge('a.spins', 'r.data')]);
    expect(isHeavyForeign(estimateGraph(rbm, registry))).toBe(true);
  });
});

describe('the engine over budget', () => {
  it('starts nothing while the graph is over budget, and runs once an edit brings it under', async () => {
    const engine = new GraphEngine(registry, { memoryBudget: 1e6 });
    try {
      engine.load(graph([lattice('lat', { L: 16, samples: 5000 })]));
      expect(engine.budgetProblem()).toMatch(/^this graph needs about 2.64 MB of memory; the budget is 1 MB/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(engine.status('lat')).toEqual({ state: 'waiting', message: 'over the memory budget' });
      expect(engine.output('lat')?.kind).not.toBe('value');
      engine.setParams('lat', { L: 16, T: 2.3, samples: 100, burnIn: 10 });
      expect(engine.budgetProblem()).toBeNull();
      await engine.whenSettled();
      expect(engine.status('lat').state).toBe('done');
      // Pausing by hand and the budget are separate holds.
      expect(engine.isPaused).toBe(false);
    } finally {
      engine.dispose();
    }
  });
});
