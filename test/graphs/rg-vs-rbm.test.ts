/**
 * graphs/rg-vs-rbm: one lattice coarse-grained by block spins and by an RBM's hidden units, measured on the
 * same axes. The RG side must shrink the correlation length by b (xi' = xi / b, within errors); the RBM
 * side is reported with its error, as a measurement, not asserted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { Summary } from '../../src/cli/summary';
import { createAppPool } from '../../src/workers/app-pool';
import { tableRows } from '../helpers/summary-tables';

const registry = appRegistry();
const pool = createAppPool({ size: 1 });
let summary: Summary;
const b = 2;

beforeAll(async () => {
  const loaded = loadGraphText(readFileSync('graphs/rg-vs-rbm.blockspin.json', 'utf8'), registry);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  ({ summary } = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor }));
}, 180_000);
afterAll(() => pool.dispose());

const num = (x: unknown) => x as number;
const compareRow = (quantity: string) => tableRows(summary, 'compare').find((r) => r.quantity === quantity)!;

describe('graphs/rg-vs-rbm', () => {
  it('compares both coarse lattices quantity by quantity in standard errors, xi included', () => {
    const compare = tableRows(summary, 'compare');
    expect(compare.map((r) => r.quantity)).toEqual(['e', 'm', 'absm', 'm2', 'm4', 'chi', 'c', 'binder', 'xi']);
    for (const quantity of ['absm', 'm2', 'binder', 'xi']) {
      const row = compare.find((r) => r.quantity === quantity)!;
      for (const column of ['a', 'a_err', 'b', 'b_err', 'sigmas']) expect(Number.isFinite(row[column]), `${quantity}.${column}`).toBe(true);
    }
    // Hidden spins at positions have no bonds: no energy on the RBM side.
    expect(Number.isFinite(compareRow('e').b)).toBe(false);
    expect(summary.nodes.rg.outputs.spins).toMatchObject({ shape: [4000, 8, 8] });
    expect(summary.nodes.hidden.outputs.spins).toMatchObject({ shape: [4000, 64] });
    expect(tableRows(summary, 'hidden', 'positions')).toHaveLength(64);
  });

  it('the RG side shrinks the correlation length by b: xi′ = xi / b within 3σ', () => {
    const input = tableRows(summary, 'input-correlation')[0];
    const rg = compareRow('xi');
    const [xi, xiErr] = [num(input.xi), num(input.xi_err)];
    const [xiRg, xiRgErr] = [num(rg.a), num(rg.a_err)];
    const sigma = Math.hypot(xiErr / b, xiRgErr);
    expect(Math.abs(xiRg - xi / b), `xi′ ${xiRg} ± ${xiRgErr}, xi / b ${xi / b} ± ${xiErr / b}`).toBeLessThan(3 * sigma);
    // And it is a coarse-graining at all: one without (b = 1) would be many σ away.
    expect(Math.abs(xiRg - xi)).toBeGreaterThan(20 * Math.hypot(xiErr, xiRgErr));
  });

  it('the RG branch flows away from Tc: its nearest-neighbour correlation is below the input lattice’s', () => {
    const input = tableRows(summary, 'input-observables')[0];
    const rg = compareRow('e');
    // in 2D the nearest-neighbour correlation is -e / 2
    const [nnInput, nnRg] = [-num(input.e) / 2, -num(rg.a) / 2];
    const sigma = Math.hypot(num(input.e_err), num(rg.a_err)) / 2;
    expect(nnRg).toBeLessThan(nnInput - 5 * sigma);
  });

  it('reports how much the RBM shrinks xi, beside RG, with errors', () => {
    const input = tableRows(summary, 'input-correlation')[0];
    const [xi, xiErr] = [num(input.xi), num(input.xi_err)];
    const row = compareRow('xi');
    const shrink = (x: number, err: number) => ({
      value: xi / x,
      // Errors in quadrature; the sides share the input samples, so this overstates the ratio's error a little.
      error: (xi / x) * Math.hypot(xiErr / xi, err / x),
    });
    const report = {
      input: { xi, xi_err: xiErr },
      rg: { xi: row.a, xi_err: row.a_err, shrink: shrink(num(row.a), num(row.a_err)) },
      rbm: { xi: row.b, xi_err: row.b_err, shrink: shrink(num(row.b), num(row.b_err)) },
      rbm_minus_rg_sigmas: row.sigmas,
      b,
    };
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/rg-vs-rbm.json', JSON.stringify(report, null, 2));
    console.log(`rg-vs-rbm: ${JSON.stringify(report)}`);
    expect(num(row.b)).toBeGreaterThan(0);
    expect(Number.isFinite(report.rbm.shrink.error)).toBe(true);
  });
});
