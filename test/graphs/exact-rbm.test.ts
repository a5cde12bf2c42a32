/**
 * graphs/exact-rbm: the Exact Ising RBM's samples are the decimated chain (tanh K' = tanh² K) within their
 * errors; the trained RBM beside it is measured the same way and its distance reported.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { Summary } from '../../src/cli/summary';
import { decimatedChainCorrelation } from '../../src/physics/exact';
import { createAppPool } from '../../src/workers/app-pool';
import { tableRows } from '../helpers/summary-tables';

const registry = appRegistry();
const pool = createAppPool({ size: 1 });
let summary: Summary;

const rowsOf = (node: string) => tableRows(summary, node);

beforeAll(async () => {
  const loaded = loadGraphText(readFileSync('graphs/exact-rbm.blockspin.json', 'utf8'), registry);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  ({ summary } = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor }));
}, 120_000);
afterAll(() => pool.dispose());

describe('graphs/exact-rbm', () => {
  // In 1D the energy per spin is -<s_i s_i+1>: for the 32-site chain with tanh K' = tanh² 1, -0.58003.
  const exact = -decimatedChainCorrelation(64, 1, 2);

  it('the exact RBM samples the decimated chain: e = -C(1) within 3 standard errors of -tanh² K', () => {
    const [row] = rowsOf('exact-observables');
    expect(row).toMatchObject({ T: 1, L: 32, n: 3000 });
    // Observed: -0.5828 ± 0.0023 (+1.2 σ from -0.5800).
    expect(row.e_err as number).toBeLessThan(0.005);
    expect(Math.abs((row.e as number) - exact) / (row.e_err as number)).toBeLessThan(3);
  });

  // Observed: the trained RBM's samples after 100 Gibbs steps, decimated, give -0.399 ± 0.003, 57 σ short of
  // the exact value (-0.467 after 20 epochs on 4000 samples): CD-1 at this size does not learn the chain's
  // distribution well. Reported, not judged.
  it('measures the trained RBM the same way and reports its distance from the exact decimation', () => {
    const [trained] = rowsOf('trained-observables');
    expect(trained).toMatchObject({ T: 1, L: 32, n: 3000 });
    const compared = rowsOf('compare').find((r) => r.quantity === 'e')!;
    const report = {
      exactDecimation: exact,
      exactRbm: { e: compared.a, err: compared.a_err },
      trainedRbm: { e: compared.b, err: compared.b_err, sigmasFromExact: ((trained.e as number) - exact) / (trained.e_err as number) },
      exactVsTrainedSigmas: compared.sigmas,
    };
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/exact-rbm.json', JSON.stringify(report, null, 2));
    expect(compared.a).toBe(rowsOf('exact-observables')[0].e);
    expect(compared.b).toBe(trained.e);
    expect(Number.isFinite(compared.sigmas)).toBe(true);
  });

  it('draws its figures: the energies on the exact curve, the two chains compared, the two models’ fields', () => {
    for (const id of ['plot', 'compare', 'weights']) expect(summary.nodes[id].status).toBe('done');
  });
});
