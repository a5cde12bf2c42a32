import { describe, expect, it } from 'vitest';
import type { SpinsValue } from '../../src/graph/values';
import { blockspinNode } from '../../nodes/blockspin/index';
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
