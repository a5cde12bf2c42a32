import { describe, expect, it } from 'vitest';
import type { SpinsValue } from '../../src/graph/values';
import {
  CorrelationKernel,
  Fft,
  measureCorrelation,
  resolveMaxR,
  secondMomentXi,
  temperatureNames,
} from '../../src/physics/correlation';
import { mulberry32 } from '../helpers/random';

function spinsOf(data: Int8Array, lattice: number[], T: number | number[] = 2): SpinsValue {
  const N = lattice.reduce((a, b) => a * b, 1);
  const n = data.length / N;
  return {
    type: 'spins',
    shape: [n, ...lattice],
    data,
    T: Float64Array.from(Array.isArray(T) ? T : new Array(n).fill(T)),
    meta: { model: 'ising', dim: lattice.length, L: lattice[0], J: 1, h: 0, boundary: 'periodic' },
  };
}

function lattice2d(L: number, f: (y: number, x: number) => number): number[] {
  const out: number[] = [];
  for (let y = 0; y < L; y++) for (let x = 0; x < L; x++) out.push(f(y, x));
  return out;
}

function randomSpins(n: number, N: number, seed: number, p = 0.5): Int8Array {
  const random = mulberry32(seed);
  const data = new Int8Array(n * N);
  for (let i = 0; i < data.length; i++) data[i] = random() < p ? 1 : -1;
  return data;
}

/** Reference C(r) of one 2D sample, by the definition (modulo neighbours, both axes). */
function referenceC(s: ArrayLike<number>, L: number, r: number): number {
  let sum = 0;
  for (let y = 0; y < L; y++) {
    for (let x = 0; x < L; x++) {
      const v = s[y * L + x];
      sum += v * (s[y * L + ((x + r) % L)] + s[((y + r) % L) * L + x]);
    }
  }
  return sum / (2 * L * L);
}

/** Exact samples of the periodic chain: independent bonds (P(+1) = (1 + tanh K) / 2), kept when their product is 1. */
function exactChain(N: number, K: number, n: number, seed: number): Int8Array {
  const random = mulberry32(seed);
  const pUp = (1 + Math.tanh(K)) / 2;
  const data = new Int8Array(n * N);
  const bonds = new Int8Array(N);
  for (let k = 0; k < n;) {
    let product = 1;
    for (let i = 0; i < N; i++) product *= bonds[i] = random() < pUp ? 1 : -1;
    if (product !== 1) continue;
    let s = random() < 0.5 ? 1 : -1;
    for (let i = 0; i < N; i++) {
      data[k * N + i] = s;
      s *= bonds[i];
    }
    k++;
  }
  return data;
}

describe('Fft', () => {
  it('is the DFT for power-of-two and other lengths', () => {
    const random = mulberry32(4);
    for (const n of [1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 30, 64, 100]) {
      const re = Float64Array.from({ length: n }, () => random() - 0.5);
      const im = Float64Array.from({ length: n }, () => random() - 0.5);
      const wantRe = new Float64Array(n);
      const wantIm = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * j * k) / n;
          wantRe[k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
          wantIm[k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
        }
      }
      new Fft(n).transform(re, im);
      for (let k = 0; k < n; k++) {
        expect(re[k]).toBeCloseTo(wantRe[k], 10);
        expect(im[k]).toBeCloseTo(wantIm[k], 10);
      }
    }
  });
});

describe('CorrelationKernel', () => {
  it('direct and FFT methods give the same exact C(r) as the definition (2D, several L)', () => {
    for (const L of [2, 3, 8, 12, 15, 16]) {
      const maxR = Math.floor(L / 2);
      const data = randomSpins(3, L * L, L, 0.6);
      const direct = new CorrelationKernel(2, L, maxR, 'direct');
      const fft = new CorrelationKernel(2, L, maxR, 'fft');
      const a = new Float64Array(maxR + 1);
      const b = new Float64Array(maxR + 1);
      for (let k = 0; k < 3; k++) {
        direct.correlate(data, k * L * L, a);
        fft.correlate(data, k * L * L, b);
        const sample = data.subarray(k * L * L, (k + 1) * L * L);
        for (let r = 0; r <= maxR; r++) {
          expect(a[r]).toBe(referenceC(sample, L, r));
          expect(b[r]).toBe(a[r]);
        }
      }
    }
  });

  it('direct and FFT methods agree in 1D (power-of-two and other lengths)', () => {
    for (const L of [2, 5, 37, 64, 100]) {
      const maxR = Math.floor(L / 2);
      const data = randomSpins(2, L, L);
      const a = new Float64Array(maxR + 1);
      const b = new Float64Array(maxR + 1);
      new CorrelationKernel(1, L, maxR, 'direct').correlate(data, L, a);
      new CorrelationKernel(1, L, maxR, 'fft').correlate(data, L, b);
      for (let r = 0; r <= maxR; r++) {
        let sum = 0;
        for (let x = 0; x < L; x++) sum += data[L + x] * data[L + ((x + r) % L)];
        expect(a[r]).toBe(sum / L);
        expect(b[r]).toBe(a[r]);
      }
    }
  });

  it('computes the structure factors S(0) and S(2 pi / L)', () => {
    // A single plane wave in x: columns alternate in blocks of L/2, so only k = 2 pi / L along x sees it.
    const L = 8;
    const data = Int8Array.from(lattice2d(L, (_y, x) => (x < L / 2 ? 1 : -1)));
    const s0 = new Float64Array(1);
    const f = new Float64Array(1);
    new CorrelationKernel(2, L, 4).structure(data, 0, s0, f, 0);
    expect(s0[0]).toBe(0);
    // sum_x colsum_x e^{2 pi i x / L} with colsum = ±L: |.|^2 = L^2 |sum_{x<4} e^(..) - sum_{x>=4} e^(..)|^2.
    let re = 0;
    let im = 0;
    for (let x = 0; x < L; x++) {
      const v = (x < L / 2 ? 1 : -1) * L;
      re += v * Math.cos((2 * Math.PI * x) / L);
      im += v * Math.sin((2 * Math.PI * x) / L);
    }
    expect(f[0]).toBeCloseTo((re * re + im * im) / (2 * L * L), 10);
  });
});

describe('measureCorrelation', () => {
  it('C(r) = 1 for all-up spins, (-1)^r for a checkerboard, and (1 + (-1)^r) / 2 for stripes', () => {
    const L = 8;
    const up = lattice2d(L, () => 1);
    const checker = lattice2d(L, (y, x) => ((x + y) % 2 ? -1 : 1));
    const stripes = lattice2d(L, (y) => (y % 2 ? -1 : 1));
    const data = Int8Array.from([...up, ...up, ...checker, ...checker, ...stripes, ...stripes]);
    const { series, table } = measureCorrelation(spinsOf(data, [L, L], [1, 1, 2, 2, 3, 3]));
    expect(series.x).toEqual([0, 1, 2, 3, 4]);
    expect(series.xLabel).toBe('r');
    expect(series.yLabel).toBe('C(r)');
    expect(series.curves.map((c) => c.name)).toEqual(['T = 1', 'T = 2', 'T = 3']);
    expect(series.curves[0].y).toEqual([1, 1, 1, 1, 1]);
    expect(series.curves[1].y).toEqual([1, -1, 1, -1, 1]);
    expect(series.curves[2].y).toEqual([1, 0, 1, 0, 1]);
    expect(series.curves[0].err).toEqual([0, 0, 0, 0, 0]);
    expect(table.columns).toEqual(['T', 'L', 'n', 'xi', 'xi_err', 'spacing']);
    expect(table.rows.map((r) => r.slice(0, 3))).toEqual([
      [1, 8, 2],
      [2, 8, 2],
      [3, 8, 2],
    ]);
    // All up: F = 0, so xi is undefined.
    expect(table.rows[0][3]).toBeNaN();
    // One sample: no error estimate.
    const single = measureCorrelation(spinsOf(Int8Array.from(up), [L, L]));
    expect(single.series.curves[0].err![1]).toBeNaN();
  });

  it('defaults maxR to floor(L/2) and refuses more, naming L', () => {
    const data = Int8Array.from(lattice2d(6, () => 1));
    expect(measureCorrelation(spinsOf(data, [6, 6])).series.x).toEqual([0, 1, 2, 3]);
    expect(measureCorrelation(spinsOf(data, [6, 6]), 1).series.x).toEqual([0, 1]);
    expect(() => measureCorrelation(spinsOf(data, [6, 6]), 4)).toThrow(/maxR = 4 is more than L\/2 = 3 \(L = 6\)/);
    expect(resolveMaxR(undefined, 7)).toBe(3);
    expect(() => resolveMaxR(1.5, 8)).toThrow(/non-negative integer/);
  });

  it('groups by temperature in order of first appearance, NaN temperatures together', () => {
    const L = 4;
    const up = lattice2d(L, () => 1);
    const checker = lattice2d(L, (y, x) => ((x + y) % 2 ? -1 : 1));
    const data = Int8Array.from([...checker, ...up, ...checker, ...up]);
    const { series, table } = measureCorrelation(spinsOf(data, [L, L], [NaN, 2.5, NaN, 2.5]));
    expect(series.curves.map((c) => c.name)).toEqual(['T unknown', 'T = 2.5']);
    expect(series.curves[0].y).toEqual([1, -1, 1]);
    expect(series.curves[1].y).toEqual([1, 1, 1]);
    expect(table.rows[0][0]).toBeNaN();
    expect(table.rows[0][2]).toBe(2);
    expect(table.rows[1].slice(0, 3)).toEqual([2.5, 4, 2]);
  });

  it('finds C(r > 0) = 0 within 3 errors for independent random spins, with errors sqrt(1 / (2 N n))', () => {
    const L = 16;
    const n = 2000;
    const { series } = measureCorrelation(spinsOf(randomSpins(n, L * L, 31), [L, L], 1e9), 8);
    const { y, err } = series.curves[0];
    expect(y[0]).toBe(1);
    expect(err![0]).toBe(0);
    const naive = Math.sqrt(1 / (2 * L * L) / n);
    for (let r = 1; r <= 8; r++) {
      expect(Math.abs(y[r])).toBeLessThan(3 * err![r]);
      // Per sample, C(r) is a mean of 2N products of variance 1, pairwise uncorrelated for r < L/2:
      // var = 1 / (2N). At r = L/2 each pair is counted twice (i + r and i - r coincide): var doubles.
      const expected = r === L / 2 ? Math.SQRT2 * naive : naive;
      expect(err![r] / expected).toBeGreaterThan(0.85);
      expect(err![r] / expected).toBeLessThan(1.15);
    }
  });

  it('matches the exact periodic 1D chain (N = 64, K = 1/2): C(r) = (t^r + t^(N-r)) / (1 + t^N), xi = sqrt(t) / (1 - t)', () => {
    const N = 64;
    const K = 0.5;
    const t = Math.tanh(K);
    const n = 20_000;
    const { series, table } = measureCorrelation(spinsOf(exactChain(N, K, n, 2718), [N], 1 / K));
    const { y, err } = series.curves[0];
    expect(series.curves[0].name).toBe('T = 2');
    expect(y.length).toBe(33);
    for (let r = 1; r <= 12; r++) {
      const exact = (t ** r + t ** (N - r)) / (1 + t ** N);
      expect(Math.abs(y[r] - exact)).toBeLessThan(3 * err![r]);
    }
    // Independent samples: the error of C(1) is close to the naive one, sqrt(var / n); var of the
    // per-sample mean of N bonds (independent, each of variance 1 - t^2) is (1 - t^2) / N.
    expect(err![1] / Math.sqrt((1 - t * t) / N / n)).toBeGreaterThan(0.85);
    expect(err![1] / Math.sqrt((1 - t * t) / N / n)).toBeLessThan(1.15);
    const [T, L, count, xi, xiErr] = table.rows[0] as number[];
    expect([T, L, count]).toEqual([2, 64, n]);
    // xi = 1.26 is small next to L = 64, so S(0) / S(2 pi / L) - 1 = 0.015 and the estimate is noisy.
    const exactXi = Math.sqrt(t) / (1 - t); // 1.264; the exponential length -1 / ln t is 1.294
    expect(xiErr).toBeGreaterThan(0);
    expect(xiErr).toBeLessThan(0.6);
    expect(Math.abs(xi - exactXi)).toBeLessThan(3 * xiErr);
  });

  it('gets the second-moment xi = sqrt(t) / (1 - t) precisely where L is a few xi (1D, N = 32, K = 1 and 1/2)', () => {
    const N = 32;
    const n = 20_000;
    const data = new Int8Array(2 * n * N);
    data.set(exactChain(N, 1, n, 11), 0);
    data.set(exactChain(N, 0.5, n, 12), n * N);
    const T = [...new Array(n).fill(1), ...new Array(n).fill(2)];
    const { series, table } = measureCorrelation(spinsOf(data, [N], T), 6);
    expect(series.curves.map((c) => c.name)).toEqual(['T = 1', 'T = 2']);
    expect(table.rows.length).toBe(2);
    for (const [i, K] of [1, 0.5].entries()) {
      const t = Math.tanh(K);
      const [, , count, xi, xiErr] = table.rows[i] as number[];
      expect(count).toBe(n);
      expect(xiErr / xi).toBeLessThan(0.1);
      expect(Math.abs(xi - Math.sqrt(t) / (1 - t))).toBeLessThan(3 * xiErr);
      const { y, err } = series.curves[i];
      for (let r = 1; r <= 6; r++) {
        expect(Math.abs(y[r] - (t ** r + t ** (N - r)) / (1 + t ** N))).toBeLessThan(3 * err![r]);
      }
    }
  });

  it('matches exact enumeration of the 4 x 4 lattice at T = 2: C(1), C(2) and the second-moment xi', () => {
    const L = 4;
    const N = 16;
    const T = 2;
    const states = 1 << N;
    const weights = new Float64Array(states);
    const exact = { c1: 0, c2: 0, s0: 0, f: 0 };
    const s = new Array<number>(N);
    let Z = 0;
    for (let state = 0; state < states; state++) {
      for (let i = 0; i < N; i++) s[i] = (state >> i) & 1 ? 1 : -1;
      const w = Math.exp((2 * N * referenceC(s, L, 1)) / T); // -E/T, E = -(sum over the 2N bonds)
      weights[state] = w;
      Z += w;
      let M = 0;
      let cx = 0;
      let sx = 0;
      let cy = 0;
      let sy = 0;
      for (let y = 0; y < L; y++) {
        for (let x = 0; x < L; x++) {
          const v = s[y * L + x];
          M += v;
          cx += v * Math.cos((2 * Math.PI * x) / L);
          sx += v * Math.sin((2 * Math.PI * x) / L);
          cy += v * Math.cos((2 * Math.PI * y) / L);
          sy += v * Math.sin((2 * Math.PI * y) / L);
        }
      }
      exact.c1 += w * referenceC(s, L, 1);
      exact.c2 += w * referenceC(s, L, 2);
      exact.s0 += (w * M * M) / N;
      exact.f += (w * (cx * cx + sx * sx + cy * cy + sy * sy)) / (2 * N);
    }
    for (const key of ['c1', 'c2', 's0', 'f'] as const) exact[key] /= Z;
    expect(-2 * exact.c1).toBeCloseTo(-1.7553802888, 9); // the energy per spin, from the PHYSICS table
    const exactXi = secondMomentXi(exact.s0, exact.f, L);

    // Independent exact samples by inverse CDF.
    const cdf = new Float64Array(states);
    for (let state = 0, acc = 0; state < states; state++) cdf[state] = acc += weights[state] / Z;
    const random = mulberry32(8);
    const n = 20_000;
    const data = new Int8Array(n * N);
    for (let k = 0; k < n; k++) {
      const u = random();
      let lo = 0;
      let hi = states - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      for (let i = 0; i < N; i++) data[k * N + i] = (lo >> i) & 1 ? 1 : -1;
    }
    const { series, table } = measureCorrelation(spinsOf(data, [L, L], T));
    const { y, err } = series.curves[0];
    expect(Math.abs(y[1] - exact.c1)).toBeLessThan(3 * err![1]);
    expect(Math.abs(y[2] - exact.c2)).toBeLessThan(3 * err![2]);
    const [, , , xi, xiErr] = table.rows[0] as number[];
    expect(Math.abs(xi - exactXi)).toBeLessThan(3 * xiErr);
    expect(xiErr / xi).toBeLessThan(0.05);
  });

  it('measures 1000 samples of 64 x 64 through the default (FFT) path', () => {
    const L = 64;
    const n = 1000;
    const value = spinsOf(randomSpins(n, L * L, 1), [L, L], 3);
    const { series } = measureCorrelation(value);
    expect(series.x.length).toBe(33);
  });

  it('rejects bad input clearly', () => {
    const data = Int8Array.from(lattice2d(4, () => 1));
    data[3] = 0;
    expect(() => measureCorrelation(spinsOf(data, [4, 4]))).toThrow(/spins must be ±1/);
    expect(() => measureCorrelation(spinsOf(new Int8Array(0), [4, 4]))).toThrow(/n = 0/);
    expect(() =>
      measureCorrelation({ ...spinsOf(Int8Array.from(lattice2d(4, () => 1)), [4, 4]), shape: [1, 4, 5] }),
    ).toThrow(/has 20 elements but data has 16/);
  });
});

describe('helpers', () => {
  it('names temperatures with enough digits to tell them apart', () => {
    expect(temperatureNames([2.269185314213022, 2, NaN])).toEqual(['T = 2.269', 'T = 2', 'T unknown']);
    expect(temperatureNames([2.2691, 2.2692])).toEqual(['T = 2.2691', 'T = 2.2692']);
  });

  it('second-moment xi is NaN where undefined', () => {
    expect(secondMomentXi(1, 1, 8)).toBeNaN();
    expect(secondMomentXi(1, 0, 8)).toBeNaN();
    expect(secondMomentXi(5, 1, 8)).toBeCloseTo(2 / (2 * Math.sin(Math.PI / 8)), 12);
  });
});
