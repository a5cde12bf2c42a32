/**
 * A Lattice Generator with two temperatures in an engine with two workers: one chain per worker, and
 * exactly the samples of one run over both temperatures in this thread.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { GraphEngine } from '../../src/engine/engine';
import type { SpinsValue } from '../../src/graph/values';
import { createAppPool } from '../../src/workers/app-pool';
import { graph, node } from '../helpers/graphs';

const registry = appRegistry();
const pool = createAppPool({ size: 2 });
afterAll(() => pool.dispose());

async function spins(engine: GraphEngine): Promise<SpinsValue> {
  const doc = graph([node('lattice', 'ising.lattice', { L: 64, T: [2.0, 3.0], samples: 3000, thin: 2, burnIn: 200 })]);
  engine.load(doc);
  await engine.whenSettled();
  const output = engine.output('lattice');
  if (output?.kind !== 'value') throw new Error(`lattice did not finish: ${JSON.stringify(engine.status('lattice'))}`);
  return output.outputs.spins as SpinsValue;
}

describe('a list of temperatures across the pool', () => {
  it('runs a chain per worker and gives the numbers of one run', async () => {
    const parallel = new GraphEngine(registry, { heavyExecutor: pool.executor, parallelParts: 2 });
    const inline = new GraphEngine(registry);
    try {
      const [split, whole] = [await spins(parallel), await spins(inline)];
      expect(pool.workerCount).toBe(2);
      expect(split.shape).toEqual([6000, 64, 64]);
      expect(Buffer.from(split.data.buffer).equals(Buffer.from(whole.data.buffer))).toBe(true);
      expect(split.T).toEqual(whole.T);
      expect(split.meta).toEqual(whole.meta);
      expect(parallel.status('lattice')).toMatchObject({ state: 'done', cached: false });
    } finally {
      parallel.dispose();
      inline.dispose();
    }
  }, 120_000);
});
