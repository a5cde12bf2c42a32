/** graphs/binder-crossing: the Binder cumulants of L = 8, 16, 32 cross near Tc, near U* = 0.61069. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { Summary } from '../../src/cli/summary';
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

function binder(L: number): { T: number[]; U: number[] } {
  const table = summary.nodes[`observables-${L}`].outputs.table as { columns: string[]; rows: number[][] };
  const [iT, iU] = [table.columns.indexOf('T'), table.columns.indexOf('binder')];
  return { T: table.rows.map((r) => r[iT]), U: table.rows.map((r) => r[iU]) };
}

/** Where U_a(T) - U_b(T) changes sign, by linear interpolation between the bracketing temperatures. */
function crossing(a: number, b: number): { T: number; U: number } {
  const [A, B] = [binder(a), binder(b)];
  const d = A.U.map((u, i) => u - B.U[i]);
  const i = d.findIndex((x, k) => k > 0 && Math.sign(d[k - 1]) !== Math.sign(x));
  if (i < 0) throw new Error(`U_${a} and U_${b} do not cross in the sampled range`);
  const f = d[i - 1] / (d[i - 1] - d[i]);
  const T = A.T[i - 1] + f * (A.T[i] - A.T[i - 1]);
  const U = A.U[i - 1] + f * (A.U[i] - A.U[i - 1]);
  return { T, U };
}

describe('graphs/binder-crossing', () => {
  it('has U ordered by size away from Tc: larger lattices more ordered below, less above', () => {
    const [u8, u16, u32] = [binder(8).U, binder(16).U, binder(32).U];
    expect(u32[0]).toBeGreaterThan(u16[0]);
    expect(u16[0]).toBeGreaterThan(u8[0]);
    expect(u32.at(-1)!).toBeLessThan(u16.at(-1)!);
    expect(u16.at(-1)!).toBeLessThan(u8.at(-1)!);
  });

  it.each([
    [8, 16],
    [16, 32],
    [8, 32],
  ])('U_%i and U_%i cross within 0.02 of Tc, near U* = 0.61069', (a, b) => {
    const { T, U } = crossing(a, b);
    expect(Math.abs(T - TC)).toBeLessThan(0.02);
    // corrections to scaling at these sizes shift U at the crossing by up to about 0.01
    expect(Math.abs(U - 0.61069)).toBeLessThan(0.015);
  });

  it('reports the crossings', () => {
    const report = [
      [8, 16],
      [16, 32],
      [8, 32],
    ].map(([a, b]) => ({ sizes: [a, b], ...crossing(a, b), TminusTc: crossing(a, b).T - TC }));
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/binder-crossing.json', JSON.stringify(report, null, 2));
    expect(report).toHaveLength(3);
  });

  it('draws the three curves with Tc marked', () => {
    expect(summary.nodes['binder-plot']).toMatchObject({ status: 'done', outputs: { figure: { type: 'figure', panels: 1 } } });
  });
});
