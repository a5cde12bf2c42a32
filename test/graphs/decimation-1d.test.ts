/** graphs/decimation-1d: decimation of the chain follows tanh K' = tanh² K; the RBM branch is compared with it. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { Summary } from '../../src/cli/summary';
import { decimatedChainCorrelation } from '../../src/physics/exact';
import { createAppPool } from '../../src/workers/app-pool';

const registry = appRegistry();
const pool = createAppPool({ size: 1 });
let summary: Summary;

type Table = { columns: string[]; rows: (number | string | null)[][] };
const rowsOf = (node: string) => {
  const table = summary.nodes[node].outputs.table as Table;
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])));
};

beforeAll(async () => {
  const loaded = loadGraphText(readFileSync('graphs/decimation-1d.blockspin.json', 'utf8'), registry);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  ({ summary } = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor }));
}, 180_000);
afterAll(() => pool.dispose());

describe('graphs/decimation-1d', () => {
  it("the decimated chain's nearest-neighbour correlation is tanh² K within 3 standard errors at every temperature", () => {
    const rows = rowsOf('decimated-observables');
    expect(rows.map((r) => r.T)).toEqual([0.8, 1.0, 1.25, 1.5, 2.0, 3.0]);
    for (const row of rows) {
      expect(row.L).toBe(32);
      // in 1D the energy per spin is -<s_i s_i+1>; exact for the periodic 64-chain decimated to 32 sites
      const exact = decimatedChainCorrelation(64, row.T as number, 2);
      expect(Math.abs(-(row.e as number) - exact) / (row.e_err as number)).toBeLessThan(3);
      expect(Math.abs(exact - Math.tanh(1 / (row.T as number)) ** 2)).toBeLessThan(1e-4); // the infinite chain
    }
  });

  it('compares the RBM branch with the exact decimation at each temperature and reports the difference', () => {
    const rows = rowsOf('compare');
    expect(rows).toHaveLength(6 * 8);
    const energies = rows.filter((r) => r.quantity === 'e');
    expect(energies.map((r) => r.T_a)).toEqual(energies.map((r) => r.T_b)); // reconstructions keep their T
    const report = energies.map((r) => ({ T: r.T_a, decimation: r.a, rbm: r.b, sigmas: r.sigmas }));
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/decimation-1d.json', JSON.stringify(report, null, 2));
    for (const r of report) expect(Number.isFinite(r.sigmas)).toBe(true);
  });
});
