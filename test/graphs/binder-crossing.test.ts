/**
 * graphs/binder-crossing: the Binder cumulants of L = 8, 16, 32 cross near Tc, near U* = 0.61069, within a
 * few standard errors of the crossing (propagated from the binder_err of the bracketing points).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { Summary } from '../../src/cli/summary';
import { curveCrossing, type Crossing } from '../../src/physics/crossing';
import { TC } from '../../src/physics/exact';
import { createAppPool } from '../../src/workers/app-pool';

const registry = appRegistry();
const pool = createAppPool({ size: 1 });
let summary: Summary;

beforeAll(async () => {
  const loaded = loadGraphText(readFileSync('graphs/binder-crossing.blockspin.json', 'utf8'), registry);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  ({ summary } = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor }));
}, 180_000);
afterAll(() => pool.dispose());

function binder(L: number): { T: number[]; U: number[]; err: number[] } {
  const table = summary.nodes[`observables-${L}`].outputs.table as { columns: string[]; rows: number[][] };
  const [iT, iU, iE] = ['T', 'binder', 'binder_err'].map((c) => table.columns.indexOf(c));
  return { T: table.rows.map((r) => r[iT]), U: table.rows.map((r) => r[iU]), err: table.rows.map((r) => r[iE]) };
}

/** Where U_a(T) - U_b(T) changes sign, by linear interpolation, with its propagated error. */
function crossing(a: number, b: number): Crossing {
  const [A, B] = [binder(a), binder(b)];
  const c = curveCrossing({ T: A.T, y: A.U, err: A.err }, { T: B.T, y: B.U, err: B.err });
  if (!c) throw new Error(`U_${a} and U_${b} do not cross in the sampled range`);
  return c;
}

describe('graphs/binder-crossing', () => {
  it('has U ordered by size away from Tc: larger lattices more ordered below, less above', () => {
    const [u8, u16, u32] = [binder(8).U, binder(16).U, binder(32).U];
    expect(u32[0]).toBeGreaterThan(u16[0]);
    expect(u16[0]).toBeGreaterThan(u8[0]);
    expect(u32.at(-1)!).toBeLessThan(u16.at(-1)!);
    expect(u16.at(-1)!).toBeLessThan(u8.at(-1)!);
  });

  it('has real error bars on U: jackknife binder_err of 0.02 % to 2 % of U', () => {
    for (const L of [8, 16, 32]) {
      const { U, err } = binder(L);
      err.forEach((e, i) => {
        expect(e / U[i]).toBeGreaterThan(0.0002);
        expect(e / U[i]).toBeLessThan(0.02);
      });
    }
  });

  it.each([
    [8, 16],
    [16, 32],
    [8, 32],
  ])('U_%i and U_%i cross at Tc within 4 standard errors of the crossing, at U* = 0.61069', (a, b) => {
    const c = crossing(a, b);
    expect(c.TErr).toBeGreaterThan(0);
    expect(c.TErr).toBeLessThan(0.02);
    expect(Math.abs(c.T - TC), `T = ${c.T} ± ${c.TErr}`).toBeLessThan(4 * c.TErr);
    expect(Math.abs(c.y - 0.61069), `U = ${c.y} ± ${c.yErr}`).toBeLessThan(4 * c.yErr);
  });

  it('reports the crossings', () => {
    const report = [
      [8, 16],
      [16, 32],
      [8, 32],
    ].map(([a, b]) => {
      const c = crossing(a, b);
      return { sizes: [a, b], T: c.T, TErr: c.TErr, U: c.y, UErr: c.yErr, TminusTc: c.T - TC };
    });
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/binder-crossing.json', JSON.stringify(report, null, 2));
    expect(report).toHaveLength(3);
  });

  it('draws the three curves with Tc marked', () => {
    expect(summary.nodes['binder-plot']).toMatchObject({ status: 'done', outputs: { figure: { type: 'figure', panels: 1 } } });
  });
});
