import { describe, expect, it } from 'vitest';
import type { SpinsValue } from '../../src/graph/values';
import { binningAnalysis } from '../../src/physics/binning';
import {
  OBSERVABLE_COLUMNS,
  energyMagnetisation,
  groupByTemperature,
  measureObservables,
  spinsGeometry,
} from '../../src/physics/observables';
import { mulberry32 } from '../helpers/random';

function spins(
  configs: number[][],
  lattice: number[],
  T: number | number[] = 2,
  meta: Record<string, unknown> = {},
): SpinsValue {
  const n = configs.length;
  return {
    type: 'spins',
    shape: [n, ...lattice],
    data: Int8Array.from(configs.flat()),
    T: Float64Array.from(Array.isArray(T) ? T : new Array(n).fill(T)),
    meta: { model: 'ising', dim: lattice.length, L: lattice[0], boundary: 'periodic', ...meta },
  };
}

function config2d(L: number, f: (y: number, x: number) => number): number[] {
  const out: number[] = [];
  for (let y = 0; y < L; y++) for (let x = 0; x < L; x++) out.push(f(y, x));
  return out;
}

function row(table: ReturnType<typeof measureObservables>, i = 0): Record<string, number> {
  return Object.fromEntries(table.columns.map((c, j) => [c, table.rows[i][j] as number]));
}

/** Reference energy per spin, written independently of the kernel (modulo neighbours). */
function referenceEnergy(s: number[], L: number, J: number, h: number): number {
  let bonds = 0;
  let M = 0;
  for (let y = 0; y < L; y++) {
    for (let x = 0; x < L; x++) {
      const v = s[y * L + x];
      bonds += v * (s[y * L + ((x + 1) % L)] + s[((y + 1) % L) * L + x]);
      M += v;
    }
  }
  return (-J * bonds - h * M) / (L * L);
}

describe('per-sample energy and magnetisation', () => {
  const up4 = config2d(4, () => 1);
  const checker4 = config2d(4, (y, x) => ((x + y) % 2 === 0 ? 1 : -1));
  const oneFlipped = config2d(4, (y, x) => (y === 1 && x === 2 ? -1 : 1));

  it('knows the hand-made 2D configurations', () => {
    const { e, m } = energyMagnetisation(spins([up4, checker4, oneFlipped], [4, 4]));
    expect(Array.from(e)).toEqual([-2, 2, (-32 + 8) / 16]);
    expect(Array.from(m)).toEqual([1, 0, 14 / 16]);
  });

  it('knows the hand-made 1D configurations', () => {
    const up = new Array(8).fill(1);
    const alternating = up.map((_, i) => (i % 2 ? -1 : 1));
    const wall = up.map((_, i) => (i < 3 ? -1 : 1)); // two domain walls on the ring
    const { e, m } = energyMagnetisation(spins([up, alternating, wall], [8]));
    expect(Array.from(e)).toEqual([-1, 1, (-8 + 4) / 8]);
    expect(Array.from(m)).toEqual([1, 0, 2 / 8]);
  });

  it('uses J and h from the meta (defaults 1 and 0)', () => {
    const down4 = up4.map(() => -1);
    const { e } = energyMagnetisation(spins([up4, down4, oneFlipped], [4, 4], 2, { J: 0.5, h: 0.25 }));
    expect(e[0]).toBeCloseTo(-1 - 0.25, 14);
    expect(e[1]).toBeCloseTo(-1 + 0.25, 14);
    expect(e[2]).toBeCloseTo(referenceEnergy(oneFlipped, 4, 0.5, 0.25), 14);
    const chain = energyMagnetisation(spins([[1, 1, 1, 1]], [4], 2, { h: 1 }));
    expect(chain.e[0]).toBe(-2);
  });

  it('agrees with an independent reference on random lattices of several sizes (L = 2 counts both bonds)', () => {
    const random = mulberry32(3);
    for (const L of [2, 3, 5, 8, 13]) {
      const configs = Array.from({ length: 5 }, () => config2d(L, () => (random() < 0.5 ? 1 : -1)));
      const { e } = energyMagnetisation(spins(configs, [L, L], 2, { J: 1.5, h: -0.3 }));
      configs.forEach((c, i) => expect(e[i]).toBeCloseTo(referenceEnergy(c, L, 1.5, -0.3), 12));
    }
    expect(energyMagnetisation(spins([[1, 1, 1, 1]], [2, 2])).e[0]).toBe(-2);
  });
});

describe('measureObservables', () => {
  it('has exactly the catalogue columns', () => {
    const table = measureObservables(spins([config2d(4, () => 1)], [4, 4]));
    expect(table.type).toBe('table');
    expect(table.columns).toEqual([
      'T',
      'L',
      'n',
      'e',
      'e_err',
      'm',
      'm_err',
      'absm',
      'absm_err',
      'm2',
      'm4',
      'chi',
      'c',
      'binder',
      'chi_err',
      'c_err',
      'binder_err',
      'tau_e',
      'tau_absm',
      'drift_sigma',
    ]);
    expect([...OBSERVABLE_COLUMNS]).toEqual(table.columns);
  });

  it('gives binder = 2/3 and chi = 0 for an all-up / all-down mixture', () => {
    const up = config2d(4, () => 1);
    const down = config2d(4, () => -1);
    const r = row(measureObservables(spins([up, down, down, up, up, down], [4, 4], 1.5)));
    expect(r).toMatchObject({ T: 1.5, L: 4, n: 6, e: -2, e_err: 0, m: 0, absm: 1, absm_err: 0, m2: 1, m4: 1 });
    expect(r.binder).toBeCloseTo(2 / 3, 14);
    expect(r.chi).toBe(0);
    expect(r.c).toBe(0);
    expect(r.m_err).toBeGreaterThan(0);
  });

  it('computes chi, c and the Binder cumulant from the moments', () => {
    // All up (e = -2, m = 1) and one row flipped (e = -1, m = 1/2), at T = 2 on a 4 x 4 lattice.
    const up = config2d(4, () => 1);
    const rowFlipped = config2d(4, (y) => (y === 2 ? -1 : 1));
    const r = row(measureObservables(spins([up, rowFlipped], [4, 4], 2)));
    expect(r.e).toBe(-1.5);
    expect(r.absm).toBe(0.75);
    expect(r.m2).toBe(0.625);
    expect(r.m4).toBeCloseTo((1 + 1 / 16) / 2, 14);
    expect(r.chi).toBeCloseTo((16 * (0.625 - 0.75 ** 2)) / 2, 14); // 0.5
    expect(r.c).toBeCloseTo((16 * (2.5 - 2.25)) / 4, 14); // 1
    expect(r.binder).toBeCloseTo(1 - 0.53125 / (3 * 0.625 ** 2), 14);
  });

  it('gives one row per temperature, in order of first appearance, with NaN temperatures as one group', () => {
    const up = config2d(4, () => 1);
    const down = config2d(4, () => -1);
    const table = measureObservables(spins([up, up, down, up, down, up, down], [4, 4], [3, 3, 1, 1, NaN, 3, NaN]));
    expect(table.rows.length).toBe(3);
    const [a, b, c] = [row(table, 0), row(table, 1), row(table, 2)];
    expect(a).toMatchObject({ T: 3, n: 3, m: 1 });
    expect(b).toMatchObject({ T: 1, n: 2, m: 0, absm: 1 });
    expect(c.T).toBeNaN();
    expect(c).toMatchObject({ n: 2, m: -1, absm: 1, e: -2 });
    expect(c.chi).toBeNaN();
    expect(c.c).toBeNaN();
    expect(c.binder).toBeCloseTo(2 / 3, 14);
    expect(groupByTemperature(Float64Array.from([2, NaN, 2, NaN])).map((g) => Array.from(g.indices))).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  it('finds e = 0 and m = 0 within their errors for independent random spins (infinite temperature)', () => {
    const random = mulberry32(2024);
    const L = 16;
    const n = 4000;
    const configs = Array.from({ length: n }, () => config2d(L, () => (random() < 0.5 ? 1 : -1)));
    const r = row(measureObservables(spins(configs, [L, L], 1e9)));
    expect(Math.abs(r.e)).toBeLessThan(3 * r.e_err);
    expect(Math.abs(r.m)).toBeLessThan(3 * r.m_err);
    // Independent samples: errors are the naive ones, sqrt(var / n), var e = 2 / N, var m = 1 / N.
    expect(r.e_err / Math.sqrt(2 / (L * L) / n)).toBeGreaterThan(0.85);
    expect(r.e_err / Math.sqrt(2 / (L * L) / n)).toBeLessThan(1.15);
    expect(r.m_err / Math.sqrt(1 / (L * L) / n)).toBeGreaterThan(0.85);
    expect(r.m_err / Math.sqrt(1 / (L * L) / n)).toBeLessThan(1.15);
    // <m^2> = 1 / N exactly; its spread is about sqrt(2) / N / sqrt(n).
    expect(Math.abs(r.m2 * L * L - 1)).toBeLessThan(3 * Math.sqrt(2 / n));
  });

  describe('against exact enumeration of the 4 x 4 periodic lattice at T = 2', () => {
    const L = 4;
    const N = 16;
    const T = 2;
    // Every state's energy and magnetisation, and its Boltzmann weight.
    const states = 1 << N;
    const E = new Float64Array(states);
    const M = new Float64Array(states);
    const weights = new Float64Array(states);
    const s = new Array<number>(N);
    for (let state = 0; state < states; state++) {
      for (let i = 0; i < N; i++) s[i] = (state >> i) & 1 ? 1 : -1;
      E[state] = referenceEnergy(s, L, 1, 0) * N;
      M[state] = s.reduce((a, b) => a + b, 0);
    }
    let Z = 0;
    for (let state = 0; state < states; state++) Z += weights[state] = Math.exp(-E[state] / T);
    const exact = { e: 0, e2: 0, absm: 0, m2: 0, m4: 0 };
    for (let state = 0; state < states; state++) {
      const p = weights[state] / Z;
      const e = E[state] / N;
      const m = M[state] / N;
      exact.e += p * e;
      exact.e2 += p * e * e;
      exact.absm += p * Math.abs(m);
      exact.m2 += p * m * m;
      exact.m4 += p * m ** 4;
    }
    const cdf = new Float64Array(states);
    for (let state = 0, acc = 0; state < states; state++) cdf[state] = acc += weights[state] / Z;

    /** Independent exact samples (inverse CDF), each repeated `repeat` times (a crude autocorrelation). */
    function exactSamples(n: number, seed: number, repeat = 1): SpinsValue {
      const random = mulberry32(seed);
      const data = new Int8Array(n * repeat * N);
      for (let k = 0; k < n; k++) {
        const u = random();
        let lo = 0;
        let hi = states - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid] < u) lo = mid + 1;
          else hi = mid;
        }
        for (let r = 0; r < repeat; r++) {
          for (let i = 0; i < N; i++) data[(k * repeat + r) * N + i] = (lo >> i) & 1 ? 1 : -1;
        }
      }
      return {
        type: 'spins',
        shape: [n * repeat, L, L],
        data,
        T: new Float64Array(n * repeat).fill(T),
        meta: { model: 'ising', dim: 2, L, J: 1, h: 0, boundary: 'periodic', blockFactor: 1 },
      };
    }

    it('enumeration reproduces the reference values', () => {
      expect(exact.e).toBeCloseTo(-1.7553802888, 9);
      expect(exact.absm).toBeCloseTo(0.918943267402, 11);
      expect(exact.m2).toBeCloseTo(0.868921681642, 11);
    });

    it('e, |m|, m^2, chi, c and binder agree with the exact values within 3 standard errors', () => {
      const n = 20_000;
      const sample = exactSamples(n, 99);
      const table = measureObservables(sample);
      const r = row(table);
      expect(r.n).toBe(n);
      expect(Math.abs(r.e - exact.e)).toBeLessThan(3 * r.e_err);
      expect(Math.abs(r.absm - exact.absm)).toBeLessThan(3 * r.absm_err);
      const { m } = energyMagnetisation(sample);
      const m2err = binningAnalysis(m.map((x) => x * x)).error;
      expect(Math.abs(r.m2 - exact.m2)).toBeLessThan(3 * m2err);
      const meta = table.meta as Record<string, number[]>;
      expect([meta.chi_err[0], meta.c_err[0], meta.binder_err[0]]).toEqual([r.chi_err, r.c_err, r.binder_err]);
      const exactC = (N * (exact.e2 - exact.e ** 2)) / T ** 2;
      const exactChi = (N * (exact.m2 - exact.absm ** 2)) / T;
      const exactBinder = 1 - exact.m4 / (3 * exact.m2 ** 2);
      expect(Math.abs(r.c - exactC)).toBeLessThan(3 * r.c_err);
      expect(Math.abs(r.chi - exactChi)).toBeLessThan(3 * r.chi_err);
      expect(Math.abs(r.binder - exactBinder)).toBeLessThan(3 * r.binder_err);
      // The derived errors are real error bars, not zero or huge.
      expect(r.c_err / exactC).toBeGreaterThan(0.002);
      expect(r.c_err / exactC).toBeLessThan(0.05);
      // Independent samples: tau = 1/2 within its Madras–Sokal error (about 0.02 here), no drift.
      expect(Math.abs(r.tau_e - 0.5)).toBeLessThan(0.08);
      expect(Math.abs(r.tau_absm - 0.5)).toBeLessThan(0.08);
      expect(Math.abs(r.drift_sigma)).toBeLessThan(4);
      expect(meta.warnings).toEqual([]);
    });

    it('bins out a (crude) autocorrelation: repeating each sample 8 times keeps the error, not the naive one', () => {
      const once = row(measureObservables(exactSamples(4000, 5)));
      const repeated = measureObservables(exactSamples(4000, 5, 8));
      const r = row(repeated);
      expect(r.e).toBeCloseTo(once.e, 12);
      expect(r.e_err / once.e_err).toBeGreaterThan(0.8);
      expect(r.e_err / once.e_err).toBeLessThan(1.25);
      expect(r.absm_err / once.absm_err).toBeGreaterThan(0.8);
      expect(r.absm_err / once.absm_err).toBeLessThan(1.25);
      // 8 copies of independent samples: rho(t) = 1 - t/8 for t < 8, so tau = 1/2 + 28/8 = 4 exactly,
      // with a Madras–Sokal error of about 0.23 here.
      expect(Math.abs(r.tau_e - 4)).toBeLessThan(0.7);
      expect(Math.abs(r.tau_absm - 4)).toBeLessThan(0.7);
      expect(Math.abs(once.tau_e - 0.5)).toBeLessThan(0.15);
    });
  });

  it('matches the exact 1D chain (N = 64, K = 1/2): energy and specific heat', () => {
    const N = 64;
    const K = 0.5;
    const t = Math.tanh(K);
    const n = 20_000;
    const configs = exactChain(N, K, n, 77);
    const table = measureObservables(spins(configs, [N], 1 / K));
    const r = row(table);
    const u = -(t + t ** (N - 1)) / (1 + t ** N);
    expect(Math.abs(r.e - u)).toBeLessThan(3 * r.e_err);
    const c = (K / Math.cosh(K)) ** 2; // t^N corrections are 1e-22
    expect(Math.abs(r.c - c)).toBeLessThan(3 * (table.meta as Record<string, number[]>).c_err[0]);
  });

  it('measures 1000 samples of 64 x 64 (speed is in npm run bench)', () => {
    const L = 64;
    const n = 1000;
    const random = mulberry32(1);
    const data = new Int8Array(n * L * L);
    for (let i = 0; i < data.length; i++) data[i] = random() < 0.7 ? 1 : -1;
    const value: SpinsValue = { type: 'spins', shape: [n, L, L], data, T: new Float64Array(n).fill(2), meta: {} };
    const table = measureObservables(value);
    expect(row(table).m).toBeCloseTo(0.4, 2);
  });
});

/** Exact samples of the periodic chain: independent bonds b = ±1 (P(+1) = (1 + tanh K) / 2), kept when their product is 1. */
function exactChain(N: number, K: number, n: number, seed: number): number[][] {
  const random = mulberry32(seed);
  const pUp = (1 + Math.tanh(K)) / 2;
  const out: number[][] = [];
  while (out.length < n) {
    const bonds = Array.from({ length: N }, (): number => (random() < pUp ? 1 : -1));
    if (bonds.reduce((a, b) => a * b, 1) !== 1) continue;
    const s: number[] = [random() < 0.5 ? 1 : -1];
    for (let i = 0; i < N - 1; i++) s.push(s[i] * bonds[i]);
    out.push(s);
  }
  return out;
}

describe('spinsGeometry (bad input)', () => {
  const good = () => spins([config2d(4, () => 1), config2d(4, () => -1)], [4, 4]);

  it('accepts good input and reads J and h', () => {
    expect(spinsGeometry(spins([[1, -1, 1, -1]], [4], 2, { J: 2 }))).toEqual({
      n: 1,
      dim: 1,
      L: 4,
      N: 4,
      J: 2,
      h: 0,
    });
  });

  it('rejects a value that is not ±1, naming the sample and site', () => {
    const bad = good();
    bad.data[16 + 5] = 0;
    expect(() => measureObservables(bad)).toThrow(/sample 1, site 5 has value 0; spins must be ±1/);
  });

  it('rejects an empty sample set', () => {
    expect(() => measureObservables(spins([], [4, 4]))).toThrow(/no samples \(n = 0\)/);
  });

  it('rejects a shape that does not match the data', () => {
    const bad = { ...good(), shape: [3, 4, 4] };
    expect(() => measureObservables(bad)).toThrow(/shape \[3, 4, 4\] has 48 elements but data has 32/);
  });

  it('rejects shapes it cannot measure, and a T array of the wrong length', () => {
    expect(() =>
      measureObservables({ ...good(), shape: [2, 16], data: new Int8Array(32).fill(1), T: new Float64Array(3) }),
    ).toThrow(/one temperature per sample/);
    expect(() => measureObservables({ ...good(), shape: [2, 2, 8] })).toThrow(/square lattice/);
    expect(() => measureObservables({ ...good(), shape: [2, 2, 2, 4] })).toThrow(/expected shape \[n, L\]/);
    expect(() => measureObservables(spins([[1], [1]], [1]))).toThrow(/L >= 2/);
  });
});
