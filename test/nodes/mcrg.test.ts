import { describe, expect, it } from 'vitest';
import { mcrgNode } from '../../nodes/mcrg';
import { appRegistry } from '../../nodes/index';
import type { SpinsValue, TableValue } from '../../src/graph/values';
import { TC } from '../../src/physics/exact';
import { runNode, paramErrors } from '../helpers/run-node';
import { sample } from '../helpers/sample';

function concat(a: SpinsValue, b: SpinsValue): SpinsValue {
  const data = new Int8Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  const T = new Float64Array(a.T.length + b.T.length);
  T.set(a.T);
  T.set(b.T, a.T.length);
  return { ...a, shape: [a.shape[0] + b.shape[0], ...a.shape.slice(1)], data, T };
}

describe('rg.mcrg node', () => {
  it('declares its contract and is registered', () => {
    expect(mcrgNode).toMatchObject({
      type: 'rg.mcrg',
      version: 1,
      title: 'MCRG exponents',
      category: 'Renormalization',
      heavy: true,
    });
    expect(Object.keys(mcrgNode.inputs)).toEqual(['spins']);
    expect(mcrgNode.outputs.table.type).toBe('table');
    expect(mcrgNode.params.parse({})).toMatchObject({ b: 2, levels: 3, rule: 'majority' });
    expect(paramErrors(mcrgNode, { b: 1 })).toHaveLength(1);
    expect(appRegistry().get('rg.mcrg')).toBe(mcrgNode);
  });

  it('estimates small working memory: the operator values per sample and level', () => {
    const estimate = mcrgNode.resources!(mcrgNode.params.parse({}), {
      spins: { bytes: 4096 * 1000, shape: [1000, 64, 64] },
    });
    expect(estimate.working).toBeGreaterThan(8 * 1000 * 4 * 6);
    expect(estimate.working).toBeLessThan(1e6);
  });

  it('gives one row per temperature and level with the catalogue columns, and reports progress', async () => {
    const hot = await sample({ L: 32, T: 3, algorithm: 'wolff', samples: 400, burnIn: 100, seed: 2 });
    const crit = await sample({ L: 32, T: TC, algorithm: 'wolff', samples: 400, burnIn: 100, seed: 3 });
    const { outputs, progress } = await runNode(mcrgNode, { spins: concat(hot, crit) }, { levels: 2 });
    const table = outputs.table as TableValue;
    expect(table.columns).toEqual(['T', 'level', 'y_T', 'y_T_err', 'y_H', 'y_H_err']);
    expect(table.rows.map((r) => [r[0], r[1]])).toEqual([
      [3, 1],
      [3, 2],
      [TC, 1],
      [TC, 2],
    ]);
    for (const r of table.rows) for (const v of r.slice(2)) expect(Number.isFinite(v)).toBe(true);
    // y_H at Tc is near 15/8 even from 400 samples of L = 32; at T = 3 it is clearly lower.
    expect(Math.abs((table.rows[2][4] as number) - 1.875)).toBeLessThan(0.02);
    expect(table.rows[1][4] as number).toBeLessThan(1.6);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(table.meta).toMatchObject({
      b: 2,
      levels: 2,
      even: ['nn', 'nnn', '3rd', 'plaquette'],
      odd: ['m', '3-spin'],
    });
  });

  it('refuses an L not divisible by b^levels, 1D spins, and a missing input, saying what to change', async () => {
    const s = await sample({ L: 36, T: TC, algorithm: 'wolff', samples: 4, burnIn: 1, seed: 1 });
    await expect(runNode(mcrgNode, { spins: s }, { levels: 3 })).rejects.toThrow(
      /L = 36 is not divisible by b\^levels = 2\^3 = 8/,
    );
    const chain = await sample({ dim: 1, L: 32, T: 1, algorithm: 'metropolis', samples: 4, burnIn: 1, seed: 1 });
    await expect(runNode(mcrgNode, { spins: chain }, {})).rejects.toThrow(/2D spins/);
    await expect(runNode(mcrgNode, {}, {})).rejects.toThrow(/no spins/);
  });

  it('stops when cancelled', async () => {
    const s = await sample({ L: 64, T: TC, algorithm: 'wolff', samples: 300, burnIn: 10, seed: 1 });
    const controller = new AbortController();
    controller.abort();
    await expect(runNode(mcrgNode, { spins: s }, {}, controller.signal)).rejects.toThrow();
  });
});
