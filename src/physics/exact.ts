/**
 * Exact results for the Ising model, for overlays and for testing the samplers.
 *
 * Conventions: H = -J Σ_<ij> s_i s_j - h Σ_i s_i, k_B = 1, K = J/T, periodic boundaries, energies and specific
 * heats per spin. 2D: the square lattice, N = L² spins, 2N bonds. 1D: a ring of N spins, N bonds.
 * References: Onsager 1944, Yang 1952, Kaufman 1949, Ferdinand & Fisher 1969 (see /shared/PHYSICS.md).
 *
 * Pure functions on numbers; the only import is the elliptic integrals.
 */
import { ellipticKEComplementary } from './elliptic';

/** Critical temperature of the square lattice, 2 / ln(1 + √2) = 2.269185314213022 (J = 1). */
export const TC = 2 / Math.log(1 + Math.SQRT2);
/** Critical coupling K_c = J / T_c = ln(1 + √2) / 2 = 0.440686793509771. */
export const KC = Math.log(1 + Math.SQRT2) / 2;

function coupling(where: string, T: number, J: number): number {
  if (!(T > 0) || !Number.isFinite(T)) throw new RangeError(`${where}: T must be a positive finite number, got ${T}`);
  if (!(J > 0) || !Number.isFinite(J)) {
    throw new RangeError(`${where}: J must be a positive finite number (ferromagnet), got ${J}`);
  }
  return J / T;
}

// ---------------------------------------------------------------------------------------------------------------
// Infinite square lattice: Onsager, Yang
// ---------------------------------------------------------------------------------------------------------------

/**
 * Onsager's elliptic-integral ingredients at coupling K: the signed complementary modulus
 * κ'' = 2 tanh²(2K) - 1 (zero at Tc, negative above), and K1, E1 of modulus κ = 2 sinh 2K / cosh² 2K,
 * evaluated from |κ''| = sqrt(1 - κ²) so that they stay accurate near Tc.
 */
function onsagerParts(K: number): { t2: number; kpp: number; K1: number; E1: number } {
  const th = Math.tanh(2 * K);
  const t2 = th * th;
  const kpp = 2 * t2 - 1;
  const { K: K1, E: E1 } = ellipticKEComplementary(Math.min(1, Math.abs(kpp)));
  return { t2, kpp, K1, E1 };
}

/**
 * Energy per spin of the infinite square lattice (Onsager):
 * u = -J coth(2K) [1 + (2/π)(2 tanh²(2K) - 1) K1(κ)]. At Tc the product (2 tanh² - 1) K1 is 0 · ∞ → 0,
 * so u(Tc) = -√2 J.
 */
export function onsagerEnergy(T: number, J = 1): number {
  const K = coupling('onsagerEnergy', T, J);
  const { kpp, K1 } = onsagerParts(K);
  const term = kpp === 0 ? 0 : (2 / Math.PI) * kpp * K1;
  return (-J * (1 + term)) / Math.tanh(2 * K);
}

/**
 * Specific heat per spin of the infinite square lattice (Onsager), c = du/dT:
 * c = (4/π)(K coth 2K)² {K1 - E1 - (1 - tanh² 2K)[π/2 + (2 tanh² 2K - 1) K1]} (PHYSICS.md; the tests check it
 * against a numerical derivative of u). Diverges logarithmically at Tc: at Tc it returns Infinity, where "at Tc"
 * means K within 2 ulp of K_c (the double TC gives K = 1/TC, one ulp off K_c, where the formula would say 17.6).
 */
export function onsagerSpecificHeat(T: number, J = 1): number {
  const K = coupling('onsagerSpecificHeat', T, J);
  if (Math.abs(K - KC) <= 2 * Number.EPSILON * KC) return Infinity;
  const { t2, kpp, K1, E1 } = onsagerParts(K);
  if (!Number.isFinite(K1)) return Infinity;
  const kc = K / Math.tanh(2 * K);
  return (4 / Math.PI) * kc * kc * (K1 - E1 - (1 - t2) * (Math.PI / 2 + kpp * K1));
}

/** Spontaneous magnetisation per spin (Yang): m = (1 - sinh(2K)^-4)^(1/8) for T < Tc, else 0. */
export function yangMagnetization(T: number, J = 1): number {
  const K = coupling('yangMagnetization', T, J);
  if (K <= KC) return 0;
  const s = Math.sinh(2 * K);
  const x = 1 - 1 / (s * s * s * s);
  return x > 0 ? Math.pow(x, 1 / 8) : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Finite periodic L x L lattice: Kaufman 1949, Ferdinand & Fisher 1969
// ---------------------------------------------------------------------------------------------------------------

/** ln Z of the periodic L x L lattice and its first two derivatives with respect to K. */
export interface KaufmanDerivatives {
  logZ: number;
  /** d ln Z / dK = -<E>/J = <Σ s_i s_j>. */
  dlogZ: number;
  /** d² ln Z / dK² = Var(Σ s_i s_j). */
  d2logZ: number;
}

/**
 * Z = ½ (2 sinh 2K)^(N/2) (Z1 + Z2 + Z3 + Z4), with
 * Z1 = Π_{r=0}^{L-1} 2 cosh(L γ_{2r+1}/2), Z2 = Π 2 sinh(L γ_{2r+1}/2), Z3 = Π 2 cosh(L γ_{2r}/2),
 * Z4 = Π 2 sinh(L γ_{2r}/2); cosh γ_l = cosh 2K coth 2K - cos(π l/L) (l >= 1, γ_l > 0) and
 * γ_0 = 2K + ln tanh K, signed. γ_0 is NEGATIVE ABOVE Tc (K < Kc) and positive below: at low T all four
 * Z_i tend to e^{NK} and Z -> 2 e^{2NK}, the two ground states (PHYSICS.md's parenthesis has the side
 * wrong; the enumeration tests settle it). So only Z4 can be negative (it has the sign of γ_0), |Z4| <= Z3.
 *
 * Everything is computed in the log domain with ANALYTIC derivatives (no finite differences).
 * Z1, Z2, Z3 and Z4 without its l = 0 factor ("rest") are products of positive factors: for each we sum
 * ln|Z_i|, a_i = (ln Z_i)' and b_i = (ln Z_i)'' factor by factor ((ln 2cosh x)' = x' tanh x,
 * (ln 2cosh x)'' = x'' tanh x + x'² sech² x; (ln 2sinh x)' = x' coth x, (ln 2sinh x)'' = x'' coth x - x'² csch² x,
 * x = L γ/2). The l = 0 factor of Z4, 2 sinh(L γ_0 / 2), may vanish (γ_0 = 0 at Tc) or change sign, so it is
 * kept as a plain value and its derivatives, relative to 2cosh(L γ_0/2). Then, with weights
 * W_i = |Z_i| / max, S0 = Σ W_i p_i (p_i the signs; Z4's is tanh(x_0)):
 * (ln ΣZ)' = m1 = S1/S0 and (ln ΣZ)'' = Σ W_i p_i [b_i + (a_i - m1)²] / S0, the centred form, which avoids the
 * N²-sized cancellation of S2/S0 - m1².
 * γ_l' and γ_l'' come from differentiating cosh γ_l = sinh 2K + 1/sinh 2K - cos(π l/L) (cosh² = 1 + sinh²):
 * sinh γ · γ' = g(K) = 2 cosh 2K (1 - 1/s²), and cosh γ · γ'² + sinh γ · γ'' = g'(K), s = sinh 2K.
 * γ_0' = 2 + 2/sinh 2K, γ_0'' = -4 cosh 2K / sinh² 2K.
 * Accuracy: ~1e-15 relative in ln Z and u for T up to a few J; at high T, N coth 2K and m1 cancel down to
 * -<E>/J, so u has a relative error of about 1e-16 / K² (1e-10 at T = 1000 J).
 */
export function kaufmanDerivatives(L: number, K: number): KaufmanDerivatives {
  if (!Number.isInteger(L) || L < 2) throw new RangeError(`kaufman: L must be an integer >= 2, got ${L}`);
  if (!(K > 0) || !Number.isFinite(K)) throw new RangeError(`kaufman: K = J/T must be positive and finite, got ${K}`);
  const N = L * L;
  if (K > 20) {
    // Deep in the ordered phase (T < J/20): Z = 2 e^{2NK} (1 + N e^{-8K} + 2N e^{-12K} + ...): the next terms are
    // e^{-4K} < 2e-35 relative to the kept ones. (The general formula would overflow sinh 2K past K ~ 177, and
    // its c is a cancellation of two e^{-4K}-sized terms here.)
    const x = N * Math.exp(-8 * K);
    return { logZ: Math.LN2 + 2 * N * K + Math.log1p(x), dlogZ: 2 * N - 8 * x, d2logZ: 64 * x };
  }
  const s = Math.sinh(2 * K);
  const ch = Math.cosh(2 * K);
  // cosh γ_l - 1 = (1 - s)²/s + 2 sin²(π l / 2L): written without cancellation near γ_l = 0.
  const base = (1 - s) * ((1 - s) / s);
  const g = 2 * ch * (1 - 1 / (s * s));
  const gp = 4 * s - 4 / s + (8 * ch * ch) / (s * s * s);
  const half = L / 2;

  // Index 0: Z1 (cosh, odd l); 1: Z2 (sinh, odd l); 2: Z3 (cosh, even l); 3: Z4 without l = 0 (sinh, even l >= 2).
  const lnA = [0, 0, 0, 0];
  const a = [0, 0, 0, 0];
  const b = [0, 0, 0, 0];
  // γ_l = γ_{2L-l}, of the same parity: sum l = 1..L-1 twice, l = L once.
  for (let l = 1; l <= L; l++) {
    const weight = l < L ? 2 : 1;
    const sh = Math.sin((Math.PI * l) / (2 * L));
    const d = base + 2 * sh * sh; // cosh γ - 1 > 0
    const sinhG = Math.sqrt(d * (d + 2));
    const gamma = Math.log1p(d + sinhG);
    const g1 = g / sinhG;
    const g2 = (gp - (1 + d) * g1 * g1) / sinhG;
    const x = half * gamma;
    const x1 = half * g1;
    const x2 = half * g2;
    // Hyperbolic functions of x > 0 from q = e^{-2x} and 1 - q, without overflow or cancellation.
    const q = Math.exp(-2 * x);
    const omq = -Math.expm1(-2 * x);
    const th = omq / (1 + q);
    const coth = (1 + q) / omq;
    const sech2 = (4 * q) / ((1 + q) * (1 + q));
    const csch2 = (4 * q) / (omq * omq);
    const c = l % 2 === 1 ? 0 : 2; // the cosh product; c + 1 is the sinh product
    lnA[c] += weight * (x + Math.log1p(q));
    a[c] += weight * x1 * th;
    b[c] += weight * (x2 * th + x1 * x1 * sech2);
    lnA[c + 1] += weight * (x + Math.log(omq));
    a[c + 1] += weight * x1 * coth;
    b[c + 1] += weight * (x2 * coth - x1 * x1 * csch2);
  }
  // l = 0: the signed γ_0, as a factor of Z3 (2cosh) and of Z4 (2sinh, relative to 2cosh).
  const gamma0 = 2 * K + Math.log(Math.tanh(K));
  const x0 = half * gamma0;
  const x01 = half * (2 + 2 / s);
  const x02 = half * ((-4 * ch) / (s * s));
  const th0 = Math.tanh(x0);
  const ln2cosh0 = Math.abs(x0) + Math.log1p(Math.exp(-2 * Math.abs(x0)));
  lnA[2] += ln2cosh0;
  a[2] += x01 * th0;
  b[2] += x02 * th0 + x01 * x01 * (1 - th0 * th0);
  lnA[3] += ln2cosh0;
  // Z4 / (C4) = p0, with C4 = 2cosh x0 · |rest|; q0, r0: first and second derivative of 2 sinh x0 over 2cosh x0.
  const p0 = th0;
  const q0 = x01;
  const r0 = x02 + x01 * x01 * th0;

  const M = Math.max(...lnA);
  const W = lnA.map((v) => Math.exp(v - M));
  const S0 = W[0] + W[1] + W[2] + W[3] * p0;
  const S1 = W[0] * a[0] + W[1] * a[1] + W[2] * a[2] + W[3] * (q0 + p0 * a[3]);
  const m1 = S1 / S0;
  let D = 0;
  for (let i = 0; i < 3; i++) D += W[i] * (b[i] + (a[i] - m1) ** 2);
  const aR = a[3] - m1;
  D += W[3] * (r0 + 2 * q0 * aR + p0 * (b[3] + aR * aR));
  // ln(2 sinh 2K): directly while sinh is finite and accurate, else without overflow.
  const ln2sinh2K = K < 10 ? Math.log(2 * s) : 2 * K + Math.log1p(-Math.exp(-4 * K));
  return {
    logZ: -Math.LN2 + (N / 2) * ln2sinh2K + M + Math.log(S0),
    dlogZ: N / Math.tanh(2 * K) + m1,
    // A variance: >= 0. Deep in the ordered phase the two terms cancel to ~e^{-8K}, below their rounding.
    d2logZ: Math.max(0, (-2 * N) / (s * s) + D / S0),
  };
}

function kaufmanCoupling(where: string, L: number, T: number, J: number): number {
  if (!Number.isInteger(L) || L < 2) throw new RangeError(`${where}: L must be an integer >= 2, got ${L}`);
  return coupling(where, T, J);
}

/** ln Z, energy per spin and specific heat per spin of the periodic L x L lattice, from one evaluation. */
export function kaufmanExact(L: number, T: number, J = 1): { logZ: number; e: number; c: number } {
  const K = kaufmanCoupling('kaufman', L, T, J);
  const d = kaufmanDerivatives(L, K);
  const N = L * L;
  // e is kept >= -2J, the ground state (deep in the ordered phase rounding could put it an ulp below).
  return { logZ: d.logZ, e: Math.max(-2 * J, (-J * d.dlogZ) / N), c: (K * K * d.d2logZ) / N };
}

/** ln Z of the periodic L x L square lattice (Kaufman), exact. */
export function kaufmanLogZ(L: number, T: number, J = 1): number {
  return kaufmanDerivatives(L, kaufmanCoupling('kaufmanLogZ', L, T, J)).logZ;
}

/** Energy per spin <E>/N = -(J/N) d ln Z / dK of the periodic L x L lattice, exact (analytic derivative). */
export function kaufmanEnergy(L: number, T: number, J = 1): number {
  return kaufmanExact(L, T, J).e;
}

/** Specific heat per spin c = (K²/N) d² ln Z / dK² = Var(E) / (N T²) of the periodic L x L lattice, exact. */
export function kaufmanSpecificHeat(L: number, T: number, J = 1): number {
  return kaufmanExact(L, T, J).c;
}

/** The 2D energy per spin for a finite L or the infinite lattice. */
export function exactEnergy2D(L: number | 'infinite', T: number, J = 1): number {
  return L === 'infinite' ? onsagerEnergy(T, J) : kaufmanEnergy(L, T, J);
}

/** The 2D specific heat per spin for a finite L or the infinite lattice. */
export function exactSpecificHeat2D(L: number | 'infinite', T: number, J = 1): number {
  return L === 'infinite' ? onsagerSpecificHeat(T, J) : kaufmanSpecificHeat(L, T, J);
}

// ---------------------------------------------------------------------------------------------------------------
// Brute-force enumeration of small lattices
// ---------------------------------------------------------------------------------------------------------------

/** Per-spin averages from exact enumeration. */
export interface EnumerationResult {
  /** <E>/N, E = -J Σ s_i s_j - h Σ s_i. */
  e: number;
  /** <(E/N)²>. */
  e2: number;
  /** <|M|>/N. */
  absm: number;
  /** <(M/N)²>. */
  m2: number;
  /** <(M/N)⁴>. */
  m4: number;
  /** N (<e²> - <e>²) / T². */
  c: number;
  /** N (<m²> - <|m|>²) / T. */
  chi: number;
}

export const MAX_ENUMERATION_L = 5;

const densityCache = new Map<number, Float64Array>();

/**
 * The joint density of states of the periodic L x L lattice: counts[(B + 2N) * (2N + 1) + (M + N)] is the
 * number of states with bond sum B = Σ_<ij> s_i s_j and magnetisation M = Σ s_i. Built once per L by a Gray-code
 * walk over all 2^N states (one spin flip per step, B and M updated incrementally) and cached (this returns a
 * copy).
 */
export function isingDensityOfStates2D(L: number): Float64Array {
  return densityOfStates(L).slice();
}

function densityOfStates(L: number): Float64Array {
  if (!Number.isInteger(L) || L < 2 || L > MAX_ENUMERATION_L) {
    throw new Error(
      `enumerateIsing2D: L must be an integer in 2..${MAX_ENUMERATION_L} (2^(L*L) states; L = 6 would be 2^36), got ${L}`,
    );
  }
  const cached = densityCache.get(L);
  if (cached) return cached;
  const N = L * L;
  const stride = 2 * N + 1;
  const counts = new Float64Array((4 * N + 1) * stride);
  const nbr = new Int32Array(4 * N);
  for (let y = 0; y < L; y++) {
    for (let x = 0; x < L; x++) {
      const i = y * L + x;
      nbr[4 * i] = y * L + ((x + 1) % L);
      nbr[4 * i + 1] = y * L + ((x + L - 1) % L);
      nbr[4 * i + 2] = ((y + 1) % L) * L + x;
      nbr[4 * i + 3] = ((y + L - 1) % L) * L + x;
    }
  }
  const s = new Int8Array(N).fill(1);
  let B = 2 * N;
  let M = N;
  counts[(B + 2 * N) * stride + (M + N)] += 1;
  const total = 2 ** N;
  for (let k = 1; k < total; k++) {
    const i = 31 - Math.clz32(k & -k); // the bit that changes in the Gray code
    const si = s[i];
    const j = 4 * i;
    B -= 2 * si * (s[nbr[j]] + s[nbr[j + 1]] + s[nbr[j + 2]] + s[nbr[j + 3]]);
    M -= 2 * si;
    s[i] = -si;
    counts[(B + 2 * N) * stride + (M + N)] += 1;
  }
  densityCache.set(L, counts);
  return counts;
}

/**
 * Exact canonical averages of the periodic L x L lattice by enumerating all 2^(L·L) states (L <= 5; L = 4
 * takes a few ms, L = 5 some 0.1 s the first time, then the density of states is cached). Any real J and h.
 */
export function enumerateIsing2D(L: number, T: number, J = 1, h = 0): EnumerationResult {
  const counts = densityOfStates(L);
  if (!(T > 0) || !Number.isFinite(T)) throw new RangeError(`enumerateIsing2D: T must be positive, got ${T}`);
  if (!Number.isFinite(J) || !Number.isFinite(h)) throw new RangeError('enumerateIsing2D: J and h must be finite');
  const N = L * L;
  const stride = 2 * N + 1;
  // ln weight = -E/T = (J B + h M) / T; shift by the largest so that nothing overflows.
  let shift = -Infinity;
  for (let idx = 0; idx < counts.length; idx++) {
    if (counts[idx] === 0) continue;
    const B = Math.floor(idx / stride) - 2 * N;
    const M = (idx % stride) - N;
    shift = Math.max(shift, (J * B + h * M) / T);
  }
  const states: { w: number; e: number; m: number }[] = [];
  let Z = 0;
  for (let idx = 0; idx < counts.length; idx++) {
    if (counts[idx] === 0) continue;
    const B = Math.floor(idx / stride) - 2 * N;
    const M = (idx % stride) - N;
    const w = counts[idx] * Math.exp((J * B + h * M) / T - shift);
    Z += w;
    states.push({ w, e: (-J * B - h * M) / N, m: M / N });
  }
  let e = 0;
  let e2 = 0;
  let absm = 0;
  let m2 = 0;
  let m4 = 0;
  for (const st of states) {
    const p = st.w / Z;
    e += p * st.e;
    e2 += p * st.e * st.e;
    absm += p * Math.abs(st.m);
    m2 += p * st.m * st.m;
    m4 += p * st.m ** 4;
  }
  // Variances by a second pass (no cancellation of <x²> - <x>²).
  let varE = 0;
  let varAbsM = 0;
  for (const st of states) {
    const p = st.w / Z;
    varE += p * (st.e - e) ** 2;
    varAbsM += p * (Math.abs(st.m) - absm) ** 2;
  }
  return { e, e2, absm, m2, m4, c: (N * varE) / (T * T), chi: (N * varAbsM) / T };
}

// ---------------------------------------------------------------------------------------------------------------
// 1D periodic chain
// ---------------------------------------------------------------------------------------------------------------

function chainT(where: string, T: number, J: number): number {
  if (!(T > 0) || !Number.isFinite(T)) throw new RangeError(`${where}: T must be a positive finite number, got ${T}`);
  if (!Number.isFinite(J)) throw new RangeError(`${where}: J must be finite, got ${J}`);
  return Math.tanh(J / T);
}

function checkN(where: string, N: number): void {
  if (!Number.isInteger(N) || N < 1) throw new RangeError(`${where}: N must be a positive integer, got ${N}`);
}

/** <s_i s_{i+r}> on a periodic chain of N spins: (t^r + t^(N-r)) / (1 + t^N), t = tanh(J/T), 0 <= r <= N. */
export function chainCorrelation(N: number, T: number, r: number, J = 1): number {
  checkN('chainCorrelation', N);
  if (!Number.isInteger(r) || r < 0 || r > N) {
    throw new RangeError(`chainCorrelation: r must be an integer in 0..N = ${N}, got ${r}`);
  }
  const t = chainT('chainCorrelation', T, J);
  return (t ** r + t ** (N - r)) / (1 + t ** N);
}

/** Energy per spin of a periodic chain of N spins: -J (t + t^(N-1)) / (1 + t^N). */
export function chainEnergy(N: number, T: number, J = 1): number {
  checkN('chainEnergy', N);
  const t = chainT('chainEnergy', T, J);
  return (-J * (t + t ** (N - 1))) / (1 + t ** N);
}

/**
 * Specific heat per spin of a periodic chain of N spins, c = K² (1 - t²) f'(t) with f = (t + t^(N-1))/(1 + t^N):
 * f'(t) = [(1 - t^(2N-2)) + (N - 1) t^(N-2) (1 - t²)] / (1 + t^N)², from ln Z = N ln 2cosh K + ln(1 + t^N).
 */
export function chainSpecificHeat(N: number, T: number, J = 1): number {
  checkN('chainSpecificHeat', N);
  const t = chainT('chainSpecificHeat', T, J);
  if (N === 1) return 0; // a single spin bonded to itself: E = -J always
  const K = J / T;
  const sech2 = 1 / Math.cosh(K) ** 2; // 1 - t², without cancellation at low T
  const tN = t ** N;
  const numerator = 1 - t ** (2 * N - 2) + (N - 1) * t ** (N - 2) * sech2;
  return (K * K * sech2 * numerator) / ((1 + tN) * (1 + tN));
}

/** <s_i s_{i+r}> on the infinite chain: t^r. */
export function chainCorrelationInfinite(T: number, r: number, J = 1): number {
  if (!Number.isInteger(r) || r < 0) throw new RangeError(`chainCorrelationInfinite: r must be an integer >= 0`);
  return chainT('chainCorrelationInfinite', T, J) ** r;
}

/** Energy per spin of the infinite chain: -J t. */
export function chainEnergyInfinite(T: number, J = 1): number {
  return -J * chainT('chainEnergyInfinite', T, J);
}

/** Specific heat per spin of the infinite chain: K² sech² K. */
export function chainSpecificHeatInfinite(T: number, J = 1): number {
  chainT('chainSpecificHeatInfinite', T, J);
  const K = J / T;
  return (K / Math.cosh(K)) ** 2;
}

/**
 * Nearest-neighbour correlation of the chain after decimation by b (keep every b-th spin): the chain of N/b sites
 * at tanh K' = tanh^b K, i.e. (t' + t'^(N/b - 1)) / (1 + t'^(N/b)) with t' = t^b, which equals the original
 * chain's <s_i s_{i+b}>. Infinite chain: t^b. N must be divisible by b.
 */
export function decimatedChainCorrelation(N: number | 'infinite', T: number, b: number, J = 1): number {
  if (!Number.isInteger(b) || b < 1) throw new RangeError(`decimatedChainCorrelation: b must be a positive integer`);
  const t = chainT('decimatedChainCorrelation', T, J);
  const tb = t ** b;
  if (N === 'infinite') return tb;
  checkN('decimatedChainCorrelation', N);
  if (N % b !== 0) throw new RangeError(`decimatedChainCorrelation: N = ${N} is not divisible by b = ${b}`);
  const n = N / b;
  return (tb + tb ** (n - 1)) / (1 + tb ** n);
}

/**
 * The coupling after decimating a chain by b (keep every b-th spin, trace out the rest):
 * tanh K' = tanh^b K, so K' = atanh(tanh^b K). Computed through 1 - tanh K = 2/(e^{2K} + 1) so that large K
 * keeps its digits (K' ≈ K - ½ ln b for K >> 1). K < 0 needs an integer b (tanh^b K changes sign for odd b).
 */
export function decimatedCoupling(K: number, b: number): number {
  if (!(b > 0) || !Number.isFinite(b)) throw new RangeError(`decimatedCoupling: b must be positive, got ${b}`);
  if (Number.isNaN(K)) return NaN;
  if (K < 0) {
    if (!Number.isInteger(b)) throw new RangeError('decimatedCoupling: a negative K needs an integer b');
    const k = decimatedCoupling(-K, b);
    return b % 2 === 0 ? k : -k;
  }
  if (K === 0) return 0;
  if (K === Infinity) return Infinity;
  const u = 2 / (Math.exp(2 * K) + 1); // 1 - tanh K
  const lnt = Math.log1p(-u);
  const oneMinus = -Math.expm1(b * lnt); // 1 - t^b
  if (oneMinus === 0) return Infinity;
  return 0.5 * Math.log((2 - oneMinus) / oneMinus);
}

/** The inverse of `decimatedCoupling`: the K that decimation by b maps to K' (K, K' >= 0): tanh K = tanh^(1/b) K'. */
export function undecimatedCoupling(Kp: number, b: number): number {
  if (!(b > 0) || !Number.isFinite(b)) throw new RangeError(`undecimatedCoupling: b must be positive, got ${b}`);
  if (!(Kp >= 0)) throw new RangeError(`undecimatedCoupling: K' must be >= 0, got ${Kp}`);
  return decimatedCoupling(Kp, 1 / b);
}

// ---------------------------------------------------------------------------------------------------------------
// Inverse problem: the temperature whose exact energy is e
// ---------------------------------------------------------------------------------------------------------------

export const EFFECTIVE_T_MIN = 0.05;
export const EFFECTIVE_T_MAX = 1000;

/**
 * The temperature T in [0.05, 1000] at which the exact 2D energy per spin (periodic L x L, or infinite) equals e,
 * by bisection in ln T (the energy increases monotonically with T: du/dT = c >= 0). NaN when e lies outside
 * [u(0.05), u(1000)] (e.g. e = -2 maps to T = 0.05 only because u(0.05) rounds to -2). A proxy for "the
 * temperature of block spins" (PHYSICS.md): invert at the block lattice's nearest-neighbour energy.
 */
export function effectiveTemperatureFromEnergy(e: number, L: number | 'infinite', J = 1): number {
  if (!Number.isFinite(e)) return NaN;
  const u = (T: number) => exactEnergy2D(L, T, J);
  let lo = EFFECTIVE_T_MIN;
  let hi = EFFECTIVE_T_MAX;
  const uLo = u(lo);
  const uHi = u(hi);
  if (e < uLo || e > uHi) return NaN;
  if (e === uLo) return lo;
  if (e === uHi) return hi;
  for (let iter = 0; iter < 200 && hi - lo > 1e-15 * hi; iter++) {
    const mid = Math.sqrt(lo * hi);
    if (mid <= lo || mid >= hi) break;
    if (u(mid) < e) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
