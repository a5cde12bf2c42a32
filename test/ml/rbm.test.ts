/**
 * The RBM primitives on TensorFlow.js (src/ml/rbm.ts): conditional probabilities, sampling, free energy,
 * pseudo-log-likelihood, and above all the CD-k gradient, compared with the exact log-likelihood
 * gradient by enumeration (src/ml/exact.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RbmValue } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import { exactGradient, freeEnergyOf, visibleDistribution } from '../../src/ml/exact';
import {
  bernoulli,
  cdGradient,
  freeEnergy,
  gibbsFromHidden,
  hiddenProbabilities,
  pseudoLogLikelihood,
  uniformFrom,
  visibleProbabilities,
  type RbmTensors,
} from '../../src/ml/rbm';
import { Rng } from '../../src/physics/rng';
import { randomModel } from '../helpers/rbm-models';

/** The tensors of a model; call inside tf.tidy. */
function tensorsOf(model: RbmValue): RbmTensors {
  const W = tf.tensor2d(model.W, [model.nv, model.nh]);
  return { W, Wt: tf.transpose(W), vb: tf.tensor1d(model.vbias), hb: tf.tensor1d(model.hbias) };
}

function randomRows(nv: number, n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * nv }, () => (rng.next() < 0.5 ? 1 : 0));
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** `copies` copies of the rows, one after another: many chains started from the same small batch. */
function tile(rows: Float32Array, copies: number): Float32Array {
  const out = new Float32Array(rows.length * copies);
  for (let c = 0; c < copies; c++) out.set(rows, c * rows.length);
  return out;
}

interface Spread {
  mean: Float64Array;
  /** Standard error of the mean, from the spread of the repetitions. */
  error: Float64Array;
}

/** Mean and standard error over repetitions of a flattened gradient [dW, dvb, dhb]. */
function spread(repetitions: Float32Array[]): Spread {
  const reps = repetitions.length;
  const d = repetitions[0].length;
  const mean = new Float64Array(d);
  const error = new Float64Array(d);
  for (const g of repetitions) g.forEach((x, i) => (mean[i] += x / reps));
  for (const g of repetitions) g.forEach((x, i) => (error[i] += (x - mean[i]) ** 2 / (reps - 1)));
  error.forEach((x, i) => (error[i] = Math.sqrt(x / reps)));
  return { mean, error };
}

/**
 * `reps` independent CD-k gradients on `rows` (each one over `copies` chains per data row), flattened.
 * `chainStarts` (PCD) gives the negative chains' starting visible states for each repetition.
 */
function cdRepetitions(
  model: RbmValue,
  rows: Float32Array,
  k: number,
  reps: number,
  copies: number,
  rng: Rng,
  chainStarts?: () => Float32Array,
): Float32Array[] {
  const uniform = uniformFrom(() => rng.nextU32());
  const batch = (rows.length / model.nv) * copies;
  const v0 = tile(rows, copies);
  const out: Float32Array[] = [];
  for (let r = 0; r < reps; r++) {
    const start = chainStarts?.();
    const flat = tf.tidy(() => {
      const g = cdGradient(
        tf.tensor2d(v0, [batch, model.nv]),
        tensorsOf(model),
        k,
        uniform,
        start ? tf.tensor2d(start, [batch, model.nv]) : undefined,
      );
      return tf.concat([tf.reshape(g.dW, [-1]), g.dvb, g.dhb]);
    });
    out.push(flat.dataSync() as Float32Array);
    flat.dispose();
  }
  return out;
}

function flatExact(model: RbmValue, rows: Float32Array): number[] {
  const g = exactGradient(model, rows, rows.length / model.nv);
  return [...g.dW, ...g.dvb, ...g.dhb];
}

/** (estimate - exact) / standard error, per component. */
function zScores(s: Spread, exact: number[]): number[] {
  return exact.map((x, i) => (s.mean[i] - x) / s.error[i]);
}

beforeAll(async () => {
  await initBackend();
});

describe('uniformFrom and bernoulli', () => {
  it('draws uniforms in [0, 1) on a 2^-24 grid, reproducibly from the generator', () => {
    const rngA = new Rng(3);
    const rngB = new Rng(3);
    const [x, y] = tf.tidy(() => [
      uniformFrom(() => rngA.nextU32())(50, 40),
      uniformFrom(() => rngB.nextU32())(50, 40),
    ]);
    const values = x.dataSync();
    expect(Array.from(values)).toEqual(Array.from(y.dataSync()));
    expect(x.shape).toEqual([50, 40]);
    let mean = 0;
    for (const u of values) {
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      expect(Number.isInteger(u * 2 ** 24)).toBe(true);
      mean += u / values.length;
    }
    // 2000 uniforms: the mean is 0.5 within 4 standard errors (sd 1/sqrt(12)).
    expect(Math.abs(mean - 0.5)).toBeLessThan((4 * Math.sqrt(1 / 12)) / Math.sqrt(values.length));
    // The extremes of the generator map inside [0, 1).
    const [lo, hi] = tf.tidy(() => [
      uniformFrom(() => 0)(1, 1).dataSync()[0],
      uniformFrom(() => 0xffffffff)(1, 1).dataSync()[0],
    ]);
    expect(lo).toBe(0);
    expect(hi).toBe(1 - 2 ** -24);
    tf.dispose([x, y]);
  });

  it('bernoulli draws 0/1 with the given probabilities', () => {
    const rng = new Rng(4);
    const uniform = uniformFrom(() => rng.nextU32());
    const p = [0, 0.1, 0.5, 0.9, 1];
    const rows = 4000;
    const draws = tf.tidy(() => bernoulli(tf.tile(tf.tensor2d([p]), [rows, 1]) as tf.Tensor2D, uniform));
    const values = draws.dataSync();
    draws.dispose();
    p.forEach((pj, j) => {
      let count = 0;
      for (let r = 0; r < rows; r++) {
        const x = values[r * p.length + j];
        expect(x === 0 || x === 1).toBe(true);
        count += x;
      }
      const se = Math.sqrt((pj * (1 - pj)) / rows);
      expect(Math.abs(count / rows - pj)).toBeLessThanOrEqual(4 * se);
    });
  });
});

describe('conditional probabilities and free energy', () => {
  const model = randomModel(6, 4, 11, 1.0);
  const rows = randomRows(6, 5, 12);

  it('p(h | v) and p(v | h) are the sigmoids of the fields', () => {
    const hiddenRows = randomRows(4, 5, 13);
    const [ph, pv] = tf.tidy(() => {
      const t = tensorsOf(model);
      return [
        hiddenProbabilities(tf.tensor2d(rows, [5, 6]), t).dataSync(),
        visibleProbabilities(tf.tensor2d(hiddenRows, [5, 4]), t).dataSync(),
      ];
    });
    for (let r = 0; r < 5; r++) {
      for (let j = 0; j < 4; j++) {
        let x = model.hbias[j];
        for (let i = 0; i < 6; i++) x += rows[r * 6 + i] * model.W[i * 4 + j];
        expect(ph[r * 4 + j]).toBeCloseTo(sigmoid(x), 5);
      }
      for (let i = 0; i < 6; i++) {
        let x = model.vbias[i];
        for (let j = 0; j < 4; j++) x += model.W[i * 4 + j] * hiddenRows[r * 4 + j];
        expect(pv[r * 6 + i]).toBeCloseTo(sigmoid(x), 5);
      }
    }
  });

  it('freeEnergy agrees with the float64 reference freeEnergyOf', () => {
    const f = tf.tidy(() => freeEnergy(tf.tensor2d(rows, [5, 6]), tensorsOf(model)).dataSync());
    for (let r = 0; r < 5; r++) expect(f[r]).toBeCloseTo(freeEnergyOf(model, rows.subarray(r * 6, r * 6 + 6)), 4);
  });

  it('pseudoLogLikelihood is nv times the mean log sigmoid(F(flipped) - F(v))', () => {
    const units = [0, 3, 5, 1, 2];
    const pll = tf.tidy(() =>
      pseudoLogLikelihood(tf.tensor2d(rows, [5, 6]), tf.tensor1d(units, 'int32'), tensorsOf(model)).dataSync(),
    )[0];
    let expected = 0;
    for (let r = 0; r < 5; r++) {
      const v = Array.from(rows.subarray(r * 6, r * 6 + 6));
      const flipped = v.slice();
      flipped[units[r]] = 1 - flipped[units[r]];
      expected += Math.log(sigmoid(freeEnergyOf(model, flipped) - freeEnergyOf(model, v))) / 5;
    }
    expect(pll).toBeCloseTo(6 * expected, 4);
  });

  it('gibbsFromHidden runs k steps in column layout: shapes, 0/1 states, and p(h | v) of the final state', () => {
    const rng = new Rng(14);
    const uniform = uniformFrom(() => rng.nextU32());
    const result = tf.tidy(() => {
      const t = tensorsOf(model);
      const h = bernoulli(tf.fill([4, 7], 0.5) as tf.Tensor2D, uniform);
      const g = gibbsFromHidden(h, t, 3, uniform);
      return {
        v: g.v.dataSync(),
        shape: g.v.shape,
        ph: g.ph.dataSync(),
        // column layout: p(h | v) of the columns is the transpose of the row-layout product
        expectedPh: tf.transpose(hiddenProbabilities(tf.transpose(g.v), t)).dataSync(),
        firstShape: g.firstVisibleProbabilities.shape,
      };
    });
    expect(result.shape).toEqual([6, 7]);
    expect(result.firstShape).toEqual([6, 7]);
    for (const x of result.v) expect(x === 0 || x === 1).toBe(true);
    Array.from(result.ph).forEach((p, i) => expect(p).toBeCloseTo(result.expectedPh[i], 6));
  });
});

describe('CD-k gradient against the exact log-likelihood gradient', () => {
  // A tiny RBM: 6 visible, 4 hidden, weights and biases ~ N(0, 0.5^2); a batch of 8 random rows.
  const model = randomModel(6, 4, 21);
  const rows = randomRows(6, 8, 22);
  const exact = flatExact(model, rows);
  // Each repetition runs 100 chains per data row (800 in all); the error comes from the spread of
  // 20 independent repetitions.
  const REPS = 20;
  const COPIES = 100;

  it('CD-200 matches the exact gradient within a few standard errors in every component', () => {
    const s = spread(cdRepetitions(model, rows, 200, REPS, COPIES, new Rng(23)));
    const z = zScores(s, exact);
    // The test has resolution: errors well below the size of the gradient.
    expect(Math.max(...s.error)).toBeLessThan(0.01);
    expect(Math.max(...exact.map(Math.abs))).toBeGreaterThan(0.2);
    // 34 components: |z| < 4 each, and their rms near 1 (a chi-square check with generous room).
    for (const zi of z) expect(Math.abs(zi)).toBeLessThan(4);
    expect(Math.sqrt(z.reduce((a, x) => a + x * x, 0) / z.length)).toBeLessThan(1.6);
  });

  it('CD-1 is measurably biased relative to it in some component', () => {
    const s = spread(cdRepetitions(model, rows, 1, REPS, COPIES, new Rng(24)));
    const z = zScores(s, exact);
    // Observed: max |z| about 8.8 at this seed (bias about 0.03 against errors about 0.004).
    expect(Math.max(...z.map(Math.abs))).toBeGreaterThan(5);
  });

  it('a PCD chain started from the model distribution gives an unbiased gradient already at k = 1', () => {
    // Strong weights (sd 1.5), where CD-1 is badly biased; equilibrium chain starts are drawn exactly.
    const strong = randomModel(6, 4, 25, 1.5);
    const strongExact = flatExact(strong, rows);
    const p = visibleDistribution(strong);
    const rng = new Rng(26);
    const batch = 8 * COPIES;
    const draw = () => {
      const out = new Float32Array(batch * 6);
      for (let r = 0; r < batch; r++) {
        let u = rng.next();
        let s = 0;
        while (s < p.length - 1 && u >= p[s]) u -= p[s++];
        for (let i = 0; i < 6; i++) out[r * 6 + i] = (s >>> i) & 1;
      }
      return out;
    };
    const pcd = zScores(spread(cdRepetitions(strong, rows, 1, REPS, COPIES, rng, draw)), strongExact);
    for (const zi of pcd) expect(Math.abs(zi)).toBeLessThan(4);
    const cd1 = zScores(spread(cdRepetitions(strong, rows, 1, REPS, COPIES, new Rng(27))), strongExact);
    expect(Math.max(...cd1.map(Math.abs))).toBeGreaterThan(10);
  });

  it('returns the reconstruction error and, for PCD only, the chain end, and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const rng = new Rng(28);
    const out = tf.tidy(() => {
      const v0 = tf.tensor2d(rows, [8, 6]);
      const uniform = uniformFrom(() => rng.nextU32());
      const cd = cdGradient(v0, tensorsOf(model), 2, uniform);
      const g = cdGradient(v0, tensorsOf(model), 2, uniform, tf.onesLike(v0));
      return {
        cdHasEnd: cd.chainEnd !== undefined,
        error: g.reconstructionError.dataSync()[0],
        end: g.chainEnd!.dataSync(),
        shape: g.chainEnd!.shape,
      };
    });
    expect(out.cdHasEnd).toBe(false);
    expect(out.shape).toEqual([8, 6]);
    for (const x of out.end) expect(x === 0 || x === 1).toBe(true);
    expect(out.error).toBeGreaterThan(0);
    expect(out.error).toBeLessThan(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
