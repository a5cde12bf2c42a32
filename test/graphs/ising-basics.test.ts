/** graphs/ising-basics: the measured physics of the example, against exact results. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { Summary } from '../../src/cli/summary';
import { kaufmanEnergy } from '../../src/physics/exact';
import { createAppPool } from '../../src/workers/app-pool';

const registry = appRegistry();
const pool = createAppPool({ size: 1 });
let summary: Summary;

type Table = { columns: string[]; rows: number[][] };
function rows(node: string): Record<string, number>[] {
  const table = summary.nodes[node].outputs.table as Table;
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]])));
}

beforeAll(async () => {
  const loaded = loadGraphText(readFileSync('graphs/ising-basics.blockspin.json', 'utf8'), registry);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  ({ summary } = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor }));
}, 120_000);
afterAll(() => pool.dispose());

describe('graphs/ising-basics', () => {
  it('measures the 32 x 32 energy within 3 standard errors of Kaufman at each temperature', () => {
    const measured = rows('observables');
    expect(measured.map((r) => r.T)).toEqual([2.0, 2.269185, 2.6]);
    for (const row of measured) {
      expect(row.L).toBe(32);
      expect(row.n).toBe(2000);
      expect(Math.abs(row.e - kaufmanEnergy(32, row.T)) / row.e_err).toBeLessThan(3);
    }
  });

  it('shows the same exact values in its Exact Ising node', () => {
    for (const row of rows('exact')) expect(row.e).toBeCloseTo(kaufmanEnergy(32, row.T), 12);
  });

  it('flows away from Tc under block spins: more order below, less above', () => {
    const spins = rows('observables');
    const blocks = rows('block-observables');
    expect(blocks.every((r) => r.L === 16)).toBe(true);
    // nearest-neighbour correlation = -e / 2
    const below = (blocks[0].e - spins[0].e) / Math.hypot(blocks[0].e_err, spins[0].e_err);
    const above = (blocks[2].e - spins[2].e) / Math.hypot(blocks[2].e_err, spins[2].e_err);
    expect(below).toBeLessThan(-5);
    expect(above).toBeGreaterThan(5);
  });

  it('has a correlation length that falls with temperature above Tc', () => {
    const xi = rows('correlation');
    expect(xi[2].xi).toBeLessThan(xi[1].xi);
    expect(xi[2].xi).toBeGreaterThan(1);
  });
});
