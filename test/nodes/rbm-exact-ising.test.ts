/**
 * rbm.exact-ising: the Ising model on a bipartite periodic lattice as an exact RBM. By enumeration, its joint
 * distribution over (v, h) is the Ising Boltzmann distribution and its visible marginal is the lattice with
 * the hidden sublattice summed out (1D: the chain of L/2 sites with tanh K' = tanh² K). Sampled through the
 * real Sampler and measured by Correlation, it reproduces the decimated chain. Shapes, budget, refusals.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { correlationNode } from '../../nodes/correlation/index';
import { exactIsingRbmNode } from '../../nodes/rbm-exact-ising/index';
import { plotNode } from '../../nodes/plot/index';
import { samplerNode } from '../../nodes/rbm-sampler/index';
import type { RbmValue, SeriesValue, SpinsValue } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import { visibleDistribution } from '../../src/ml/exact';
import { isingSublattices } from '../../src/ml/ising-rbm';
import { decimatedChainCorrelation } from '../../src/physics/exact';
import { bondSum } from '../../src/physics/observables';
import { paramErrors, runNode } from '../helpers/run-node';

interface Case {
  dim: 1 | 2;
  L: number;
  T: number;
  J: number;
  h: number;
}

async function modelOf(params: Case): Promise<RbmValue> {
  return (await runNode(exactIsingRbmNode, {}, { ...params })).outputs.model as RbmValue;
}

function logSumExp(values: Float64Array): number {
  let max = -Infinity;
  for (const x of values) max = Math.max(max, x);
  let sum = 0;
  for (const x of values) sum += Math.exp(x - max);
  return max + Math.log(sum);
}

/**
 * Every spin configuration of the lattice (bit b of the index is site b, 1 = up), with its exact Ising
 * log-probability (float64, the energy from the project's own bondSum) and the RBM's log-probability of the
 * same configuration as (v, h), from the model's float32 weights. Also the index of its visible state.
 */
function enumerate(model: RbmValue, c: Case) {
  const N = c.dim === 1 ? c.L : c.L * c.L;
  const { visible, hidden } = isingSublattices(c.dim, c.L);
  const states = 2 ** N;
  const ising = new Float64Array(states);
  const rbm = new Float64Array(states);
  const visibleIndex = new Uint32Array(states);
  const s = new Int8Array(N);
  const v = new Float64Array(model.nv);
  const u = new Float64Array(model.nh);
  for (let x = 0; x < states; x++) {
    let M = 0;
    for (let b = 0; b < N; b++) {
      s[b] = (x >>> b) & 1 ? 1 : -1;
      M += s[b];
    }
    ising[x] = (c.J * bondSum(s, 0, c.dim, c.L) + c.h * M) / c.T;
    let index = 0;
    for (let k = 0; k < model.nv; k++) {
      v[k] = s[visible[k]] > 0 ? 1 : 0;
      index |= v[k] << k;
    }
    for (let k = 0; k < model.nh; k++) u[k] = s[hidden[k]] > 0 ? 1 : 0;
    visibleIndex[x] = index;
    // -E_rbm(v, h) = vb·v + hb·h + vᵀ W h
    let weight = 0;
    for (let i = 0; i < model.nv; i++) weight += model.vbias[i] * v[i];
    for (let j = 0; j < model.nh; j++) weight += model.hbias[j] * u[j];
    for (let i = 0; i < model.nv; i++) {
      if (v[i] === 0) continue;
      for (let j = 0; j < model.nh; j++) weight += model.W[i * model.nh + j] * u[j];
    }
    rbm[x] = weight;
  }
  const logZIsing = logSumExp(ising);
  const logZRbm = logSumExp(rbm);
  return {
    logpIsing: ising.map((w) => w - logZIsing),
    logpRbm: rbm.map((w) => w - logZRbm),
    rbmLogWeight: rbm,
    isingLogWeight: ising,
    logZIsing,
    logZRbm,
    visibleIndex,
  };
}

/** The largest |p - q| / max(p, q) over matching entries: a relative error that small probabilities cannot hide. */
function maxRelativeError(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - q[i]) / Math.max(p[i], q[i]));
  return worst;
}

/**
 * Float32 weights: each of W = 4K and the biases 2H - 4 dim K carries a relative rounding error of at most
 * 2^-24 (6e-8), so a log-weight, a sum of at most a few dozen such terms of size |K| or |H| (2D L = 4: 32
 * bonds and 16 biases), is off by at most about 1e-5, and so is every probability, relatively. Measured: at most
 * 1.3e-6 (2D, L = 4, T = 3, J = 1.5, h = 0.5; 1e-16 where every weight is exact in float32); 1e-5 is the bound.
 */
const TOLERANCE = 1e-5;

const CASES: Case[] = [
  { dim: 1, L: 4, T: 1, J: 1, h: 0 },
  { dim: 1, L: 6, T: 0.8, J: 1, h: 0.25 },
  { dim: 1, L: 8, T: 2.5, J: 0.7, h: -0.4 },
  { dim: 1, L: 8, T: 1.5, J: -1.2, h: 0.3 },
  { dim: 1, L: 2, T: 1.3, J: 1, h: 0.1 },
  { dim: 2, L: 2, T: 2, J: 1, h: 0 },
  { dim: 2, L: 4, T: 2.269185, J: 1, h: 0 },
  { dim: 2, L: 4, T: 3, J: 1.5, h: 0.5 },
  { dim: 2, L: 4, T: 1.8, J: -0.8, h: -0.3 },
];

beforeAll(async () => {
  await initBackend();
});

describe('rbm.exact-ising node', () => {
  it('declares its contract and is registered', () => {
    expect(exactIsingRbmNode.type).toBe('rbm.exact-ising');
    expect(exactIsingRbmNode.title).toBe('Exact Ising RBM');
    expect(Object.keys(exactIsingRbmNode.inputs)).toEqual([]);
    expect(Object.keys(exactIsingRbmNode.outputs)).toEqual(['model']);
    expect(exactIsingRbmNode.outputs.model.type).toBe('rbm');
    expect(exactIsingRbmNode.params.parse({})).toEqual({ dim: 1, L: 64, T: 1, J: 1, h: 0 });
    expect(appRegistry().get('rbm.exact-ising')).toBe(exactIsingRbmNode);
  });

  it('builds W = 4K per bond and both biases 2H - 4 dim K, and says how it was made', async () => {
    const chain = await modelOf({ dim: 1, L: 8, T: 2, J: 1, h: 0.5 });
    expect(chain).toMatchObject({ type: 'rbm', nv: 4, nh: 4, visibleShape: [4] });
    expect(chain.training).toEqual({ exact: true, dim: 1, L: 8, T: 2, J: 1, h: 0.5, logZOffset: 8 * (0.5 - 0.25) });
    // visible k is site 2k + 1, hidden k is site 2k: visible k touches hidden k and k + 1 (periodic)
    expect(Array.from(chain.W)).toEqual([2, 2, 0, 0, 0, 2, 2, 0, 0, 0, 2, 2, 2, 0, 0, 2]);
    expect(Array.from(chain.vbias)).toEqual([-1.5, -1.5, -1.5, -1.5]);
    expect(Array.from(chain.hbias)).toEqual([-1.5, -1.5, -1.5, -1.5]);
    const square = await modelOf({ dim: 2, L: 6, T: 1, J: 1, h: 0 });
    expect(square).toMatchObject({ nv: 18, nh: 18, visibleShape: [6, 3] });
    for (let i = 0; i < square.nv; i++) {
      const row = Array.from(square.W.subarray(i * 18, i * 18 + 18));
      expect(row.filter((w) => w === 4)).toHaveLength(4); // four distinct hidden neighbours at L = 6
      expect(row.filter((w) => w !== 0 && w !== 4)).toEqual([]);
    }
    expect(square.vbias[0]).toBe(-8);
    // L = 2: each pair is joined twice (i -> i + 1 and back, periodic), as bondSum counts it
    expect(Array.from((await modelOf({ dim: 1, L: 2, T: 1, J: 1, h: 0 })).W)).toEqual([8]);
  });

  it('puts the odd sites (i + j odd in 2D) on the visible layer, row by row', () => {
    expect(Array.from(isingSublattices(1, 8).visible)).toEqual([1, 3, 5, 7]);
    expect(Array.from(isingSublattices(1, 8).hidden)).toEqual([0, 2, 4, 6]);
    const { visible, hidden } = isingSublattices(2, 4);
    expect(Array.from(visible)).toEqual([1, 3, 4, 6, 9, 11, 12, 14]);
    expect(Array.from(hidden)).toEqual([0, 2, 5, 7, 8, 10, 13, 15]);
    for (const site of visible) expect((Math.floor(site / 4) + (site % 4)) % 2).toBe(1);
  });

  it.each(CASES)(
    'by enumeration: joint = Ising Boltzmann, visible marginal = the hidden sublattice summed out (dim $dim, L = $L, T = $T, J = $J, h = $h)',
    async (c) => {
      const model = await modelOf(c);
      const e = enumerate(model, c);
      // The same distribution over all 2^N configurations...
      expect(maxRelativeError(e.logpRbm.map(Math.exp), e.logpIsing.map(Math.exp))).toBeLessThan(TOLERANCE);
      // ...configuration by configuration the log-weights differ by the constant N (dim K - H)
      const offset = model.training.logZOffset as number;
      let worstShift = 0;
      for (let x = 0; x < e.rbmLogWeight.length; x++)
        worstShift = Math.max(worstShift, Math.abs(e.isingLogWeight[x] - e.rbmLogWeight[x] - offset));
      expect(worstShift).toBeLessThan(TOLERANCE * Math.max(1, Math.abs(offset)));
      expect(Math.abs(e.logZIsing - e.logZRbm - offset)).toBeLessThan(TOLERANCE * Math.max(1, Math.abs(offset)));
      // The exact visible marginal: the Ising probabilities summed over the hidden sublattice.
      const marginal = new Float64Array(2 ** model.nv);
      e.logpIsing.forEach((lp, x) => (marginal[e.visibleIndex[x]] += Math.exp(lp)));
      expect(maxRelativeError(visibleDistribution(model), marginal)).toBeLessThan(TOLERANCE);
    },
  );

  it.each([
    { L: 4, T: 1 },
    { L: 8, T: 0.7 },
    { L: 16, T: 1.5 },
    { L: 12, T: 3, J: -1 },
  ])(
    "1D: the visible marginal is the periodic chain of L/2 sites with tanh K' = tanh² K (L = $L, T = $T)",
    async ({ L, T, J = 1 }) => {
      const model = await modelOf({ dim: 1, L, T, J, h: 0 });
      const p = visibleDistribution(model);
      const N = L / 2;
      const t = Math.tanh(J / T) ** 2;
      const Kp = Math.atanh(t);
      // the whole distribution: exp(K' Σ s_k s_k+1) / Z' over the 2^N visible states
      const chain = new Float64Array(p.length);
      for (let x = 0; x < p.length; x++) {
        let bonds = 0;
        for (let k = 0; k < N; k++) bonds += (((x >>> k) & 1) * 2 - 1) * (((x >>> ((k + 1) % N)) & 1) * 2 - 1);
        chain[x] = Kp * bonds;
      }
      const logZ = logSumExp(chain);
      expect(
        maxRelativeError(
          p,
          chain.map((w) => Math.exp(w - logZ)),
        ),
      ).toBeLessThan(TOLERANCE);
      // C(r) = (t^r + t^(N-r)) / (1 + t^N), PHYSICS.md's periodic chain with N = L/2 and t = tanh² K
      for (let r = 0; r <= N / 2; r++) {
        let C = 0;
        for (let x = 0; x < p.length; x++) {
          let sum = 0;
          for (let k = 0; k < N; k++) sum += (((x >>> k) & 1) * 2 - 1) * (((x >>> ((k + r) % N)) & 1) * 2 - 1);
          C += (p[x] * sum) / N;
        }
        expect(C).toBeCloseTo((t ** r + t ** (N - r)) / (1 + t ** N), 6);
      }
      expect(decimatedChainCorrelation(L, T, 2, J)).toBeCloseTo((t + t ** (N - 1)) / (1 + t ** N), 12);
    },
  );

  it('sampled by the real Sampler, its chain has the decimated C(1) (1D, L = 64, T = 1)', async () => {
    const before = tf.memory().numTensors;
    const model = await modelOf({ dim: 1, L: 64, T: 1, J: 1, h: 0 });
    // 2000 independent chains, 100 block-Gibbs steps each: one step updates the visible sublattice given
    // the hidden one, so 100 steps are many relaxation times of a chain with ξ' = 1.8 sites.
    const { outputs } = await runNode(samplerNode, { model }, { samples: 2000, steps: 100, seed: 11 });
    const spins = outputs.spins as SpinsValue;
    expect(spins.shape).toEqual([2000, 32]);
    expect(spins.meta).toMatchObject({ dim: 1, L: 32, J: 1, h: 0 });
    const correlation = await runNode(correlationNode, { spins });
    const series = correlation.outputs.series as SeriesValue;
    const [curve] = series.curves;
    const exact = decimatedChainCorrelation(64, 1, 2); // 0.58002
    const sigmas = (curve.y[1] - exact) / curve.err![1];
    // Observed: C(1) = 0.5830 ± 0.0031 against 0.5800 (+0.95 σ).
    expect(curve.err![1]).toBeLessThan(0.01);
    expect(Math.abs(sigmas)).toBeLessThan(4);
    // and a few more distances, each within 4 standard errors of (t^r + t^(32-r)) / (1 + t^32)
    for (const r of [2, 3, 4]) {
      const t = Math.tanh(1) ** 2;
      expect(Math.abs(curve.y[r] - (t ** r + t ** (32 - r)) / (1 + t ** 32))).toBeLessThan(4 * curve.err![r]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('2D: the Sampler draws its [L, L/2] visible lattice with the exact diagonal correlation, and Plot draws it', async () => {
    const c: Case = { dim: 2, L: 4, T: 2.5, J: 1, h: 0 };
    const model = await modelOf(c);
    // exact <s_a s_b> over visible pairs that share a hidden neighbour (the visible sublattice's nearest
    // neighbours, at distance √2), by enumeration of the visible marginal
    const { visible } = isingSublattices(2, 4);
    const pairs: [number, number][] = [];
    for (let a = 0; a < 8; a++)
      for (let b = a + 1; b < 8; b++) {
        const [ia, ja, ib, jb] = [visible[a] >> 2, visible[a] & 3, visible[b] >> 2, visible[b] & 3];
        const di = Math.min((ia - ib + 4) % 4, (ib - ia + 4) % 4);
        const dj = Math.min((ja - jb + 4) % 4, (jb - ja + 4) % 4);
        if (di === 1 && dj === 1) pairs.push([a, b]);
      }
    expect(pairs).toHaveLength(16);
    const meanPair = (spin: (k: number) => number) => pairs.reduce((sum, [a, b]) => sum + spin(a) * spin(b), 0) / 16;
    const p = visibleDistribution(model);
    let exact = 0;
    p.forEach((px, x) => (exact += px * meanPair((k) => ((x >>> k) & 1) * 2 - 1)));
    const { outputs } = await runNode(samplerNode, { model }, { samples: 2000, steps: 50, seed: 3 });
    const spins = outputs.spins as SpinsValue;
    expect(spins.shape).toEqual([2000, 4, 2]);
    expect(spins.meta.dim).toBeUndefined(); // not a square lattice: Observables and Correlation refuse it
    const values = Array.from({ length: 2000 }, (_, n) => meanPair((k) => spins.data[n * 8 + k]));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const error = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length * (values.length - 1)));
    // independent chains: the plain standard error. Observed: 0.6196 ± 0.0088 against 0.6246.
    expect(Math.abs(mean - exact)).toBeLessThan(4 * error);
    const figure = await runNode(plotNode, { values: [model, spins] }, { kind: 'auto' });
    expect(figure.outputs.figure.type).toBe('figure');
  });

  it('estimates its model size exactly', async () => {
    for (const c of [
      { dim: 1 as const, L: 64 },
      { dim: 2 as const, L: 8 },
    ]) {
      const params = exactIsingRbmNode.params.parse(c);
      const estimate = exactIsingRbmNode.resources!(params, {});
      const model = await modelOf({ ...params });
      const bytes = model.W.byteLength + model.vbias.byteLength + model.hbias.byteLength;
      expect(estimate.outputs?.model).toEqual({
        bytes,
        shape: [model.nv, model.nh],
        stack: { layers: [[model.nv, model.nh]], visibleShape: model.visibleShape },
      });
      expect(estimate.trains).toBeFalsy();
    }
  });

  it('refuses bad params with clear messages', () => {
    const bipartite = /even integer >= 2.*bipartite/;
    expect(paramErrors(exactIsingRbmNode, { L: 7 })).toEqual([expect.stringMatching(bipartite)]);
    expect(paramErrors(exactIsingRbmNode, { L: 7 })[0]).toMatch(/^L: /);
    expect(paramErrors(exactIsingRbmNode, { dim: 2, L: 5 })[0]).toMatch(bipartite);
    expect(paramErrors(exactIsingRbmNode, { L: 0 })[0]).toMatch(bipartite);
    expect(paramErrors(exactIsingRbmNode, { L: 4.5 })[0]).toMatch(bipartite);
    expect(paramErrors(exactIsingRbmNode, { dim: 3 })).toEqual(['dim: dim must be 1 (chain) or 2 (square lattice)']);
    expect(paramErrors(exactIsingRbmNode, { T: 0 })).toEqual(['T: T must be > 0 (temperatures are in units of J/k_B)']);
    expect(paramErrors(exactIsingRbmNode, { T: [1, 2] })[0]).toMatch(/^T: .*one node per T/);
    expect(paramErrors(exactIsingRbmNode, { dim: 2, L: 160 })).toEqual([
      'L: L = 160 in dim 2 makes 12800 x 12800 weights (625 MB); the limit is 512 MB, L <= 152 for dim 2',
    ]);
    expect(paramErrors(exactIsingRbmNode, { dim: 2, L: 152 })).toEqual([]);
    expect(paramErrors(exactIsingRbmNode, { dim: 1, L: 23170 })).toEqual([]);
    expect(paramErrors(exactIsingRbmNode, { dim: 1, L: 23172 })).toEqual([
      'L: L must be at most 23170 (dim 1) or 152 (dim 2): the weights are a dense nv x nh matrix, at most 512 MB',
    ]);
    expect(paramErrors(exactIsingRbmNode, { T: 1e-300 })[0]).toMatch(/^T: .*too large for float32/);
    expect(paramErrors(exactIsingRbmNode, { J: Infinity })[0]).toMatch(/^J: /);
    expect(paramErrors(exactIsingRbmNode, { h: 'x' })[0]).toMatch(/^h: h must be a finite number/);
    expect(paramErrors(exactIsingRbmNode, { L: 4, beta: 1 })[0]).toMatch(/beta/);
  });
});
