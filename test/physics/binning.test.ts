import { describe, expect, it } from 'vitest';
import { BinningAccumulator, binningAnalysis, choosePlateau, jackknifeBinned } from '../../src/physics/binning';
import { ar1, gaussian } from '../helpers/ar1';
import { mulberry32 } from '../helpers/random';

describe('binningAnalysis', () => {
  it('computes each level by hand on a tiny series', () => {
    const b = binningAnalysis([1, 2, 3, 4]);
    expect(b.mean).toBe(2.5);
    expect(b.bins).toEqual([4, 2]);
    expect(b.levels[0]).toBeCloseTo(Math.sqrt(5 / 3 / 4), 12);
    expect(b.levels[1]).toBeCloseTo(1, 12); // bins 1.5, 3.5: var 2, error sqrt(2 / 2)
    expect(b.naiveError).toBe(b.levels[0]);
  });

  it('drops a trailing odd point from the bins but not from the mean', () => {
    const b = binningAnalysis([1, 2, 3, 4, 10]);
    expect(b.mean).toBe(4);
    expect(b.bins).toEqual([5, 2]);
    expect(b.levels[1]).toBeCloseTo(1, 12);
  });

  it('handles empty, single-point and constant series', () => {
    const empty = binningAnalysis([]);
    expect(empty.mean).toBeNaN();
    expect(empty.error).toBeNaN();
    expect(empty.plateau).toBe(false);
    const one = binningAnalysis([3]);
    expect(one.mean).toBe(3);
    expect(one.error).toBeNaN();
    const constant = binningAnalysis(new Float64Array(1000).fill(-2));
    expect(constant.mean).toBe(-2);
    expect(constant.error).toBe(0);
    expect(constant.plateau).toBe(true);
  });

  it('matches the exact asymptotic error of an AR(1) series (a = 0.9), where the naive error is 4.4x too small', () => {
    const a = 0.9;
    const n = 1_000_000;
    const b = binningAnalysis(ar1(n, a, 12345));
    const exact = Math.sqrt(((1 / n) * (1 + a)) / (1 - a));
    expect(b.plateau).toBe(true);
    expect(Math.abs(b.error / exact - 1)).toBeLessThan(0.1);
    // The naive error misses the factor sqrt((1 + a) / (1 - a)) = 4.36.
    expect(b.error / b.naiveError).toBeGreaterThan(4.36 * 0.9);
    expect(b.error / b.naiveError).toBeLessThan(4.36 * 1.1);
    expect(Math.abs((b.naiveError * Math.sqrt((1 + a) / (1 - a))) / exact - 1)).toBeLessThan(0.03);
    // tau_int = (1 + a) / (2 (1 - a)) = 9.5.
    expect(b.tau).toBeGreaterThan(9.5 * 0.8);
    expect(b.tau).toBeLessThan(9.5 * 1.2);
    // The mean is zero within the (correct) error.
    expect(Math.abs(b.mean)).toBeLessThan(4 * exact);
    // The levels rise from the naive error and saturate: the chosen level has many bins.
    expect(b.levels[1]).toBeGreaterThan(b.levels[0]);
    expect(b.bins[b.level]).toBeGreaterThanOrEqual(32);
  });

  it('is right on average over many 200,000-point AR(1) series (no bias from the plateau choice)', () => {
    const a = 0.9;
    const n = 200_000;
    const exact = Math.sqrt(((1 / n) * (1 + a)) / (1 - a));
    const ratios: number[] = [];
    for (let seed = 1; seed <= 12; seed++) ratios.push(binningAnalysis(ar1(n, a, seed)).error / exact);
    const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
    // One estimate is good to about 5%; the mean of 12 to about 1.5%.
    expect(Math.abs(mean - 1)).toBeLessThan(0.05);
    for (const r of ratios) expect(Math.abs(r - 1)).toBeLessThan(0.2);
  });

  it('gives about the naive error for independent data', () => {
    const g = gaussian(mulberry32(7));
    const x = Float64Array.from({ length: 100_000 }, () => g());
    const b = binningAnalysis(x);
    expect(b.plateau).toBe(true);
    expect(Math.abs(b.error / b.naiveError - 1)).toBeLessThan(0.1);
    expect(Math.abs(b.naiveError * Math.sqrt(x.length) - 1)).toBeLessThan(0.02);
    expect(b.tau).toBeGreaterThan(0.4);
    expect(b.tau).toBeLessThan(0.6);
  });

  it('finds no plateau in a series much shorter than its autocorrelation time, and says so', () => {
    const b = binningAnalysis(ar1(2000, 0.999, 3));
    expect(b.plateau).toBe(false);
    // The reported error is still the largest one seen over the levels with enough bins.
    const eligible = b.levels.filter((_, k) => b.bins[k] >= 32);
    expect(b.error).toBe(Math.max(...eligible));
  });

  it('reports a level-0 error when there are too few points to bin', () => {
    const choice = choosePlateau([0.1, 0.2, 0.3], [10, 5, 2], 10);
    expect(choice).toEqual({ error: 0.1, level: 0, plateau: false });
  });
});

describe('BinningAccumulator', () => {
  it('streams the same analysis as binningAnalysis, component by component', () => {
    const g = gaussian(mulberry32(11));
    for (const n of [1, 2, 3, 37, 1000, 4099]) {
      const a = Float64Array.from({ length: n }, () => g());
      const b = Float64Array.from({ length: n }, (_, i) => 5 + a[i] + (i > 0 ? a[i - 1] : 0));
      const acc = new BinningAccumulator(2);
      for (let i = 0; i < n; i++) acc.push([a[i], b[i]]);
      expect(acc.length).toBe(n);
      for (const [j, series] of [a, b].entries()) {
        const streamed = acc.result(j);
        const direct = binningAnalysis(series);
        expect(streamed.bins).toEqual(direct.bins);
        expect(streamed.mean).toBeCloseTo(direct.mean, 12);
        expect(streamed.levels.length).toBe(direct.levels.length);
        streamed.levels.forEach((e, k) => expect(e).toBeCloseTo(direct.levels[k], 12));
        expect(streamed.level).toBe(direct.level);
        expect(streamed.plateau).toBe(direct.plateau);
      }
    }
  });

  it('rejects vectors of the wrong length', () => {
    const acc = new BinningAccumulator(3);
    expect(() => acc.push([1, 2])).toThrow(/expected 3 values/);
  });
});

describe('jackknifeBinned', () => {
  it('reduces to the binning error for the mean itself', () => {
    const x = ar1(10_000, 0.5, 5);
    const jk = jackknifeBinned([x], ([m]) => m);
    const b = binningAnalysis(x);
    expect(jk.mean).toBeCloseTo(b.mean, 12);
    expect(jk.bins).toEqual(b.bins);
    jk.levels.forEach((e, k) => expect(e).toBeCloseTo(b.levels[k], 10));
    expect(jk.error).toBeCloseTo(b.error, 10);
  });

  it('gets the error of a variance right: sqrt(2 / n) sigma^2 for Gaussian data', () => {
    const g = gaussian(mulberry32(21));
    const n = 50_000;
    const x = Float64Array.from({ length: n }, () => 2 * g());
    const x2 = x.map((v) => v * v);
    const jk = jackknifeBinned([x, x2], ([m, m2]) => m2 - m * m);
    expect(Math.abs(jk.mean / 4 - 1)).toBeLessThan(0.03);
    expect(Math.abs(jk.error / (Math.sqrt(2 / n) * 4) - 1)).toBeLessThan(0.1);
  });

  it('gets the error of a variance of correlated data right (AR(1), checked against independent repeats)', () => {
    // chi-like quantity: the variance of an AR(1) series; its spread over independent runs is the truth.
    const estimates: number[] = [];
    const errors: number[] = [];
    for (let seed = 100; seed < 140; seed++) {
      const x = ar1(20_000, 0.8, seed);
      const jk = jackknifeBinned([x, x.map((v) => v * v)], ([m, m2]) => m2 - m * m);
      estimates.push(jk.mean);
      errors.push(jk.error);
    }
    const mean = estimates.reduce((s, v) => s + v, 0) / estimates.length;
    const spread = Math.sqrt(estimates.reduce((s, v) => s + (v - mean) ** 2, 0) / (estimates.length - 1));
    const typical = errors.reduce((s, v) => s + v, 0) / errors.length;
    // 40 runs pin the spread down to about 11%.
    expect(Math.abs(typical / spread - 1)).toBeLessThan(0.3);
    expect(Math.abs(mean - 1)).toBeLessThan(3 * (spread / Math.sqrt(estimates.length)) + 0.01);
  });

  it('gives a NaN error where the derived quantity is undefined for some leave-one-out sample', () => {
    const jk = jackknifeBinned([[1, 0, 2, 3]], ([m]) => (m > 1.4 ? 1 / (m - 1.5) : NaN));
    expect(jk.error).toBeNaN();
  });

  it('rejects series of different lengths', () => {
    expect(() => jackknifeBinned([[1, 2], [1]], ([a]) => a)).toThrow(/differ in length/);
  });
});
