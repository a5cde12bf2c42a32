/**
 * rbm.hidden-spins on the exact Ising RBM, where the answer is known: fed samples of its visible marginal,
 * the hidden spins drawn from p(h | v) complete them to Ising samples, so on the chain they are the
 * decimated chain (tanh K' = tanh² K: C(1) = t' and xi = sqrt t' / (1 - t') in spacings, exactly at any L),
 * and on the square lattice the even sublattice of the Ising samples. Orientation under the RBM's gauge
 * freedom, the positions table, tensors, and refusals.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { correlationNode } from '../../nodes/correlation/index';
import { hiddenSpinsNode } from '../../nodes/rbm-hidden-spins/index';
import type { RbmValue, SeriesValue, SpinsValue, TableValue } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import { isingRbm, isingSublattices } from '../../src/ml/ising-rbm';
import { runNode } from '../helpers/run-node';
import { sample } from '../helpers/sample';

beforeAll(async () => {
  await initBackend('cpu');
});

/** The columns of sub-sites `sites` of each sample of a spins value, as a [n, L, L/2] or [n, L/2] value. */
function sublattice(spins: SpinsValue, sites: Int32Array, shape: number[]): SpinsValue {
  const [n] = spins.shape;
  const N = spins.data.length / n;
  const data = new Int8Array(n * sites.length);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < sites.length; k++) data[i * sites.length + k] = spins.data[i * N + sites[k]];
  return { ...spins, shape: [n, ...shape], data };
}

async function hidden(model: RbmValue, data: SpinsValue, seed = 1) {
  const { outputs } = await runNode(hiddenSpinsNode, { model, data }, { seed, backend: 'cpu' });
  return outputs as { spins: SpinsValue; positions: TableValue };
}

async function correlation(spins: SpinsValue) {
  const { outputs } = await runNode(correlationNode, { spins }, {});
  const table = outputs.table as TableValue;
  const series = outputs.series as SeriesValue;
  return { xi: table.rows[0][3] as number, xiErr: table.rows[0][4] as number, series, table };
}

/** The same model with every other hidden unit's 0/1 convention flipped: h -> 1 - h, W -> -W (same joint law). */
function gaugeFlipped(model: RbmValue): RbmValue {
  const W = model.W.slice();
  const vbias = model.vbias.slice();
  const hbias = model.hbias.slice();
  for (let j = 0; j < model.nh; j += 2) {
    hbias[j] = -hbias[j];
    for (let i = 0; i < model.nv; i++) {
      vbias[i] += W[i * model.nh + j];
      W[i * model.nh + j] = -W[i * model.nh + j];
    }
  }
  return { ...model, W, vbias, hbias };
}

describe('rbm.hidden-spins on the exact Ising chain', async () => {
  const L = 64;
  const t = Math.tanh(1); // T = 1
  const tDecimated = t * t;
  // The visible marginal of the exact RBM is the chain of L/2 sites at tanh K' = t².
  const visible = await sample({
    dim: 1,
    L: L / 2,
    T: 1 / Math.atanh(tDecimated),
    algorithm: 'wolff',
    samples: 6000,
    seed: 8,
  });
  const model = isingRbm({ dim: 1, L, T: 1, J: 1, h: 0 });

  it('gives hidden spins that are the decimated chain: C(1) = t² and xi = t / (1 - t²) in spacings, within 3σ', async () => {
    const { spins } = await hidden(model, visible);
    expect(spins.shape).toEqual([6000, L / 2]);
    expect(spins.sites!.spacing).toBe(2);
    const { xi, xiErr, series } = await correlation(spins);
    const exactXi = Math.sqrt(tDecimated) / (1 - tDecimated);
    expect(Math.abs(xi - exactXi), `xi ${xi} ± ${xiErr}, exact ${exactXi}`).toBeLessThan(3 * xiErr);
    const n = L / 2;
    const exactC1 = (tDecimated + tDecimated ** (n - 1)) / (1 + tDecimated ** n);
    const [c1, c1Err] = [series.curves[0].y[1], series.curves[0].err![1]];
    expect(Math.abs(c1 - exactC1), `C(1) ${c1} ± ${c1Err}, exact ${exactC1}`).toBeLessThan(3 * c1Err);
    // Far from what a map that lost the decimation would give: adjacent sites' correlation t.
    expect(Math.abs(c1 - t)).toBeGreaterThan(20 * c1Err);
  });

  it('orients units whose convention is flipped, so their spins point with their region as before', async () => {
    const flipped = gaugeFlipped(model);
    const { spins, positions } = await hidden(flipped, visible);
    expect(positions.rows.map((r) => r[4])).toEqual(Array.from({ length: L / 2 }, (_, j) => (j % 2 === 0 ? -1 : 1)));
    const { series } = await correlation(spins);
    const [c1, c1Err] = [series.curves[0].y[1], series.curves[0].err![1]];
    expect(Math.abs(c1 - tDecimated)).toBeLessThan(3 * c1Err + 0.01);
  });

  it('is reproducible per seed, keeps the data’s temperatures, and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const [a, b, c] = [
      await hidden(model, visible, 5),
      await hidden(model, visible, 5),
      await hidden(model, visible, 6),
    ];
    expect(tf.memory().numTensors).toBe(before);
    expect(a.spins.data).toEqual(b.spins.data);
    expect(a.spins.data).not.toEqual(c.spins.data);
    expect(a.spins.T).toEqual(visible.T);
    expect(a.positions.columns).toEqual(['unit', 'x', 'y', 'spread', 'sign']);
    expect(a.positions.rows[3].slice(0, 3)).toEqual([3, 6, 0]);
  });

  it('refuses data of another shape than the model’s visible units, naming both', async () => {
    const wrong = await sample({ dim: 1, L: 16, T: 1, algorithm: 'wolff', samples: 10, seed: 1 });
    await expect(hidden(model, wrong)).rejects.toThrow(
      "data: samples of shape [16], but the model's visible shape is [32]",
    );
    await expect(runNode(hiddenSpinsNode, { model: visible, data: visible }, {})).rejects.toThrow(
      'model: expected an rbm, got spins',
    );
  });
});

describe('rbm.hidden-spins on the exact square-lattice RBM', () => {
  it('gives the even sublattice of Ising samples: the same xi in spacings, within 3σ', async () => {
    const L = 8;
    const T = 2.5;
    const lattice = await sample({ L, T, algorithm: 'wolff', samples: 4000, seed: 3 });
    const { visible: odd, hidden: even } = isingSublattices(2, L);
    const { spins } = await hidden(isingRbm({ dim: 2, L, T, J: 1, h: 0 }), sublattice(lattice, odd, [L, L / 2]), 2);
    // The even sites of the same samples, placed where the model places its hidden units.
    const direct: SpinsValue = { ...sublattice(lattice, even, [L * (L / 2)]), sites: spins.sites };
    const [fromRbm, fromIsing] = [await correlation(spins), await correlation(direct)];
    const sigma = Math.hypot(fromRbm.xiErr, fromIsing.xiErr);
    expect(Math.abs(fromRbm.xi - fromIsing.xi), `${fromRbm.xi} vs ${fromIsing.xi} ± ${sigma}`).toBeLessThan(3 * sigma);
    expect(fromRbm.table.rows[0][5]).toBeCloseTo(Math.SQRT2, 12);
  });
});
