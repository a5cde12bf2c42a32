/**
 * Sampling RBM stacks (src/ml/sample.ts): the stack is checked to chain, Gibbs sampling reproduces the
 * model's exact distribution, the pass down a stack draws exact samples in 'sample' mode and the
 * mean-field law in 'mean' mode (both against enumeration), `init` is carried up and down the stack, and
 * no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RbmValue } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import { visibleDistribution } from '../../src/ml/exact';
import { sampleStack, stackOf } from '../../src/ml/sample';
import { Rng } from '../../src/physics/rng';

function gaussian(rng: Rng): () => number {
  return () => {
    const u = 1 - rng.next();
    const v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

function randomModel(nv: number, nh: number, seed: number, sigma = 1, below?: RbmValue): RbmValue {
  const g = gaussian(new Rng(seed));
  return {
    type: 'rbm',
    nv,
    nh,
    W: Float32Array.from({ length: nv * nh }, () => sigma * g()),
    vbias: Float32Array.from({ length: nv }, () => sigma * g()),
    hbias: Float32Array.from({ length: nh }, () => sigma * g()),
    visibleShape: below ? [nv] : [2, nv / 2],
    training: {},
    ...(below ? { below } : {}),
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Mean-field p(h | v) of one row, in float64. */
function up(model: RbmValue, v: ArrayLike<number>): number[] {
  return Array.from({ length: model.nh }, (_, j) => {
    let x = model.hbias[j];
    for (let i = 0; i < model.nv; i++) x += v[i] * model.W[i * model.nh + j];
    return sigmoid(x);
  });
}

/** Mean-field p(v | h) of one row, in float64. */
function down(model: RbmValue, h: ArrayLike<number>): number[] {
  return Array.from({ length: model.nv }, (_, i) => {
    let x = model.vbias[i];
    for (let j = 0; j < model.nh; j++) x += model.W[i * model.nh + j] * h[j];
    return sigmoid(x);
  });
}

const bitsOf = (s: number, count: number) => Array.from({ length: count }, (_, i) => (s >>> i) & 1);

/**
 * The distribution over the 2^nv visible states of `model` when its hidden layer is set to inputs[k]
 * with probability weights[k]: Σ_k weights[k] Π_i Bernoulli(v_i; σ(vb_i + (W inputs[k])_i)).
 */
function pushDown(model: RbmValue, weights: ArrayLike<number>, inputs: number[][]): Float64Array {
  const out = new Float64Array(2 ** model.nv);
  inputs.forEach((h, k) => {
    const p = down(model, h);
    for (let s = 0; s < out.length; s++) {
      let q = weights[k];
      for (let i = 0; i < model.nv; i++) q *= (s >>> i) & 1 ? p[i] : 1 - p[i];
      out[s] += q;
    }
  });
  return out;
}

/** The same RBM with the roles of its layers swapped, so visibleDistribution gives its hidden marginal. */
function swapped(model: RbmValue): RbmValue {
  const W = new Float32Array(model.nv * model.nh);
  for (let i = 0; i < model.nv; i++) for (let j = 0; j < model.nh; j++) W[j * model.nv + i] = model.W[i * model.nh + j];
  return { ...model, nv: model.nh, nh: model.nv, W, vbias: model.hbias, hbias: model.vbias };
}

/** Counts of each bottom visible state (index bit i = unit i) among the sampled rows. */
function histogram(states: Float32Array, nv: number): Float64Array {
  const counts = new Float64Array(2 ** nv);
  for (let r = 0; r < states.length / nv; r++) {
    let s = 0;
    for (let i = 0; i < nv; i++) s |= states[r * nv + i] << i;
    counts[s]++;
  }
  return counts;
}

function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sum = 0;
  for (let s = 0; s < p.length; s++) sum += Math.abs(p[s] - q[s]);
  return sum / 2;
}

/**
 * Pearson's chi-square of counts against probabilities p, states with an expected count under 5 pooled
 * into one bin, and its critical value at P = 1e-4 (Wilson–Hilferty: z = 3.719).
 */
function chiSquare(counts: Float64Array, p: ArrayLike<number>): { chi2: number; critical: number } {
  const n = counts.reduce((a, x) => a + x, 0);
  let chi2 = 0;
  let bins = 0;
  let pooledCount = 0;
  let pooledExpected = 0;
  for (let s = 0; s < counts.length; s++) {
    const expected = n * p[s];
    if (expected < 5) {
      pooledCount += counts[s];
      pooledExpected += expected;
      continue;
    }
    chi2 += (counts[s] - expected) ** 2 / expected;
    bins++;
  }
  if (pooledExpected > 0) {
    chi2 += (pooledCount - pooledExpected) ** 2 / pooledExpected;
    bins++;
  }
  const df = bins - 1;
  const a = 2 / (9 * df);
  return { chi2, critical: df * (1 - a + 3.719 * Math.sqrt(a)) ** 3 };
}

beforeAll(async () => {
  await initBackend();
});

describe('stackOf', () => {
  it('lists the layers from the top down', () => {
    const bottom = randomModel(6, 4, 1);
    const middle = randomModel(4, 3, 2, 1, bottom);
    const top = randomModel(3, 2, 3, 1, middle);
    expect(stackOf(top)).toEqual([top, middle, bottom]);
    expect(stackOf(bottom)).toEqual([bottom]);
  });

  it('refuses a stack whose shapes do not chain, and a layer whose weights do not match its size', () => {
    const bottom = randomModel(6, 4, 1);
    const misfit = randomModel(5, 2, 2, 1, bottom);
    expect(() => stackOf(misfit)).toThrow(
      'the model stack does not chain: a layer with 5 visible units sits on one with 4 hidden units',
    );
    const deep = randomModel(2, 2, 3, 1, misfit);
    expect(() => stackOf(deep)).toThrow(/does not chain/);
    const broken = { ...randomModel(6, 4, 4), W: new Float32Array(23) };
    expect(() => stackOf(broken)).toThrow('model layer 0: W holds 23 values, expected 6 x 4');
  });
});

describe('sampleStack', () => {
  it('draws from the model distribution of a single RBM (chi-square against enumeration)', async () => {
    // 4 visible, 3 hidden, weights ~ N(0, 1): 16 visible states, each chain run 30 Gibbs steps.
    const model = randomModel(4, 3, 7);
    const p = visibleDistribution(model);
    const n = 4000;
    const result = await sampleStack(model, { samples: n, steps: 30, seed: 8 });
    expect(result.n).toBe(n);
    expect(result.states).toHaveLength(n * 4);
    expect(result.probabilities).toHaveLength(n * 4);
    const counts = new Float64Array(16);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let i = 0; i < 4; i++) {
        const x = result.states[r * 4 + i];
        expect(x === 0 || x === 1).toBe(true);
        s |= x << i;
      }
      counts[s]++;
    }
    let chi2 = 0;
    for (let s = 0; s < 16; s++) {
      const expected = n * p[s];
      chi2 += (counts[s] - expected) ** 2 / expected;
      expect(Math.abs(counts[s] - expected)).toBeLessThan(4.5 * Math.sqrt(expected * (1 - p[s])) + 1);
    }
    // 15 degrees of freedom: P(chi2 > 40) is about 5e-4.
    expect(chi2).toBeLessThan(40);
  });

  it("down a two-layer stack, 'sample' draws the stack's exact distribution and 'mean' the mean-field one", async () => {
    // nv = 6 -> nh1 = 4 -> nh2 = 3, weights and biases ~ N(0, 1.5^2). The chains run 20 Gibbs steps in
    // the top RBM (4 x 3): its law from the uniform start, computed by enumeration, is then within 1e-13
    // (TV) of the stationary one, with visible marginal p_top(h1) and hidden marginal p_top(h2).
    const bottom = randomModel(6, 4, 21, 1.5);
    const top = randomModel(4, 3, 22, 1.5, bottom);
    // 'sample': h1 drawn from the top RBM, then v from p(v | h1): P(v) = Σ_h1 p_top(h1) p(v | h1).
    const exact = pushDown(
      bottom,
      visibleDistribution(top),
      Array.from({ length: 16 }, (_, s) => bitsOf(s, 4)),
    );
    // 'mean': the top chain's last hidden state h2 is passed down as the probabilities m = p(h1 | h2),
    // and the bottom units are independent with σ(vb + W m): M(v) = Σ_h2 p_top(h2) Π_i Bernoulli(v_i;
    // σ(vb_i + (W m(h2))_i)). That is not P: σ of a mean input is not the mean of σ, and the mean drops
    // the correlations that the states of h1 give the bottom units. For this model TV(M, P) = 0.145.
    const meanField = pushDown(
      bottom,
      visibleDistribution(swapped(top)),
      Array.from({ length: 8 }, (_, s) => down(top, bitsOf(s, 3))),
    );
    const gap = totalVariation(meanField, exact);
    expect(gap).toBeGreaterThan(0.1);
    const n = 20_000;
    const [sampled, mean] = await Promise.all(
      (['sample', 'mean'] as const).map((mode) => sampleStack(top, { samples: n, steps: 20, seed: 23, down: mode })),
    );
    for (const x of sampled.states) expect(x === 0 || x === 1).toBe(true);
    // The noise floor: the expected TV between n exact draws and their law, (1/2) Σ sqrt(2 p (1 - p) / (π n)),
    // 0.020 here. Observed: 'sample' 0.025 from P (0.0055 with 200,000 samples, noise 0.0062: no bias),
    // 'mean' 0.149 from P and 0.020 from M. A 'sample' that passed means down would be 0.145 from P.
    const noise = exact.reduce((a, p) => a + Math.sqrt((2 * p * (1 - p)) / (Math.PI * n)), 0) / 2;
    const sampledCounts = histogram(sampled.states, 6);
    const meanCounts = histogram(mean.states, 6);
    const frequencies = (counts: Float64Array) => counts.map((c) => c / n);
    const tvSample = totalVariation(frequencies(sampledCounts), exact);
    const tvMean = totalVariation(frequencies(meanCounts), exact);
    const tvMeanOwn = totalVariation(frequencies(meanCounts), meanField);
    expect(tvSample).toBeLessThan(1.5 * noise);
    expect(tvMeanOwn).toBeLessThan(1.5 * noise);
    expect(tvMean).toBeGreaterThan(gap - 1.5 * noise);
    expect(tvMean).toBeGreaterThan(5 * noise);
    // And bin by bin: chi-square at P = 1e-4 (pooling states expected fewer than 5 times; 63 degrees of
    // freedom, critical 114). Observed: 'sample' vs P 85, 'mean' vs M 64, 'mean' vs P 2940.
    const sampleFit = chiSquare(sampledCounts, exact);
    expect(sampleFit.chi2).toBeLessThan(sampleFit.critical);
    const meanFit = chiSquare(meanCounts, meanField);
    expect(meanFit.chi2).toBeLessThan(meanFit.critical);
    const meanAgainstExact = chiSquare(meanCounts, exact);
    expect(meanAgainstExact.chi2).toBeGreaterThan(10 * meanAgainstExact.critical);
    // The mode changes only the pass down: for one RBM there is none, and both give the same bytes.
    const single = await Promise.all(
      (['sample', 'mean'] as const).map((mode) => sampleStack(bottom, { samples: 50, steps: 5, seed: 1, down: mode })),
    );
    expect(Array.from(single[0].states)).toEqual(Array.from(single[1].states));
  });

  it('is reproducible for a seed and differs between seeds', async () => {
    const model = randomModel(6, 4, 9);
    const a = await sampleStack(model, { samples: 50, steps: 5, seed: 1 });
    const b = await sampleStack(model, { samples: 50, steps: 5, seed: 1 });
    const c = await sampleStack(model, { samples: 50, steps: 5, seed: 2 });
    expect(Array.from(a.states)).toEqual(Array.from(b.states));
    expect(Array.from(a.probabilities)).toEqual(Array.from(b.probabilities));
    expect(Array.from(a.states)).not.toEqual(Array.from(c.states));
  });

  it('with init and no steps returns init itself for one layer, and the mean-field round trip for a stack', async () => {
    const bottom = randomModel(6, 4, 10);
    const top = randomModel(4, 3, 11, 1, bottom);
    const data = Float32Array.from([1, 0, 1, 1, 0, 0, 0, 1, 0.5, 1, 1, 0]);
    const init = { data, n: 2, nv: 6 };
    const single = await sampleStack(bottom, { samples: 10, steps: 0, seed: 1, init });
    expect(single.n).toBe(2);
    expect(Array.from(single.probabilities)).toEqual(Array.from(data));
    const stacked = await sampleStack(top, { samples: 10, steps: 0, seed: 1, init });
    for (let r = 0; r < 2; r++) {
      const expected = down(bottom, up(bottom, data.subarray(r * 6, r * 6 + 6)));
      for (let i = 0; i < 6; i++) expect(stacked.probabilities[r * 6 + i]).toBeCloseTo(expected[i], 5);
    }
  });

  it('samples a stack down to the bottom visible layer, and uses no more rows than init has', async () => {
    const bottom = randomModel(6, 4, 12);
    const top = randomModel(4, 3, 13, 1, bottom);
    const free = await sampleStack(top, { samples: 7, steps: 3, seed: 1 });
    expect(free.n).toBe(7);
    expect(free.states).toHaveLength(7 * 6);
    const init = { data: new Float32Array(3 * 6).fill(1), n: 3, nv: 6 };
    const fromInit = await sampleStack(top, { samples: 10, steps: 2, seed: 1, init });
    expect(fromInit.n).toBe(3);
    expect(fromInit.probabilities).toHaveLength(3 * 6);
    for (const x of fromInit.probabilities) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('calls afterStep once per step', async () => {
    const steps: number[] = [];
    await sampleStack(randomModel(6, 4, 14), { samples: 5, steps: 4, seed: 1 }, async (step) => {
      steps.push(step);
    });
    expect(steps).toEqual([0, 1, 2, 3]);
  });

  it('refuses an init with the wrong number of units, and a stack that does not chain', async () => {
    const bottom = randomModel(6, 4, 15);
    const init = { data: new Float32Array(2 * 5), n: 2, nv: 5 };
    await expect(sampleStack(bottom, { samples: 2, steps: 1, seed: 1, init })).rejects.toThrow(
      "init has 5 units per sample, the model's visible layer has 6",
    );
    await expect(sampleStack(randomModel(5, 2, 16, 1, bottom), { samples: 2, steps: 1, seed: 1 })).rejects.toThrow(
      /does not chain/,
    );
  });

  it('leaves no tensors behind, with or without init, one layer or a stack, and after an error', async () => {
    const bottom = randomModel(6, 4, 17);
    const top = randomModel(4, 3, 18, 1, bottom);
    const init = { data: new Float32Array(4 * 6).fill(1), n: 4, nv: 6 };
    const before = tf.memory().numTensors;
    for (const model of [bottom, top]) {
      await sampleStack(model, { samples: 4, steps: 3, seed: 1 });
      await sampleStack(model, { samples: 4, steps: 3, seed: 1, down: 'sample' });
      await sampleStack(model, { samples: 4, steps: 0, seed: 1, init, down: 'sample' });
      await sampleStack(model, { samples: 4, steps: 3, seed: 1, init });
      await sampleStack(model, { samples: 4, steps: 0, seed: 1, init });
      await sampleStack(model, { samples: 4, steps: 0, seed: 1 });
    }
    await expect(
      sampleStack(top, { samples: 4, steps: 3, seed: 1 }, async () => {
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(tf.memory().numTensors).toBe(before);
  });
});
