/**
 * Complete elliptic integrals of the first and second kind, by the arithmetic-geometric mean.
 *
 * Modulus convention: K(k) = ∫_0^{π/2} dθ / sqrt(1 - k² sin² θ), E(k) = ∫_0^{π/2} sqrt(1 - k² sin² θ) dθ,
 * i.e. the parameter is m = k². The complementary modulus is k' = sqrt(1 - k²).
 *
 * AGM: a_0 = 1, b_0 = k', c_0 = k; a_{n+1} = (a_n + b_n)/2, b_{n+1} = sqrt(a_n b_n),
 * c_{n+1} = (a_n - b_n)/2 = c_n² / (4 a_{n+1}) (the second form has no cancellation). Then
 * K = π / (2 a_∞) and E = K (1 - Σ_{n≥0} 2^{n-1} c_n²) (near k = 1 by Legendre's relation instead, see
 * below). Convergence is quadratic: a handful of steps reach full double precision, even for k' ~ 1e-300.
 *
 * Near k = 1 the modulus itself cannot carry k' accurately (1 - k² loses digits), so callers that know
 * k' directly (e.g. Onsager's κ' = 2 tanh²(2K) - 1 near Tc) should use `ellipticKEComplementary(k')`.
 *
 * Pure functions, no imports.
 */

export interface EllipticKE {
  /** Complete elliptic integral of the first kind. */
  K: number;
  /** Complete elliptic integral of the second kind. */
  E: number;
}

const MAX_ITERATIONS = 64;

/**
 * The AGM of 1 and b0 = k', with m0 = k² = 1 - b0² given separately (each caller knows the more accurate one):
 * returns K = π / (2 AGM) and S = Σ_{n≥0} 2^{n-1} c_n², so that E = K (1 - S).
 */
function agm(b0: number, m0: number): { K: number; S: number } {
  let a = 1;
  let b = b0;
  let c = Math.sqrt(m0);
  let S = m0 / 2; // 2^{-1} c_0²
  let weight = 1; // 2^{n-1} for n = 1
  for (let n = 0; n < MAX_ITERATIONS; n++) {
    // Quadratic convergence: once |a - b| <= 1e-15 a, one more mean is exact to rounding, and the next
    // c² term is below 1e-30.
    if (Math.abs(a - b) <= 1e-15 * a) break;
    const aNext = (a + b) / 2;
    const bNext = Math.sqrt(a * b);
    c = (c * c) / (4 * aNext);
    S += weight * c * c;
    weight *= 2;
    a = aNext;
    b = bNext;
  }
  return { K: Math.PI / (a + b), S };
}

/**
 * K and E from the complementary modulus k' = sqrt(1 - k²), 0 <= k' <= 1 (k' = 0 is k = 1: K = ∞, E = 1).
 * For k' < 1/2 (k > 0.866) E = K (1 - S) would lose digits (S -> 1 as k -> 1), so E comes from Legendre's
 * relation E K' + E' K - K K' = π/2 instead: E = (π/2 + K (K' - E')) / K', with K' - E' = K' S' from the AGM of
 * the complementary modulus, a sum of positive terms.
 */
export function ellipticKEComplementary(kp: number): EllipticKE {
  if (!(kp >= 0 && kp <= 1)) return { K: NaN, E: NaN };
  if (kp === 0) return { K: Infinity, E: 1 };
  // k² = 1 - k'² = (1 - k')(1 + k'), accurate when k' is near 1 too.
  const m = (1 - kp) * (1 + kp);
  const { K, S } = agm(kp, m);
  if (kp >= 0.5) return { K, E: K * (1 - S) };
  const comp = agm(Math.sqrt(m), kp * kp);
  return { K, E: (Math.PI / 2 + K * comp.K * comp.S) / comp.K };
}

/** K(k) and E(k) together, for modulus |k| <= 1 (NaN outside). K(±1) = Infinity, E(±1) = 1. */
export function ellipticKE(k: number): EllipticKE {
  const ak = Math.abs(k);
  if (!(ak <= 1)) return { K: NaN, E: NaN };
  if (ak === 1) return { K: Infinity, E: 1 };
  return ellipticKEComplementary(Math.sqrt((1 - ak) * (1 + ak)));
}

/** Complete elliptic integral of the first kind K(k), modulus k (parameter m = k²). K(0) = π/2, K(1) = ∞. */
export function ellipticK(k: number): number {
  return ellipticKE(k).K;
}

/** Complete elliptic integral of the second kind E(k), modulus k (parameter m = k²). E(0) = π/2, E(1) = 1. */
export function ellipticE(k: number): number {
  return ellipticKE(k).E;
}
