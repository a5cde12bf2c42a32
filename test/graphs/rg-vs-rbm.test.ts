/** graphs/rg-vs-rbm: one lattice coarse-grained by block spins and by an RBM, measured the same way. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { Summary } from '../../src/cli/summary';
import { createAppPool } from '../../src/workers/app-pool';

const registry = appRegistry();
const pool = createAppPool({ size: 1 });
let summary: Summary;

type Table = { columns: string[]; rows: (number | string | null)[][] };
const rowsOf = (node: string, port = 'table') => {
  const table = summary.nodes[node].outputs[port] as Table;
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])));
};

beforeAll(async () => {
  const loaded = loadGraphText(readFileSync('graphs/rg-vs-rbm.blockspin.json', 'utf8'), registry);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  ({ summary } = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor }));
}, 180_000);
afterAll(() => pool.dispose());

describe('graphs/rg-vs-rbm', () => {
  it('compares both branches on the same 8 x 8 lattice, quantity by quantity, in standard errors', () => {
    const compare = rowsOf('compare');
    expect(compare.map((r) => r.quantity)).toEqual(['e', 'm', 'absm', 'm2', 'm4', 'chi', 'c', 'binder']);
    for (const quantity of ['e', 'absm', 'm2', 'binder']) {
      const row = compare.find((r) => r.quantity === quantity)!;
      for (const column of ['a', 'a_err', 'b', 'b_err', 'sigmas']) expect(Number.isFinite(row[column]), `${quantity}.${column}`).toBe(true);
    }
    expect(summary.nodes.rg.outputs.spins).toMatchObject({ shape: [4000, 8, 8] });
    expect(summary.nodes['rbm-rg'].outputs.spins).toMatchObject({ shape: [4000, 8, 8] });
  });

  it('the RG branch flows away from Tc: its nearest-neighbour correlation is below the input lattice’s', () => {
    const input = rowsOf('input-observables')[0];
    const rg = rowsOf('compare').find((r) => r.quantity === 'e')!;
    // in 2D the nearest-neighbour correlation is -e / 2
    const [nnInput, nnRg] = [-(input.e as number) / 2, -(rg.a as number) / 2];
    const sigma = Math.hypot(input.e_err as number, rg.a_err as number) / 2;
    expect(nnRg).toBeLessThan(nnInput - 5 * sigma);
  });

  it('reports how close the RBM branch comes to the RG branch', () => {
    const compare = rowsOf('compare');
    const report = Object.fromEntries(
      compare.filter((r) => Number.isFinite(r.sigmas)).map((r) => [r.quantity, { rg: r.a, rbm: r.b, sigmas: r.sigmas }]),
    );
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/rg-vs-rbm.json', JSON.stringify(report, null, 2));
    // the RBM's reconstructions keep the coarse physics within a few percent of RG's, not exactly
    const e = compare.find((r) => r.quantity === 'e')!;
    expect(Math.abs((e.b as number) - (e.a as number))).toBeLessThan(0.15);
    const binder = compare.find((r) => r.quantity === 'binder')!;
    expect(Math.abs((binder.b as number) - (binder.a as number))).toBeLessThan(0.1);
  });
});
