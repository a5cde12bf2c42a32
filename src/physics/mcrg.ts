/**
 * Monte Carlo renormalisation group (Swendsen, PRL 42, 859 (1979)): the thermal and magnetic exponents of
 * the 2D Ising model from the correlations of block-spin operators at successive blocking levels.
 *
 * With the Hamiltonian of level n written as H^(n) = sum_a K_a^(n) S_a^(n) (S_a lattice sums), the chain
 * rule gives A = B T with
 *   A_ab = <S_a^(n) S_b^(n-1)> - <S_a^(n)><S_b^(n-1)>,   B_ac = <S_a^(n) S_c^(n)> - <S_a^(n)><S_c^(n)>,
 * and T_cb = dK_c^(n) / dK_b^(n-1) the linearised RG; so T = B^-1 A. The largest eigenvalue lambda of T in
 * the even sector gives y_T = ln lambda / ln b, in the odd sector y_H. Level n (1..levels) is the estimate
 * from the step n - 1 -> n (level 0 is the input lattice). The operators must be the lattice sums, not
 * per-site averages: a per-site normalisation would rescale T by b^d.
 *
 * Operators (square lattice, periodic, each term counted once):
 *   even: nearest-neighbour pairs (1,0)+(0,1); next-nearest pairs (1,1)+(1,-1); third-neighbour pairs
 *         (2,0)+(0,2); the 4-spin plaquette product;
 *   odd:  the magnetisation sum s_i; the 3-spin plaquette sum: over every 2 x 2 plaquette, the sum of its
 *         four 3-spin products, which is P (s1 + s2 + s3 + s4) with P the plaquette's 4-spin product.
 * The two sectors do not mix (T is block diagonal by spin-flip symmetry), so each is solved on its own.
 *
 * Errors: a jackknife over `bins` consecutive bins of the (Markov-chain ordered) samples; each
 * leave-one-bin-out estimate recomputes the covariances, T and its eigenvalue.
 *
 * Pure functions on typed arrays; nothing of the app is imported here.
 */
import type { SpinsValue, TableValue } from '../graph/values';
import { blockSpins, type BlockRule, type TieBreak } from './blockspin';
import { groupByTemperature, spinsGeometry } from './observables';
import { Rng } from './rng';

export const EVEN_OPERATORS = ['nn', 'nnn', '3rd', 'plaquette'] as const;
export const ODD_OPERATORS = ['m', '3-spin'] as const;
/** Operators per level: the even ones, then the odd ones. */
export const OPERATOR_COUNT = EVEN_OPERATORS.length + ODD_OPERATORS.length;
export const MCRG_COLUMNS = ['T', 'level', 'y_T', 'y_T_err', 'y_H', 'y_H_err'] as const;

/**
 * Writes the OPERATOR_COUNT operator sums of the l x l sample starting at `offset` into out[at..]:
 * nn, nnn, 3rd, plaquette, m, 3-spin (see the module comment).
 */
export function operatorSums(data: Int8Array, offset: number, l: number, out: Float64Array, at = 0): void {
  let nn = 0;
  let nnn = 0;
  let third = 0;
  let plaq = 0;
  let m = 0;
  let three = 0;
  for (let y = 0; y < l; y++) {
    const row = offset + y * l;
    const row1 = offset + ((y + 1) % l) * l;
    const row2 = offset + ((y + 2) % l) * l;
    const rowm = offset + ((y + l - 1) % l) * l;
    for (let x = 0; x < l; x++) {
      const x1 = (x + 1) % l;
      const x2 = (x + 2) % l;
      const s = data[row + x];
      const right = data[row + x1];
      const down = data[row1 + x];
      const diag = data[row1 + x1];
      m += s;
      nn += s * (right + down);
      nnn += s * (diag + data[rowm + x1]);
      third += s * (data[row + x2] + data[row2 + x]);
      const p = s * right * down * diag;
      plaq += p;
      three += p * (s + right + down + diag);
    }
  }
  out[at] = nn;
  out[at + 1] = nnn;
  out[at + 2] = third;
  out[at + 3] = plaq;
  out[at + 4] = m;
  out[at + 5] = three;
}

export interface McrgSpec {
  b: number;
  levels: number;
  rule: BlockRule;
  tieBreak: TieBreak;
  seed: number;
}

/** Checks that L is divisible by b^levels and that the last lattice can carry the operators. */
export function checkMcrgLattice(L: number, b: number, levels: number): void {
  const factor = b ** levels;
  if (L % factor !== 0) {
    throw new Error(
      `L = ${L} is not divisible by b^levels = ${b}^${levels} = ${factor}; use an L that is a multiple of ${factor} or fewer levels`,
    );
  }
  if (L / factor < 4) {
    throw new Error(
      `the last level has L / b^levels = ${L / factor} sites per side; the operators need at least 4 (use fewer levels or a larger L)`,
    );
  }
}

/** Sites processed between yields (a few milliseconds of work). */
const SITES_PER_STEP = 1 << 19;

/**
 * The working memory of the measurement: the float64 operator values of every sample and level, and
 * the blocked lattices of one chunk of samples (at most about half a chunk's spins, b >= 2).
 */
export function mcrgWorkingBytes(n: number, levels: number): number {
  return 8 * n * (levels + 1) * OPERATOR_COUNT + SITES_PER_STEP;
}

/**
 * Blocks every sample `levels` times and measures the operators at each level, in steps (yields the
 * fraction done). Returns ops with ops[(k * (levels + 1) + level) * OPERATOR_COUNT + a].
 */
export function* operatorSeriesSteps(
  data: Int8Array,
  n: number,
  L: number,
  spec: McrgSpec,
): Generator<number, Float64Array, void> {
  checkMcrgLattice(L, spec.b, spec.levels);
  const { b, levels, rule, tieBreak } = spec;
  const N = L * L;
  const stride = (levels + 1) * OPERATOR_COUNT;
  const ops = new Float64Array(n * stride);
  const rng = new Rng(spec.seed);
  const chunk = Math.max(1, Math.floor(SITES_PER_STEP / N));
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    const count = to - from;
    let level = data.subarray(from * N, to * N);
    let l = L;
    for (let n1 = 0; n1 <= levels; n1++) {
      const size = l * l;
      for (let k = 0; k < count; k++) {
        operatorSums(level, k * size, l, ops, (from + k) * stride + n1 * OPERATOR_COUNT);
      }
      if (n1 < levels) {
        level = blockSpins(level, count, { dim: 2, L: l, b, rule, tieBreak }, rng);
        l /= b;
      }
    }
    if (to < n) yield to / n;
  }
  return ops;
}

/** Solves M X = R for X (M: k x k, R: k x c, row-major), Gaussian elimination with partial pivoting. */
export function solve(M: Float64Array, R: Float64Array, k: number, c: number): Float64Array {
  const a = Float64Array.from(M);
  const x = Float64Array.from(R);
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(a[r * k + col]) > Math.abs(a[piv * k + col])) piv = r;
    if (!(Math.abs(a[piv * k + col]) > 0)) return new Float64Array(k * c).fill(NaN);
    if (piv !== col) {
      for (let j = 0; j < k; j++) [a[col * k + j], a[piv * k + j]] = [a[piv * k + j], a[col * k + j]];
      for (let j = 0; j < c; j++) [x[col * c + j], x[piv * c + j]] = [x[piv * c + j], x[col * c + j]];
    }
    for (let r = col + 1; r < k; r++) {
      const f = a[r * k + col] / a[col * k + col];
      if (f === 0) continue;
      for (let j = col; j < k; j++) a[r * k + j] -= f * a[col * k + j];
      for (let j = 0; j < c; j++) x[r * c + j] -= f * x[col * c + j];
    }
  }
  for (let r = k - 1; r >= 0; r--) {
    for (let j = 0; j < c; j++) {
      let s = x[r * c + j];
      for (let q = r + 1; q < k; q++) s -= a[r * k + q] * x[q * c + j];
      x[r * c + j] = s / a[r * k + r];
    }
  }
  return x;
}

/**
 * All eigenvalues of a real n x n matrix (row-major), as [re, im] pairs: reduction to upper Hessenberg
 * form by Gaussian elimination, then Francis double-shift QR (the EISPACK elmhes/hqr algorithm). Complex
 * eigenvalues come in conjugate pairs. Returns NaNs when the iteration does not converge (30 sweeps per
 * eigenvalue) or the matrix holds a non-finite entry.
 */
export function eigenvalues(matrix: ArrayLike<number>, n: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const a = Float64Array.from(matrix);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) return { re: re.fill(NaN), im: im.fill(NaN) };
  }
  const A = (i: number, j: number) => a[i * n + j];
  const set = (i: number, j: number, v: number) => {
    a[i * n + j] = v;
  };
  // elmhes: similarity transform to Hessenberg form.
  for (let m = 1; m < n - 1; m++) {
    let x = 0;
    let i = m;
    for (let j = m; j < n; j++) {
      if (Math.abs(A(j, m - 1)) > Math.abs(x)) {
        x = A(j, m - 1);
        i = j;
      }
    }
    if (i !== m) {
      for (let j = m - 1; j < n; j++) {
        const t = A(i, j);
        set(i, j, A(m, j));
        set(m, j, t);
      }
      for (let j = 0; j < n; j++) {
        const t = A(j, i);
        set(j, i, A(j, m));
        set(j, m, t);
      }
    }
    if (x !== 0) {
      for (i = m + 1; i < n; i++) {
        let y = A(i, m - 1);
        if (y !== 0) {
          y /= x;
          set(i, m - 1, y);
          for (let j = m; j < n; j++) set(i, j, A(i, j) - y * A(m, j));
          for (let j = 0; j < n; j++) set(j, m, A(j, m) + y * A(j, i));
        }
      }
    }
  }
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) set(i, j, 0);
  // hqr: eigenvalues of the Hessenberg matrix.
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(A(i, j));
  let nn = n - 1;
  let t = 0;
  while (nn >= 0) {
    let its = 0;
    let l: number;
    do {
      for (l = nn; l >= 1; l--) {
        const s = Math.abs(A(l - 1, l - 1)) + Math.abs(A(l, l));
        if (Math.abs(A(l, l - 1)) + (s === 0 ? anorm : s) === (s === 0 ? anorm : s)) {
          set(l, l - 1, 0);
          break;
        }
      }
      const x = A(nn, nn);
      if (l === nn) {
        re[nn] = x + t;
        im[nn--] = 0;
      } else {
        const y = A(nn - 1, nn - 1);
        const w = A(nn, nn - 1) * A(nn - 1, nn);
        if (l === nn - 1) {
          const p = 0.5 * (y - x);
          const q = p * p + w;
          const z = Math.sqrt(Math.abs(q));
          const xx = x + t;
          if (q >= 0) {
            const zz = p + (p >= 0 ? z : -z);
            re[nn - 1] = re[nn] = xx + zz;
            if (zz !== 0) re[nn] = xx - w / zz;
            im[nn - 1] = im[nn] = 0;
          } else {
            re[nn - 1] = re[nn] = xx + p;
            im[nn - 1] = -z;
            im[nn] = z;
          }
          nn -= 2;
        } else {
          if (its === 30) return { re: re.fill(NaN), im: im.fill(NaN) };
          let xs = x;
          let ys = y;
          let ws = w;
          if (its === 10 || its === 20) {
            // exceptional shift
            t += xs;
            for (let i = 0; i <= nn; i++) set(i, i, A(i, i) - xs);
            const s = Math.abs(A(nn, nn - 1)) + Math.abs(A(nn - 1, nn - 2));
            ys = xs = 0.75 * s;
            ws = -0.4375 * s * s;
          }
          ++its;
          let m: number;
          let p = 0;
          let q = 0;
          let r = 0;
          let z: number;
          for (m = nn - 2; m >= l; m--) {
            z = A(m, m);
            r = xs - z;
            const s0 = ys - z;
            p = (r * s0 - ws) / A(m + 1, m) + A(m, m + 1);
            q = A(m + 1, m + 1) - z - r - s0;
            r = A(m + 2, m + 1);
            const s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(A(m, m - 1)) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(A(m - 1, m - 1)) + Math.abs(z) + Math.abs(A(m + 1, m + 1)));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            set(i, i - 2, 0);
            if (i !== m + 2) set(i, i - 3, 0);
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = A(k, k - 1);
              q = A(k + 1, k - 1);
              r = 0;
              if (k !== nn - 1) r = A(k + 2, k - 1);
              xs = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (xs !== 0) {
                p /= xs;
                q /= xs;
                r /= xs;
              }
            }
            const sgn = Math.sqrt(p * p + q * q + r * r);
            const s = p >= 0 ? sgn : -sgn;
            if (s !== 0) {
              if (k === m) {
                if (l !== m) set(k, k - 1, -A(k, k - 1));
              } else set(k, k - 1, -s * xs);
              p += s;
              xs = p / s;
              ys = q / s;
              z = r / s;
              q /= p;
              r /= p;
              for (let j = k; j <= nn; j++) {
                p = A(k, j) + q * A(k + 1, j);
                if (k !== nn - 1) {
                  p += r * A(k + 2, j);
                  set(k + 2, j, A(k + 2, j) - p * z);
                }
                set(k + 1, j, A(k + 1, j) - p * ys);
                set(k, j, A(k, j) - p * xs);
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                p = xs * A(i, k) + ys * A(i, k + 1);
                if (k !== nn - 1) {
                  p += z * A(i, k + 2);
                  set(i, k + 2, A(i, k + 2) - p * r);
                }
                set(i, k + 1, A(i, k + 1) - p * q);
                set(i, k, A(i, k) - p);
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  return { re, im };
}

/**
 * The eigenvalue of largest modulus of a real k x k matrix; NaN when that eigenvalue is complex (then
 * no exponent can be read off) or the solver fails.
 */
export function leadingEigenvalue(matrix: ArrayLike<number>, k: number): number {
  const { re, im } = eigenvalues(matrix, k);
  let best = 0;
  for (let i = 1; i < k; i++) if (Math.hypot(re[i], im[i]) > Math.hypot(re[best], im[best])) best = i;
  return im[best] === 0 ? re[best] : NaN;
}

/**
 * The linearised RG matrix T = B^-1 A of one sector from the sums over samples: `mean` holds the sample
 * means of the operators of both levels (index: level offset + operator), `prod` the means of their
 * products (a (2K) x (2K) row-major matrix, K = OPERATOR_COUNT, coarse level first), `sector` the
 * operator indices. Returns a k x k matrix, k = sector.length.
 */
export function rgMatrix(mean: Float64Array, prod: Float64Array, sector: readonly number[]): Float64Array {
  const K = OPERATOR_COUNT;
  const k = sector.length;
  const W = 2 * K;
  const A = new Float64Array(k * k);
  const B = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const a = sector[i]; // coarse operator a: index a
    for (let j = 0; j < k; j++) {
      const c = sector[j];
      // A_ab: coarse a with fine b (index K + b); B_ac: coarse a with coarse c.
      A[i * k + j] = prod[a * W + K + c] - mean[a] * mean[K + c];
      B[i * k + j] = prod[a * W + c] - mean[a] * mean[c];
    }
  }
  return solve(B, A, k, k);
}

export const EVEN_SECTOR = [0, 1, 2, 3] as const;
export const ODD_SECTOR = [4, 5] as const;

export interface McrgEstimate {
  /** The leading even and odd eigenvalues of T. */
  lambdaT: number;
  lambdaH: number;
  yT: number;
  yTErr: number;
  yH: number;
  yHErr: number;
}

/**
 * The exponents of one level for one group of samples (in chain order): `ops` as from
 * `operatorSeriesSteps`, `indices` the group's samples, `level` in 1..levels. Jackknife over `bins`
 * consecutive bins (fewer when there are fewer samples; at least 2 are needed for an error).
 */
export function mcrgLevel(
  ops: Float64Array,
  levels: number,
  indices: Int32Array,
  level: number,
  b: number,
  bins = 16,
): McrgEstimate {
  const K = OPERATOR_COUNT;
  const W = 2 * K;
  const stride = (levels + 1) * K;
  const count = indices.length;
  const nb = Math.max(1, Math.min(bins, count));
  // Per-bin sums of the 2K operator values (coarse level, then fine level) and their products.
  const sums = new Float64Array(nb * W);
  const prods = new Float64Array(nb * W * W);
  const sizes = new Float64Array(nb);
  const v = new Float64Array(W);
  for (let i = 0; i < count; i++) {
    const bin = Math.min(nb - 1, Math.floor((i * nb) / count));
    const base = indices[i] * stride;
    for (let a = 0; a < K; a++) {
      v[a] = ops[base + level * K + a];
      v[K + a] = ops[base + (level - 1) * K + a];
    }
    sizes[bin]++;
    for (let a = 0; a < W; a++) {
      sums[bin * W + a] += v[a];
      for (let c = 0; c < W; c++) prods[bin * W * W + a * W + c] += v[a] * v[c];
    }
  }
  const log = Math.log(b);
  const estimate = (skip: number): [number, number] => {
    const mean = new Float64Array(W);
    const prod = new Float64Array(W * W);
    let total = 0;
    for (let k = 0; k < nb; k++) {
      if (k === skip) continue;
      total += sizes[k];
      for (let a = 0; a < W; a++) mean[a] += sums[k * W + a];
      for (let a = 0; a < W * W; a++) prod[a] += prods[k * W * W + a];
    }
    for (let a = 0; a < W; a++) mean[a] /= total;
    for (let a = 0; a < W * W; a++) prod[a] /= total;
    return [
      leadingEigenvalue(rgMatrix(mean, prod, EVEN_SECTOR), EVEN_SECTOR.length),
      leadingEigenvalue(rgMatrix(mean, prod, ODD_SECTOR), ODD_SECTOR.length),
    ];
  };
  const [lambdaT, lambdaH] = estimate(-1);
  const yT = Math.log(lambdaT) / log;
  const yH = Math.log(lambdaH) / log;
  let yTErr = NaN;
  let yHErr = NaN;
  if (nb >= 2) {
    const jt = new Float64Array(nb);
    const jh = new Float64Array(nb);
    for (let k = 0; k < nb; k++) {
      const [lt, lh] = estimate(k);
      jt[k] = Math.log(lt) / log;
      jh[k] = Math.log(lh) / log;
    }
    const spread = (x: Float64Array) => {
      let m = 0;
      for (const y of x) m += y;
      m /= nb;
      let ss = 0;
      for (const y of x) ss += (y - m) ** 2;
      return Math.sqrt(((nb - 1) / nb) * ss);
    };
    yTErr = spread(jt);
    yHErr = spread(jh);
  }
  return { lambdaT, lambdaH, yT, yTErr, yH, yHErr };
}

/** The MCRG table in steps: yields the fraction done; rows per temperature (first appearance) and level. */
export function* mcrgSteps(spins: SpinsValue, spec: McrgSpec, bins = 16): Generator<number, TableValue, void> {
  const g = spinsGeometry(spins);
  if (g.dim !== 2) throw new Error(`MCRG needs 2D spins of shape [n, L, L], got dim ${g.dim}`);
  const ops = yield* operatorSeriesSteps(spins.data, g.n, g.L, spec);
  const rows: number[][] = [];
  const lambdaT: number[] = [];
  const lambdaH: number[] = [];
  for (const group of groupByTemperature(spins.T)) {
    for (let level = 1; level <= spec.levels; level++) {
      const e = mcrgLevel(ops, spec.levels, group.indices, level, spec.b, bins);
      rows.push([group.T, level, e.yT, e.yTErr, e.yH, e.yHErr]);
      lambdaT.push(e.lambdaT);
      lambdaH.push(e.lambdaH);
    }
  }
  return {
    type: 'table',
    columns: [...MCRG_COLUMNS],
    rows,
    meta: {
      L: g.L,
      b: spec.b,
      rule: spec.rule,
      levels: spec.levels,
      level: 'level n: the step from lattice L / b^(n-1) to L / b^n',
      even: [...EVEN_OPERATORS],
      odd: [...ODD_OPERATORS],
      bins,
      lambda_T: lambdaT,
      lambda_H: lambdaH,
    },
  };
}
