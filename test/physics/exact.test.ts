import { describe, expect, it } from 'vitest';
import {
  KC,
  TC,
  chainCorrelation,
  chainCorrelationInfinite,
  chainEnergy,
  chainEnergyInfinite,
  chainSpecificHeat,
  chainSpecificHeatInfinite,
  decimatedChainCorrelation,
  decimatedCoupling,
  effectiveTemperatureFromEnergy,
  enumerateIsing2D,
  exactEnergy2D,
  isingDensityOfStates2D,
  kaufmanDerivatives,
  kaufmanEnergy,
  kaufmanLogZ,
  kaufmanSpecificHeat,
  onsagerEnergy,
  onsagerSpecificHeat,
  undecimatedCoupling,
  yangMagnetization,
} from '../../src/physics/exact';

/** Five-point central derivative. */
function derivative(f: (x: number) => number, x: number, h: number): number {
  return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h);
}

/** Brute-force enumeration of a periodic chain of N spins: <s_0 s_r> for every r, energy and specific heat per spin. */
function enumerateChain(N: number, T: number, J = 1): { corr: number[]; e: number; c: number } {
  const weights: number[] = [];
  const energies: number[] = [];
  const corr = new Array<number>(N + 1).fill(0);
  const s = new Int8Array(N);
  for (let state = 0; state < 2 ** N; state++) {
    for (let i = 0; i < N; i++) s[i] = (state >> i) & 1 ? 1 : -1;
    let bonds = 0;
    for (let i = 0; i < N; i++) bonds += s[i] * s[(i + 1) % N];
    const E = -J * bonds;
    const w = Math.exp(-E / T);
    weights.push(w);
    energies.push(E);
    for (let r = 0; r <= N; r++) corr[r] += w * s[0] * s[r % N];
  }
  const Z = weights.reduce((a, b) => a + b, 0);
  const mean = weights.reduce((a, w, k) => a + w * energies[k], 0) / Z;
  // Two passes: the variance without the cancellation of <E²> - <E>².
  const varE = weights.reduce((a, w, k) => a + w * (energies[k] - mean) ** 2, 0) / Z;
  return { corr: corr.map((x) => x / Z), e: mean / N, c: varE / (N * T * T) };
}

describe('constants', () => {
  it('Tc and Kc', () => {
    expect(TC).toBeCloseTo(2.269185314213022, 15);
    expect(KC).toBeCloseTo(0.440686793509771, 15);
    expect(KC * TC).toBeCloseTo(1, 15);
    expect(Math.sinh(2 * KC)).toBeCloseTo(1, 15);
  });
});

describe('enumerateIsing2D', () => {
  it('reproduces the PHYSICS.md enumeration values at L = 4, T = 2', () => {
    const r = enumerateIsing2D(4, 2.0);
    expect(r.absm).toBeCloseTo(0.918943267402, 12);
    expect(r.m2).toBeCloseTo(0.868921681642, 12);
    expect(r.e).toBeCloseTo(-1.7553802888, 10);
  });

  it('counts every state once, with the right ground and excited states', () => {
    for (const L of [2, 3, 4]) {
      const N = L * L;
      const counts = isingDensityOfStates2D(L);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(2 ** N);
      const stride = 2 * N + 1;
      // Two ground states, B = 2N, M = ±N.
      expect(counts[4 * N * stride + 2 * N]).toBe(1);
      expect(counts[4 * N * stride + 0]).toBe(1);
    }
    // L = 4: N single flips of each ground state, B = 2N - 8, |M| = N - 2.
    const N = 16;
    const stride = 2 * N + 1;
    expect(isingDensityOfStates2D(4)[(4 * N - 8) * stride + (2 * N - 2)]).toBe(N);
  });

  it('gives consistent moments: e2 >= e², m4 >= m2², c = de/dT also with a field', () => {
    for (const h of [0, 0.3, -0.3]) {
      for (const T of [1, 2.3, 4]) {
        const r = enumerateIsing2D(4, T, 1, h);
        expect(r.e2).toBeGreaterThanOrEqual(r.e * r.e);
        expect(r.m4).toBeGreaterThanOrEqual(r.m2 * r.m2);
        expect(r.m2).toBeGreaterThanOrEqual(r.absm * r.absm);
        expect(r.c).toBeCloseTo((16 * (r.e2 - r.e * r.e)) / (T * T), 10);
        const de = derivative((t) => enumerateIsing2D(4, t, 1, h).e, T, 1e-3);
        expect(r.c).toBeCloseTo(de, 8);
      }
    }
    // The field's sign does not matter for these averages.
    const up = enumerateIsing2D(3, 2, 1, 0.4);
    const down = enumerateIsing2D(3, 2, 1, -0.4);
    for (const key of ['e', 'e2', 'absm', 'm2', 'm4', 'c', 'chi'] as const) expect(up[key]).toBeCloseTo(down[key], 13);
  });

  it('refuses lattices too big to enumerate, with a clear message', () => {
    expect(() => enumerateIsing2D(6, 2)).toThrow(/L must be an integer in 2\.\.5.*2\^36/);
    expect(() => enumerateIsing2D(1, 2)).toThrow(/L must be an integer in 2\.\.5/);
    expect(() => enumerateIsing2D(2.5, 2)).toThrow(/L must be/);
    expect(() => enumerateIsing2D(4, 0)).toThrow(/T must be positive/);
  });
});

describe('Kaufman: finite periodic L x L', () => {
  const table: [number, number, number][] = [
    [4, 1.5, -1.9506425615],
    [4, 2.0, -1.7553802888],
    [4, 3.0, -1.017069627],
    [8, 1.5, -1.9511154309],
    [8, 2.0, -1.7456831703],
    [8, 3.0, -0.8413154279],
  ];
  it.each(table)('L = %i, T = %s: u = %s (PHYSICS.md)', (L, T, u) => {
    expect(Math.abs(kaufmanEnergy(L, T) - u)).toBeLessThan(1e-9);
  });

  it('matches the Tc entries of the table (given at T = 2.269185, to 7 decimals)', () => {
    expect(kaufmanEnergy(4, 2.269185)).toBeCloseTo(-1.565624, 7);
    expect(kaufmanEnergy(8, 2.269185)).toBeCloseTo(-1.4915895, 7);
  });

  const temperatures = [0.3, 0.7, 1.0, 1.5, 2.0, TC, 2.5, 3.0, 5.0, 20, 300];
  it.each([2, 3, 4])('agrees with enumeration at L = %i: ln Z, energy and specific heat', (L) => {
    const N = L * L;
    const counts = isingDensityOfStates2D(L);
    const stride = 2 * N + 1;
    for (const T of temperatures) {
      const K = 1 / T;
      // ln Z = ln Σ g(B) e^{K B}, shifted by the ground state.
      let z = 0;
      for (let idx = 0; idx < counts.length; idx++) {
        if (counts[idx] > 0) z += counts[idx] * Math.exp(K * (Math.floor(idx / stride) - 2 * N - 2 * N));
      }
      const logZ = 2 * N * K + Math.log(z);
      expect(Math.abs(kaufmanLogZ(L, T) - logZ) / Math.abs(logZ)).toBeLessThan(1e-13);
      const exact = enumerateIsing2D(L, T);
      expect(Math.abs(kaufmanEnergy(L, T) - exact.e)).toBeLessThan(1e-10);
      expect(Math.abs(kaufmanSpecificHeat(L, T) - exact.c)).toBeLessThan(1e-10);
    }
  });

  it('agrees with enumeration at L = 5 (odd L, 2^25 states)', () => {
    for (const T of [1.5, TC, 3.5]) {
      const exact = enumerateIsing2D(5, T);
      expect(Math.abs(kaufmanEnergy(5, T) - exact.e)).toBeLessThan(1e-10);
      expect(Math.abs(kaufmanSpecificHeat(5, T) - exact.c)).toBeLessThan(1e-10);
    }
  });

  it('scales with J: u(T; J) = J u(T/J; 1), c(T; J) = c(T/J; 1)', () => {
    expect(kaufmanEnergy(6, 3, 1.5)).toBeCloseTo(1.5 * kaufmanEnergy(6, 2), 13);
    expect(kaufmanSpecificHeat(6, 3, 1.5)).toBeCloseTo(kaufmanSpecificHeat(6, 2), 12);
    expect(kaufmanLogZ(6, 3, 1.5)).toBeCloseTo(kaufmanLogZ(6, 2), 11);
    const J = 0.7;
    const T = 1.9;
    const e = enumerateIsing2D(3, T, J);
    expect(kaufmanEnergy(3, T, J)).toBeCloseTo(e.e, 12);
    expect(kaufmanSpecificHeat(3, T, J)).toBeCloseTo(e.c, 12);
  });

  it('has gamma_0 positive below Tc: Z -> 2 e^{2NK} (two ground states) at low T', () => {
    // Z = 2 e^{2NK} (1 + N e^{-8K} + 2N e^{-12K} + ...) for K >> 1.
    for (const L of [4, 7, 32]) {
      const N = L * L;
      const K = 5;
      const expected = Math.LN2 + 2 * N * K + Math.log1p(N * Math.exp(-8 * K) + 2 * N * Math.exp(-12 * K));
      expect(kaufmanLogZ(L, 1 / K)).toBeCloseTo(expected, 10);
      // High T: ln Z -> N ln 2 + N K² + ...
      // (to rounding: ln Z is a sum of terms ~ N ln(1/K) that cancel down to N ln 2)
      expect(Math.abs(kaufmanLogZ(L, 1e6) - N * Math.LN2 - N * 1e-12)).toBeLessThan(1e-15 * N * Math.log(1e6));
    }
  });

  it('is the exact derivative: u = -(1/N) d ln Z/dK, c = K² d²lnZ/dK² / N', () => {
    for (const L of [4, 16, 64]) {
      for (const K of [0.3, KC, 0.6]) {
        const d = kaufmanDerivatives(L, K);
        const N = L * L;
        expect(d.dlogZ / N).toBeCloseTo(derivative((k) => kaufmanDerivatives(L, k).logZ, K, 1e-4) / N, 8);
        expect(d.d2logZ / N).toBeCloseTo(derivative((k) => kaufmanDerivatives(L, k).dlogZ, K, 1e-4) / N, 7);
      }
    }
  });

  it('approaches Onsager at large L', () => {
    for (const T of [1.0, 1.5, 2.0, 3.0, 5.0]) {
      expect(Math.abs(kaufmanEnergy(512, T) - onsagerEnergy(T))).toBeLessThan(1e-12);
      expect(Math.abs(kaufmanSpecificHeat(512, T) - onsagerSpecificHeat(T))).toBeLessThan(1e-10);
    }
    // At Tc: u_L = -√2 + a/L + ..., and c_L grows like (8/π) Kc² ln L.
    const a128 = 128 * (kaufmanEnergy(128, TC) + Math.SQRT2);
    const a512 = 512 * (kaufmanEnergy(512, TC) + Math.SQRT2);
    expect(a512).toBeLessThan(0);
    expect(Math.abs(a512 / a128 - 1)).toBeLessThan(1e-3);
    const slope = (kaufmanSpecificHeat(1024, TC) - kaufmanSpecificHeat(128, TC)) / Math.log(8);
    expect(slope).toBeCloseTo((8 / Math.PI) * KC * KC, 2);
  });

  it('stays finite and sensible at the extremes', () => {
    expect(kaufmanEnergy(8, 0.01)).toBe(-2);
    expect(kaufmanSpecificHeat(8, 0.01)).toBe(0);
    expect(kaufmanEnergy(8, 0.05)).toBeCloseTo(-2, 15);
    expect(kaufmanEnergy(8, 1e4)).toBeCloseTo(-2e-4, 10);
    expect(kaufmanSpecificHeat(8, 1e4)).toBeCloseTo(2e-8, 14);
    for (let T = 0.05; T < 50; T *= 1.1) {
      expect(kaufmanSpecificHeat(16, T)).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(kaufmanEnergy(16, T))).toBe(true);
    }
    // The energy increases with T (to rounding).
    let last = -Infinity;
    for (let T = 0.1; T < 10; T += 0.01) {
      const u = kaufmanEnergy(10, T);
      expect(u).toBeGreaterThanOrEqual(last - 2e-15);
      last = u;
    }
  });

  it('refuses bad arguments', () => {
    expect(() => kaufmanEnergy(1, 2)).toThrow(/L must be an integer >= 2/);
    expect(() => kaufmanEnergy(4.5, 2)).toThrow(/L must be an integer/);
    expect(() => kaufmanEnergy(4, -1)).toThrow(/T must be a positive/);
    expect(() => kaufmanEnergy(4, 2, 0)).toThrow(/J must be a positive/);
  });
});

describe('Onsager and Yang: the infinite lattice', () => {
  it.each([
    [1.5, -1.9511165731],
    [2.0, -1.7455645753],
    [3.0, -0.8173095925],
  ])('u(T = %s) = %s (PHYSICS.md)', (T, u) => {
    expect(Math.abs(onsagerEnergy(T) - u)).toBeLessThan(1e-9);
  });

  it('u(Tc) = -√2, continuous through Tc', () => {
    // Not to the last digit: u has an infinite slope at Tc, and the double TC is not exactly Tc.
    expect(onsagerEnergy(TC)).toBeCloseTo(-Math.SQRT2, 13);
    expect(onsagerEnergy(TC * (1 + 1e-9))).toBeCloseTo(-Math.SQRT2, 7);
    expect(onsagerEnergy(TC * (1 - 1e-9))).toBeCloseTo(-Math.SQRT2, 7);
    expect(onsagerEnergy(2, 2)).toBeCloseTo(2 * onsagerEnergy(1), 14);
  });

  it('c = du/dT away from Tc, and is infinite at Tc', () => {
    for (const T of [0.5, 1.0, 1.5, 2.0, 2.2, 2.25, 2.29, 2.4, 3.0, 5.0, 20]) {
      const h = Math.min(1e-3, Math.abs(T - TC) / 50);
      expect(onsagerSpecificHeat(T)).toBeCloseTo(derivative(onsagerEnergy, T, h), 7);
    }
    expect(onsagerSpecificHeat(TC)).toBe(Infinity);
    expect(onsagerSpecificHeat(2 * TC, 2)).toBe(Infinity);
    expect(onsagerSpecificHeat(1 / KC)).toBe(Infinity);
    // Logarithmic divergence: c ≈ -(8/π) Kc² ln|1 - T/Tc| + const on both sides.
    const slope = (onsagerSpecificHeat(TC * (1 + 1e-8)) - onsagerSpecificHeat(TC * (1 + 1e-6))) / Math.log(100);
    expect(slope).toBeCloseTo((8 / Math.PI) * KC * KC, 4);
  });

  it('Yang magnetisation', () => {
    const sinh2 = Math.sinh(1);
    expect(yangMagnetization(2.0)).toBeCloseTo((1 - sinh2 ** -4) ** (1 / 8), 15);
    expect(yangMagnetization(2.0)).toBeCloseTo(0.9113194, 7);
    expect(yangMagnetization(TC)).toBe(0);
    expect(yangMagnetization(3)).toBe(0);
    expect(yangMagnetization(TC * (1 - 1e-12))).toBeLessThan(0.05);
    // Low-T series: m = 1 - 2x⁴ - 8x⁶ - 34x⁸ - ..., x = e^{-2K}.
    const x = Math.exp(-2 / 0.5);
    expect(yangMagnetization(0.5)).toBeCloseTo(1 - 2 * x ** 4 - 8 * x ** 6 - 34 * x ** 8, 13);
    // Critical exponent 1/8: m ≈ B (1 - T/Tc)^{1/8} with B = 1.2224...
    const t = 1e-8;
    expect(yangMagnetization(TC * (1 - t)) / t ** (1 / 8)).toBeCloseTo(1.2224, 3);
    // Decreases with T.
    let last = 1;
    for (let T = 0.2; T < TC; T += 0.01) {
      const m = yangMagnetization(T);
      expect(m).toBeLessThanOrEqual(last);
      last = m;
    }
  });
});

describe('1D periodic chain', () => {
  const N = 10;
  it.each([0.3, 0.8, 1.5, 4.0, 20])('matches brute-force enumeration of N = 10 at T = %s', (T) => {
    for (const J of [1, 0.6, -1]) {
      const exact = enumerateChain(N, T, J);
      for (let r = 0; r <= N; r++) expect(chainCorrelation(N, T, r, J)).toBeCloseTo(exact.corr[r], 13);
      expect(chainEnergy(N, T, J)).toBeCloseTo(exact.e, 13);
      expect(chainSpecificHeat(N, T, J)).toBeCloseTo(exact.c, 12);
    }
  });

  it('specific heat is d e / d T', () => {
    for (const n of [2, 3, 10, 1000]) {
      for (const T of [0.2, 1, 3]) {
        expect(chainSpecificHeat(n, T)).toBeCloseTo(
          derivative((t) => chainEnergy(n, t), T, 1e-3),
          8,
        );
      }
    }
    expect(chainSpecificHeat(1, 1)).toBe(0);
    expect(chainEnergy(1, 1)).toBe(-1);
  });

  it('tends to the infinite chain for large N', () => {
    for (const T of [0.5, 1, 3]) {
      const t = Math.tanh(1 / T);
      for (const r of [0, 1, 2, 5]) {
        expect(chainCorrelationInfinite(T, r)).toBeCloseTo(t ** r, 15);
        expect(chainCorrelation(5000, T, r)).toBeCloseTo(t ** r, 12);
      }
      expect(chainEnergyInfinite(T)).toBeCloseTo(-t, 15);
      expect(chainEnergy(5000, T)).toBeCloseTo(-t, 12);
      expect(chainSpecificHeat(5000, T)).toBeCloseTo(chainSpecificHeatInfinite(T), 12);
      expect(chainSpecificHeatInfinite(T)).toBeCloseTo(derivative(chainEnergyInfinite, T, 1e-3), 9);
    }
  });

  it('refuses bad arguments', () => {
    expect(() => chainCorrelation(10, 1, 11)).toThrow(/r must be an integer in 0\.\.N = 10/);
    expect(() => chainCorrelation(0, 1, 0)).toThrow(/N must be a positive integer/);
    expect(() => chainEnergy(10, 0)).toThrow(/T must be a positive/);
  });
});

describe('decimation', () => {
  it('tanh K′ = tanh^b K', () => {
    for (const K of [0.01, 0.2, 0.5, 1, 2, 5]) {
      for (const b of [1, 2, 3, 4, 8]) {
        expect(Math.tanh(decimatedCoupling(K, b))).toBeCloseTo(Math.tanh(K) ** b, 15);
      }
    }
    expect(decimatedCoupling(0.7, 1)).toBeCloseTo(0.7, 15);
    expect(decimatedCoupling(0, 2)).toBe(0);
    expect(decimatedCoupling(Infinity, 2)).toBe(Infinity);
  });

  it('is a semigroup and the inverse undoes it', () => {
    for (const K of [0.1, 0.5, 1.3, 3]) {
      expect(decimatedCoupling(decimatedCoupling(K, 2), 3)).toBeCloseTo(decimatedCoupling(K, 6), 13);
      expect(decimatedCoupling(decimatedCoupling(K, 2), 2)).toBeCloseTo(decimatedCoupling(K, 4), 13);
      expect(undecimatedCoupling(decimatedCoupling(K, 3), 3)).toBeCloseTo(K, 12);
      expect(decimatedCoupling(undecimatedCoupling(K, 2), 2)).toBeCloseTo(K, 13);
    }
  });

  it('flows to K = 0 (xi′ = xi / b) and keeps its digits at large K', () => {
    // The correlation length ξ = -1 / ln tanh K shrinks by b.
    for (const K of [0.3, 1, 2.5]) {
      const xi = -1 / Math.log(Math.tanh(K));
      expect(-1 / Math.log(Math.tanh(decimatedCoupling(K, 2)))).toBeCloseTo(xi / 2, 10);
    }
    // K >> 1: K′ = K - ½ ln b + O(e^{-2K}), where tanh K rounds to 1.
    expect(decimatedCoupling(30, 2)).toBeCloseTo(30 - 0.5 * Math.log(2), 12);
    expect(decimatedCoupling(30, 5)).toBeCloseTo(30 - 0.5 * Math.log(5), 12);
    // Antiferromagnet: odd b keeps the sign.
    expect(decimatedCoupling(-0.5, 3)).toBeCloseTo(-decimatedCoupling(0.5, 3), 15);
    expect(decimatedCoupling(-0.5, 2)).toBeCloseTo(decimatedCoupling(0.5, 2), 15);
  });

  it('the decimated chain is the original chain at distance b', () => {
    for (const T of [0.4, 1, 2.5]) {
      for (const [n, b] of [
        [12, 2],
        [12, 3],
        [12, 4],
        [64, 8],
      ]) {
        const decimated = decimatedChainCorrelation(n, T, b);
        expect(decimated).toBeCloseTo(chainCorrelation(n, T, b), 14);
        // ... and a chain of n/b sites at K′.
        expect(decimated).toBeCloseTo(chainCorrelation(n / b, 1 / decimatedCoupling(1 / T, b), 1), 13);
      }
      expect(decimatedChainCorrelation('infinite', T, 3)).toBeCloseTo(Math.tanh(1 / T) ** 3, 15);
    }
    expect(() => decimatedChainCorrelation(10, 1, 3)).toThrow(/not divisible by b = 3/);
  });
});

describe('effectiveTemperatureFromEnergy', () => {
  it.each(['infinite' as const, 4, 8, 32])('inverts the exact energy, L = %s', (L) => {
    for (const T of [0.5, 0.8, 1, 1.5, 2, TC, 2.3, 2.5, 3, 5, 10, 100, 900]) {
      const back = effectiveTemperatureFromEnergy(exactEnergy2D(L, T), L);
      expect(Math.abs(back - T) / T).toBeLessThan(1e-9);
    }
  });

  it('works with J', () => {
    expect(effectiveTemperatureFromEnergy(onsagerEnergy(3, 2), 'infinite', 2)).toBeCloseTo(3, 10);
  });

  it('is NaN outside the achievable range', () => {
    expect(effectiveTemperatureFromEnergy(-2.1, 'infinite')).toBeNaN();
    expect(effectiveTemperatureFromEnergy(0.01, 8)).toBeNaN();
    expect(effectiveTemperatureFromEnergy(-1e-4, 'infinite')).toBeNaN(); // needs T > 1000
    expect(effectiveTemperatureFromEnergy(NaN, 8)).toBeNaN();
    // e = -2 is u(0.05) to double precision: the lower end of the range.
    expect(effectiveTemperatureFromEnergy(-2, 'infinite')).toBe(0.05);
  });
});
