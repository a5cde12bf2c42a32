/**
 * graphs/binder-sweep, swept as the README shows it (smaller): L = 8, 16 at five temperatures around Tc
 * through `graph sweep`, and the merged table's Binder curves cross at Tc within a few standard errors
 * of the crossing, near U* = 0.61069. The physics of the sweep, not only its bookkeeping.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { curveCrossing } from '../../src/physics/crossing';
import { TC } from '../../src/physics/exact';
import { cli } from '../helpers/cli';

const dir = join(mkdtempSync(join(tmpdir(), 'blockspin-binder-sweep-')), 'sweep');
const TEMPERATURES = [2.2, 2.24, 2.27, 2.3, 2.34];
let table: { columns: string[]; rows: number[][] };
let run: ReturnType<typeof cli>;

beforeAll(() => {
  run = cli(
    'sweep',
    'graphs/binder-sweep.blockspin.json',
    '--grid',
    'lattice.L=8,16',
    '--grid',
    `lattice.T=${TEMPERATURES.join(',')}`,
    '--out',
    dir,
  );
  const summary = JSON.parse(readFileSync(join(dir, 'merged', 'summary.json'), 'utf8'));
  table = summary.nodes.observables.outputs.table;
}, 300_000);

function curve(L: number) {
  const col = (name: string) => table.columns.indexOf(name);
  const rows = table.rows.filter((r) => r[col('lattice.L')] === L);
  return {
    T: rows.map((r) => r[col('T')]),
    y: rows.map((r) => r[col('binder')]),
    err: rows.map((r) => r[col('binder_err')]),
  };
}

describe('graphs/binder-sweep, swept over L and T', () => {
  it('runs every task and merges one row per (L, T), in grid order', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(table.columns.slice(0, 4)).toEqual(['lattice.L', 'lattice.T', 'T', 'L']);
    expect(table.rows.map((r) => [r[0], r[1]])).toEqual(
      [8, 16].flatMap((L) => TEMPERATURES.map((T) => [L, T])),
    );
    expect(curve(16).T).toEqual(TEMPERATURES);
  });

  it('has U_8 and U_16 cross at Tc within 4 standard errors of the crossing, at U*', () => {
    const c = curveCrossing(curve(8), curve(16));
    if (!c) throw new Error('U_8 and U_16 do not cross between 2.2 and 2.34');
    expect(c.TErr).toBeGreaterThan(0);
    expect(c.TErr).toBeLessThan(0.03);
    expect(Math.abs(c.T - TC), `T = ${c.T} ± ${c.TErr}`).toBeLessThan(4 * c.TErr);
    expect(Math.abs(c.y - 0.61069), `U = ${c.y} ± ${c.yErr}`).toBeLessThan(4 * c.yErr);
  });
});
