/**
 * Exact RBM quantities by enumeration (src/ml/exact.ts), checked against brute force over both layers
 * and against finite differences: these are the references the CD and training tests rely on.
 */
import { describe, expect, it } from 'vitest';
import type { RbmValue } from '../../src/graph/values';
import {
  MAX_ENUMERATED_UNITS,
  exactGradient,
  exactLogLikelihood,
  freeEnergyOf,
  logPartition,
  visibleDistribution,
} from '../../src/ml/exact';
import { Rng } from '../../src/physics/rng';
import { randomModel } from '../helpers/rbm-models';

/** The same model with the roles of the layers swapped: W -> W^T, vb <-> hb (same partition function). */
function transposed(model: RbmValue): RbmValue {
  const W = new Float32Array(model.nv * model.nh);
  for (let i = 0; i < model.nv; i++) for (let j = 0; j < model.nh; j++) W[j * model.nv + i] = model.W[i * model.nh + j];
  return { ...model, nv: model.nh, nh: model.nv, W, vbias: model.hbias, hbias: model.vbias, visibleShape: [model.nh] };
}

function bits(index: number, count: number): number[] {
  return Array.from({ length: count }, (_, b) => (index >>> b) & 1);
}

/** E(v, h) = -vb.v - hb.h - v^T W h. */
function joint(model: RbmValue, v: number[], h: number[]): number {
  let e = 0;
  for (let i = 0; i < model.nv; i++) e -= model.vbias[i] * v[i];
  for (let j = 0; j < model.nh; j++) e -= model.hbias[j] * h[j];
  for (let i = 0; i < model.nv; i++) for (let j = 0; j < model.nh; j++) e -= v[i] * model.W[i * model.nh + j] * h[j];
  return e;
}

function logSumExp(xs: number[]): number {
  const max = Math.max(...xs);
  return max + Math.log(xs.reduce((a, x) => a + Math.exp(x - max), 0));
}

/** log Z and log p(v) for every v, summing exp(-E) over all 2^(nv + nh) joint states. */
function bruteForce(model: RbmValue): { logZ: number; logMarginal: number[] } {
  const logMarginal: number[] = [];
  for (let s = 0; s < 2 ** model.nv; s++) {
    const v = bits(s, model.nv);
    const terms: number[] = [];
    for (let t = 0; t < 2 ** model.nh; t++) terms.push(-joint(model, v, bits(t, model.nh)));
    logMarginal.push(logSumExp(terms));
  }
  const logZ = logSumExp(logMarginal);
  return { logZ, logMarginal: logMarginal.map((x) => x - logZ) };
}

function randomData(nv: number, n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * nv }, () => (rng.next() < 0.5 ? 1 : 0));
}

describe('exact RBM quantities', () => {
  it('logPartition matches brute force over both layers, whichever layer it enumerates', () => {
    const model = randomModel(5, 3, 1, 1.0); // nh <= nv: sums over the hidden layer
    const { logZ } = bruteForce(model);
    expect(logPartition(model)).toBeCloseTo(logZ, 10);
    const other = transposed(model); // 3 x 5: sums over the visible layer
    expect(other.nh).toBeGreaterThan(other.nv);
    expect(logPartition(other)).toBeCloseTo(logZ, 10);
    expect(bruteForce(other).logZ).toBeCloseTo(logZ, 10);
  });

  it('freeEnergyOf is -log of the hidden sum, and visibleDistribution is the normalised marginal', () => {
    const model = randomModel(5, 3, 2, 1.0);
    const { logZ, logMarginal } = bruteForce(model);
    const p = visibleDistribution(model);
    expect(p.length).toBe(32);
    expect(p.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
    for (let s = 0; s < 32; s++) {
      const v = bits(s, 5);
      expect(-freeEnergyOf(model, v) - logZ).toBeCloseTo(logMarginal[s], 10);
      expect(p[s]).toBeCloseTo(Math.exp(logMarginal[s]), 12);
    }
  });

  it('exactLogLikelihood is the mean log p(v) of the rows', () => {
    const model = randomModel(5, 3, 3, 1.0);
    const { logMarginal } = bruteForce(model);
    const n = 7;
    const data = randomData(5, n, 4);
    let expected = 0;
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let i = 0; i < 5; i++) s |= data[r * 5 + i] << i;
      expected += logMarginal[s] / n;
    }
    expect(exactLogLikelihood(model, data, n)).toBeCloseTo(expected, 10);
  });

  it('exactGradient matches central finite differences of exactLogLikelihood', () => {
    // 6 visible, 4 hidden, weights and biases ~ N(0, 0.5^2), 8 random rows of data.
    const model = randomModel(6, 4, 5);
    const n = 8;
    const data = randomData(6, n, 6);
    const g = exactGradient(model, data, n);
    const h = 1e-5;
    const check = (key: 'W' | 'vbias' | 'hbias', analytic: Float64Array) => {
      expect(analytic.length).toBe(model[key].length);
      for (let k = 0; k < analytic.length; k++) {
        // The parameters are float32: divide by the step actually taken after rounding.
        const plus = Float32Array.from(model[key]);
        const minus = Float32Array.from(model[key]);
        plus[k] += h;
        minus[k] -= h;
        const step = plus[k] - minus[k];
        const numeric =
          (exactLogLikelihood({ ...model, [key]: plus }, data, n) -
            exactLogLikelihood({ ...model, [key]: minus }, data, n)) /
          step;
        expect(Math.abs(numeric - analytic[k])).toBeLessThan(1e-6);
      }
    };
    check('W', g.dW);
    check('vbias', g.dvb);
    check('hbias', g.dhb);
    // Not trivially zero: the check above has something to compare.
    expect(Math.max(...g.dW.map(Math.abs))).toBeGreaterThan(0.05);
  });

  it('the exact gradient vanishes for a model that already is the data distribution (zero weights)', () => {
    // Uniform data over all 2^4 states and a model with W = 0, zero biases: p_model = p_data.
    const nv = 4;
    const data = Float32Array.from({ length: 16 * nv }, (_, k) => (Math.floor(k / nv) >>> (k % nv)) & 1);
    const model: RbmValue = {
      ...randomModel(nv, 3, 7),
      W: new Float32Array(12),
      vbias: new Float32Array(4),
      hbias: new Float32Array(3),
    };
    const g = exactGradient(model, data, 16);
    for (const x of [...g.dW, ...g.dvb, ...g.dhb]) expect(Math.abs(x)).toBeLessThan(1e-12);
  });

  it('refuses models too large to enumerate, with a clear message', () => {
    const big = randomModel(30, 30, 8);
    expect(() => logPartition(big)).toThrow(`at most ${MAX_ENUMERATED_UNITS} units; this model has 30 x 30`);
    expect(() => exactLogLikelihood(big, new Float32Array(30), 1)).toThrow(/at most 20 units/);
    expect(() => visibleDistribution(randomModel(21, 2, 9))).toThrow(/nv <= 20/);
    // One small layer is enough for log Z: a 30 x 4 model enumerates its 16 hidden states.
    const tall = randomModel(30, 4, 10);
    expect(Number.isFinite(logPartition(tall))).toBe(true);
    expect(logPartition(tall)).toBeCloseTo(logPartition(transposed(tall)), 9);
  });
});
