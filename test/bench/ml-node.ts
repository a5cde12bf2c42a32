/**
 * The RBM epoch as a user runs it: a two-node graph (Lattice Generator → RBM Layer) through the CLI's
 * engine and worker pools, timed from the layer's progress on the main thread.
 */
import { appRegistry } from '../../nodes/index';
import { createCliPools } from '../../src/cli/pools';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { NodeStatus } from '../../src/engine/status';

export interface NodeEpochs {
  /** Seconds per epoch, in order (the last ends at the node's end, so it includes p(h | v) of the data). */
  epochs: number[];
  /** The thread count the node reports in its model's training record. */
  threads: number;
}

function graphText(L: number, samples: number, rbm: Record<string, unknown>): string {
  return JSON.stringify({
    format: 'blockspin.graph',
    version: 2,
    nodes: [
      {
        id: 'lattice',
        type: 'ising.lattice',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        // The cost of a CD step does not depend on the spins: a short Metropolis chain gives them quickly.
        params: { L, T: 2.269185, algorithm: 'metropolis', samples, burnIn: 10, thin: 1 },
      },
      { id: 'rbm', type: 'rbm.layer', typeVersion: 1, position: { x: 300, y: 0 }, params: rbm },
    ],
    edges: [{ id: 'e', source: 'lattice', sourcePort: 'spins', target: 'rbm', targetPort: 'data' }],
  });
}

/** Trains `rbm` params (the rest default) on `samples` L x L configurations and times each epoch. */
export async function epochsThroughNode(L: number, samples: number, rbm: Record<string, unknown>): Promise<NodeEpochs> {
  const loaded = loadGraphText(graphText(L, samples, rbm), appRegistry());
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const starts: number[] = [];
  let end = 0;
  const onStatus = (id: string, status: NodeStatus) => {
    if (id !== 'rbm') return;
    if (status.state === 'running') {
      const epoch = /^epoch (\d+)\//.exec(status.message ?? '')?.[1];
      if (epoch !== undefined && starts[Number(epoch) - 1] === undefined) starts[Number(epoch) - 1] = performance.now();
    }
    if (status.state === 'done') end = performance.now();
  };
  const pools = createCliPools();
  try {
    const result = await runGraph(loaded.graph, { registry: appRegistry(), ...pools, onStatus });
    const node = result.summary.nodes.rbm;
    if (result.failed.length) throw new Error(`the bench graph failed: ${node.error ?? result.failed.join(', ')}`);
    const epochs = starts.map((start, i) => ((starts[i + 1] ?? end) - start) / 1000);
    const model = node.outputs.model as { training?: { threads?: number } };
    return { epochs, threads: Number(model.training?.threads ?? NaN) };
  } finally {
    pools.dispose();
  }
}
