import { describe, expect, it } from 'vitest';
import { ellipticE, ellipticK, ellipticKE, ellipticKEComplementary } from '../../src/physics/elliptic';

/**
 * K and E by quadrature. The integrands are even, π-periodic and analytic in θ for |k| < 1, so the trapezoid
 * rule over a full period converges exponentially: ∫_0^{π/2} f = ½ ∫_0^π f = (π / 2n) Σ_{j<n} f(π j / n).
 */
function quadrature(k: number, n = 512): { K: number; E: number } {
  // Kahan-compensated sums, so that the rounding of n terms does not hide a 1e-15 error.
  const sum = (f: (j: number) => number) => {
    let total = 0;
    let carry = 0;
    for (let j = 0; j < n; j++) {
      const y = f(j) - carry;
      const t = total + y;
      carry = t - total - y;
      total = t;
    }
    return (Math.PI / (2 * n)) * total;
  };
  const w = (j: number) => Math.sqrt(1 - k * k * Math.sin((Math.PI * j) / n) ** 2);
  return { K: sum((j) => 1 / w(j)), E: sum(w) };
}

describe('complete elliptic integrals (AGM)', () => {
  it('has the known special values', () => {
    expect(ellipticK(0)).toBe(Math.PI / 2);
    expect(ellipticE(0)).toBe(Math.PI / 2);
    expect(ellipticE(1)).toBe(1);
    expect(ellipticK(1)).toBe(Infinity);
    expect(ellipticK(Math.SQRT1_2)).toBeCloseTo(1.854074677301372, 15);
    expect(ellipticE(Math.SQRT1_2)).toBeCloseTo(1.350643881047675, 15);
    // Modulus 1/2 (parameter 1/4), from tables.
    expect(ellipticK(0.5)).toBeCloseTo(1.685750354812596, 15);
    expect(ellipticE(0.5)).toBeCloseTo(1.467462209339427, 15);
  });

  it.each([0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99])('agrees with quadrature at k = %s', (k) => {
    const q = quadrature(k);
    expect(Math.abs(ellipticK(k) - q.K) / q.K).toBeLessThan(2e-15);
    expect(Math.abs(ellipticE(k) - q.E) / q.E).toBeLessThan(2e-15);
  });

  it.each([0.05, 0.2, 0.5, Math.SQRT1_2, 0.8, 0.999, 1 - 1e-9])("satisfies Legendre's relation at k = %s", (k) => {
    // E K' + E' K - K K' = π/2, with K' = K(k'), k' = sqrt(1 - k²).
    const { K, E } = ellipticKE(k);
    const { K: Kp, E: Ep } = ellipticKE(Math.sqrt((1 - k) * (1 + k)));
    expect(E * Kp + Ep * K - K * Kp).toBeCloseTo(Math.PI / 2, 13);
  });

  it('depends on k only through k², and is NaN outside |k| <= 1', () => {
    expect(ellipticK(-0.6)).toBe(ellipticK(0.6));
    expect(ellipticE(-0.6)).toBe(ellipticE(0.6));
    expect(ellipticK(-1)).toBe(Infinity);
    expect(ellipticK(1.0001)).toBeNaN();
    expect(ellipticE(-2)).toBeNaN();
    expect(ellipticK(NaN)).toBeNaN();
    expect(ellipticKEComplementary(-0.1).K).toBeNaN();
    expect(ellipticKEComplementary(1)).toEqual({ K: Math.PI / 2, E: Math.PI / 2 });
  });

  it('handles k -> 1 through the complementary modulus', () => {
    for (const kp of [1e-4, 1e-8, 1e-12, 1e-100, 1e-300]) {
      const { K, E } = ellipticKEComplementary(kp);
      // K = ln(4/k') + (k'²/4)(ln(4/k') - 1) + O(k'^4 ln k'), E = 1 + (k'²/2)(ln(4/k') - 1/2) + ...
      const l = Math.log(4 / kp);
      expect(Math.abs(K - (l + ((kp * kp) / 4) * (l - 1))) / K).toBeLessThan(1e-15);
      expect(E).toBeCloseTo(1 + ((kp * kp) / 2) * (l - 0.5), 14);
    }
    expect(ellipticKEComplementary(0)).toEqual({ K: Infinity, E: 1 });
    // The two entry points agree where both are accurate.
    for (const k of [0.2, 0.6, 0.9]) {
      const kp = Math.sqrt(1 - k * k);
      expect(ellipticKEComplementary(kp).K).toBeCloseTo(ellipticK(k), 14);
      expect(ellipticKEComplementary(kp).E).toBeCloseTo(ellipticE(k), 14);
    }
  });

  it('is monotonic in k: K increases and E decreases', () => {
    let K = ellipticK(0);
    let E = ellipticE(0);
    for (let i = 1; i < 100; i++) {
      const k = i / 100;
      expect(ellipticK(k)).toBeGreaterThan(K);
      expect(ellipticE(k)).toBeLessThan(E);
      K = ellipticK(k);
      E = ellipticE(k);
    }
  });
});
