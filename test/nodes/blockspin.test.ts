import { describe, expect, it } from 'vitest';
import type { SeriesValue, SpinsValue } from '../../src/graph/values';
import { blockspinNode } from '../../nodes/blockspin/index';
import { latticeNode } from '../../nodes/lattice/index';
import { paramErrors, runNode } from '../helpers/run-node';

function spins(n: number, L: number, dim: 1 | 2 = 2, fill = 1): SpinsValue {
  const size = dim === 1 ? L : L * L;
  return {
    type: 'spins',
    shape: [n, ...(dim === 1 ? [L] : [L, L])],
    data: new Int8Array(n * size).fill(fill),
    T: Float64Array.from({ length: n }, (_, i) => 2 + i),
    meta: { model: 'ising', dim, L, J: 1, h: 0, blockFactor: 2, provenance: [{ node: 'ising.lattice' }] },
  };
}

describe('rg.blockspin', () => {
  it('blocks level after level, keeping temperatures and recording the cumulative block factor', async () => {
    const { outputs } = await runNode(blockspinNode, { spins: spins(3, 16) }, { b: 2, levels: 3 });
    const out = outputs.spins as SpinsValue;
    expect(out.shape).toEqual([3, 2, 2]);
    expect(Array.from(out.T)).toEqual([2, 3, 4]);
    expect(out.meta).toMatchObject({ L: 2, blockFactor: 16, J: 1, h: 0 });
    expect((out.meta.provenance as unknown[]).at(-1)).toEqual({
      node: 'rg.blockspin',
      rule: 'majority',
      b: 2,
      levels: 3,
    });
    expect(out.data.every((s) => s === 1)).toBe(true);
  });

  it('blocks 1D chains', async () => {
    const { outputs } = await runNode(
      blockspinNode,
      { spins: spins(2, 27, 1, -1) },
      { b: 3, levels: 2, rule: 'decimation' },
    );
    expect((outputs.spins as SpinsValue).shape).toEqual([2, 3]);
  });

  it('says which level fails when L is not divisible by b', async () => {
    await expect(runNode(blockspinNode, { spins: spins(1, 12) }, { b: 2, levels: 3 })).rejects.toThrow(
      'level 3: L = 3 is not divisible by b = 2 (the input has L = 12)',
    );
  });

  it('refuses bad params and a non-square lattice', async () => {
    expect(paramErrors(blockspinNode, { b: 1 }).join()).toContain('b: Too small');
    expect(paramErrors(blockspinNode, { rule: 'median' }).join()).toContain('rule: Invalid option');
    const bad = { ...spins(1, 4), shape: [1, 4, 2], data: new Int8Array(8) };
    await expect(runNode(blockspinNode, { spins: bad }, {})).rejects.toThrow(
      'expected spins of shape [n, L] or [n, L, L]',
    );
  });
});

describe('rg.blockspin flow output', () => {
  it('1D decimation follows the exact recursion tanh K′ = tanh² K, level by level', async () => {
    const T = 1.2;
    const chain = (await runNode(latticeNode, {}, { dim: 1, L: 256, T, samples: 3000, burnIn: 200, thin: 2, seed: 11 }))
      .outputs.spins as SpinsValue;
    const { outputs } = await runNode(blockspinNode, { spins: chain }, { rule: 'decimation', b: 2, levels: 2 });
    const flow = outputs.flow as SeriesValue;
    expect(flow.x).toEqual([0, 1, 2]);
    expect(flow.curves.map((c) => c.name)).toEqual(['T₀ = 1.2']); // no T_c curve in 1D
    let K = 1 / T;
    for (let level = 0; level <= 2; level++) {
      const [Teff, err] = [flow.curves[0].y[level], flow.curves[0].err![level]];
      expect(Math.abs(Teff - 1 / K) / err, `level ${level}: ${Teff} ± ${err} vs ${1 / K}`).toBeLessThan(4);
      K = Math.atanh(Math.tanh(K) ** 2);
    }
  });

  it('2D majority blocking carries T > Tc hotter and T < Tc colder (flow away from Tc)', async () => {
    const spins2d = (
      await runNode(latticeNode, {}, { L: 16, T: [1.8, 2.8], samples: 1000, burnIn: 200, thin: 2, seed: 3 })
    ).outputs.spins as SpinsValue;
    const { outputs } = await runNode(blockspinNode, { spins: spins2d }, { levels: 2 });
    const flow = outputs.flow as SeriesValue;
    const [cold, hot, tc] = flow.curves;
    expect(tc).toMatchObject({ name: 'T_c (exact)', style: 'line' });
    for (let level = 1; level <= 2; level++) {
      expect(cold.y[level]).toBeLessThan(cold.y[level - 1] - 3 * cold.err![level]);
      expect(hot.y[level]).toBeGreaterThan(hot.y[level - 1] + 3 * hot.err![level]);
    }
    expect((flow.meta!.points as { L: number }[][]).map((step) => step[0].L)).toEqual([16, 8, 4]);
  });
});
