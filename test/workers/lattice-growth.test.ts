/**
 * The Lattice Generator's growing sample set through a worker: intermediate values cross as their new
 * samples only, and what arrives, intermediate and final, is exactly what a run in this thread gives.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runInThread } from '../../src/engine/execute';
import type { SpinsValue } from '../../src/graph/values';
import { createAppPool } from '../../src/workers/app-pool';
import { latticeNode, latticeParams } from '../../nodes/lattice/index';

const pool = createAppPool({ size: 1 });
afterAll(() => pool.dispose());

// 2 temperatures x 1500 samples of 64 x 64 (12 MB), about 2.5 s of multi-spin Metropolis: a few emits
const params = latticeParams.parse({
  L: 64,
  T: [2.0, 2.6],
  samples: 1500,
  thin: 60,
  burnIn: 100,
  algorithm: 'metropolis',
  seed: 5,
});
const request = { definition: latticeNode, inputs: {}, params, sources: {} };

async function run(execute: typeof runInThread): Promise<{ final: SpinsValue; emitted: SpinsValue[] }> {
  const emitted: SpinsValue[] = [];
  const outputs = await execute(request, {
    signal: new AbortController().signal,
    progress: () => {},
    emit: (o) => emitted.push(o.spins as SpinsValue),
  });
  return { final: outputs.spins as SpinsValue, emitted };
}

/** Whether two arrays hold the same bytes (a deep toEqual of millions of elements takes minutes). */
const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('Lattice Generator through the worker pool', () => {
  it('gives byte for byte the spins of a run in this thread, sending each sample across once', async () => {
    const here = await run(runInThread);
    const there = await run(pool.executor);
    const N = 64 * 64;
    const { final } = here;
    expect(there.final.shape).toEqual(final.shape);
    expect(same(there.final.data, final.data)).toBe(true);
    expect(same(there.final.T, final.T)).toBe(true);
    expect(there.final.meta).toEqual(final.meta);

    expect(there.emitted.length).toBeGreaterThanOrEqual(2);
    for (const value of [...here.emitted, ...there.emitted]) {
      const n = value.shape[0];
      expect(value.shape).toEqual([n, 64, 64]);
      expect(same(value.data, final.data.subarray(0, n * N))).toBe(true);
      expect(same(value.T, final.T.subarray(0, n))).toBe(true);
      // the chains finished before its last sample was taken
      const { chains, ...meta } = value.meta;
      const { chains: allChains, ...finalMeta } = final.meta;
      expect(meta).toEqual(finalMeta);
      expect(chains).toEqual((allChains as unknown[]).slice(0, Math.floor((n - 1) / params.samples)));
    }

    // each sample crossed at most once with the intermediate values (the final one is moved, not copied)
    const last = there.emitted[there.emitted.length - 1].shape[0];
    const { emits, bytes: sent } = pool.traffic;
    expect(emits).toBe(there.emitted.length);
    expect(sent).toBeGreaterThanOrEqual(last * (N + 8));
    expect(sent).toBeLessThan(last * (N + 8) + emits * 4096);
  });
});
