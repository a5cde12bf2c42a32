/**
 * Spin-spin correlations of Ising samples along the lattice axes, and the second-moment correlation
 * length (the `measure.correlation` node).
 *
 * C(r) = <s_i s_{i+r e}>, averaged over every site i and, in 2D, both axes e (periodic), for
 * r = 0..maxR, maxR <= L/2 (C(L - r) = C(r)). Per sample it is computed exactly, either directly
 * (O(N maxR)) or through FFTs of the rows and columns (O(N log L)), whichever is cheaper; both give the
 * same integers sum_i s_i s_{i+r}. Error bars: binning over the per-sample values (see binning.ts).
 *
 * Correlation length, second-moment estimator (Cooper, Freedman & Preston 1982; Caracciolo et al.):
 *   xi = sqrt(chi / F - 1) / (2 sin(pi / L)),
 * with chi = S(0) = <M^2> / N and F = S(k_min) = <|sum_j s_j exp(i k_min . x_j)|^2> / N averaged over
 * the smallest nonzero momenta of the axes, k_min = (2 pi / L) e. It is exact for Ornstein–Zernike
 * (exponential) correlations on the lattice: for the 1D chain, xi = sqrt(t) / (1 - t) with t = tanh K,
 * at any L. S(0) is not connected (no <|m|>^2 subtracted), so below Tc xi grows with L, as it should
 * for an ordered system. xi is NaN where undefined (chi <= F, or F = 0); its error is a jackknife over
 * bins of (S(0), F) at the binning plateau. The table's `spacing` is 1: xi is in units of the lattice's own
 * spacing (for point sets, point-correlation.ts, it is their mean spacing).
 *
 * Pure functions on typed arrays; nothing of the app is imported here.
 */
import type { SeriesValue, SpinsValue, TableValue } from '../graph/values';
import { BinningAccumulator, jackknifeBinned } from './binning';
import { groupByTemperature, spinsGeometry, type SpinsGeometry } from './observables';

// ---------------------------------------------------------------------------------------------------
// FFT (forward DFT, any length: radix 2, or Bluestein's chirp-z for other lengths)

class Radix2Fft {
  readonly n: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;

  constructor(n: number) {
    this.n = n;
    this.cos = new Float64Array(n >> 1);
    this.sin = new Float64Array(n >> 1);
    for (let k = 0; k < n >> 1; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / n);
      this.sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    this.rev = new Uint32Array(n);
    const bits = Math.round(Math.log2(n));
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0, x = i; b < bits; b++, x >>= 1) r = (r << 1) | (x & 1);
      this.rev[i] = r;
    }
  }

  /** In place: X_k = sum_j x_j exp(-2 pi i j k / n). */
  transform(re: Float64Array, im: Float64Array): void {
    const n = this.n;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    const cos = this.cos;
    const sin = this.sin;
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let j = 0, k = 0; j < half; j++, k += step) {
          const a = start + j;
          const b = a + half;
          const c = cos[k];
          const s = sin[k];
          const xr = re[b];
          const xi = im[b];
          const tr = xr * c + xi * s;
          const ti = xi * c - xr * s;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
  }
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Forward DFT of any length n >= 1, in place on (re, im) of length n. */
export class Fft {
  readonly n: number;
  private readonly radix2: Radix2Fft;
  private readonly bluestein: boolean;
  private readonly m: number = 0;
  private readonly chirpCos: Float64Array = new Float64Array(0);
  private readonly chirpSin: Float64Array = new Float64Array(0);
  private readonly kernelRe: Float64Array = new Float64Array(0);
  private readonly kernelIm: Float64Array = new Float64Array(0);
  private readonly bufRe: Float64Array = new Float64Array(0);
  private readonly bufIm: Float64Array = new Float64Array(0);

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Fft: length must be a positive integer, got ${n}`);
    this.n = n;
    this.bluestein = !isPowerOfTwo(n);
    if (!this.bluestein) {
      this.radix2 = new Radix2Fft(n);
      return;
    }
    const m = nextPowerOfTwo(2 * n - 1);
    this.m = m;
    this.radix2 = new Radix2Fft(m);
    // w_j = exp(-i pi j^2 / n), with j^2 reduced mod 2n first (exact in doubles for n < 2^26).
    this.chirpCos = new Float64Array(n);
    this.chirpSin = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const angle = (Math.PI * ((j * j) % (2 * n))) / n;
      this.chirpCos[j] = Math.cos(angle);
      this.chirpSin[j] = -Math.sin(angle);
    }
    // Kernel b_j = conj(w_j) at j and m - j, transformed once.
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    for (let j = 0; j < n; j++) {
      this.kernelRe[j] = this.chirpCos[j];
      this.kernelIm[j] = -this.chirpSin[j];
      if (j > 0) {
        this.kernelRe[m - j] = this.chirpCos[j];
        this.kernelIm[m - j] = -this.chirpSin[j];
      }
    }
    this.radix2.transform(this.kernelRe, this.kernelIm);
    this.bufRe = new Float64Array(m);
    this.bufIm = new Float64Array(m);
  }

  /** In place: X_k = sum_j x_j exp(-2 pi i j k / n). */
  transform(re: Float64Array, im: Float64Array): void {
    if (!this.bluestein) {
      this.radix2.transform(re, im);
      return;
    }
    const { n, m, chirpCos: wc, chirpSin: ws, bufRe: ar, bufIm: ai, kernelRe: br, kernelIm: bi } = this;
    for (let j = 0; j < n; j++) {
      ar[j] = re[j] * wc[j] - im[j] * ws[j];
      ai[j] = re[j] * ws[j] + im[j] * wc[j];
    }
    ar.fill(0, n);
    ai.fill(0, n);
    this.radix2.transform(ar, ai);
    // Pointwise product with the kernel, conjugated so that a forward transform acts as an inverse.
    for (let k = 0; k < m; k++) {
      const xr = ar[k] * br[k] - ai[k] * bi[k];
      const xi = ar[k] * bi[k] + ai[k] * br[k];
      ar[k] = xr;
      ai[k] = -xi;
    }
    this.radix2.transform(ar, ai);
    for (let k = 0; k < n; k++) {
      const cr = ar[k] / m;
      const ci = -ai[k] / m;
      re[k] = cr * wc[k] - ci * ws[k];
      im[k] = cr * ws[k] + ci * wc[k];
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Per-sample kernels

export type CorrelationMethod = 'auto' | 'direct' | 'fft';

function fftCost(n: number): number {
  if (isPowerOfTwo(n)) return n * Math.max(1, Math.log2(n));
  const m = nextPowerOfTwo(2 * n - 1);
  return 2 * m * Math.log2(m) + 4 * m;
}

/**
 * C(r) and the structure factors of single samples of one lattice geometry; holds its workspace, so
 * measuring allocates nothing per sample.
 */
export class CorrelationKernel {
  readonly dim: 1 | 2;
  readonly L: number;
  readonly N: number;
  readonly maxR: number;
  /** The method used: 'direct' or 'fft'. */
  readonly method: 'direct' | 'fft';
  private readonly sums: Float64Array;
  private fft: Fft | null = null;
  private pad: Float64Array = new Float64Array(0);
  private re: Float64Array = new Float64Array(0);
  private im: Float64Array = new Float64Array(0);
  private power: Float64Array = new Float64Array(0);
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly lineSums: Float64Array;

  constructor(dim: 1 | 2, L: number, maxR: number, method: CorrelationMethod = 'auto') {
    if (!Number.isInteger(maxR) || maxR < 0 || maxR > Math.floor(L / 2)) {
      throw new Error(`maxR must be an integer in 0..${Math.floor(L / 2)} (L = ${L}), got ${maxR}`);
    }
    this.dim = dim;
    this.L = L;
    this.N = dim === 1 ? L : L * L;
    this.maxR = maxR;
    if (method === 'auto') {
      // Operation counts, calibrated roughly (V8): a direct multiply-add costs about a quarter of a butterfly.
      const direct = 0.25 * dim * this.N * (maxR + 1);
      const transforms = dim === 1 ? 2 : L + 1;
      method = direct <= transforms * fftCost(L) ? 'direct' : 'fft';
    }
    this.method = method;
    this.sums = new Float64Array(maxR + 1);
    if (method === 'direct') {
      this.pad = new Float64Array(dim === 1 ? L + maxR : 2 * L * (L + maxR));
    } else {
      this.fft = new Fft(L);
      this.re = new Float64Array(L);
      this.im = new Float64Array(L);
      this.power = new Float64Array(L);
    }
    this.cos = new Float64Array(L);
    this.sin = new Float64Array(L);
    for (let x = 0; x < L; x++) {
      this.cos[x] = Math.cos((2 * Math.PI * x) / L);
      this.sin[x] = Math.sin((2 * Math.PI * x) / L);
    }
    this.lineSums = new Float64Array(L);
  }

  /**
   * Writes C(r), r = 0..maxR, of the sample at `offset` into `out` (the average over sites and axes of
   * s_i s_{i+r}).
   */
  correlate(data: Int8Array, offset: number, out: Float64Array): void {
    const sums = this.sums;
    if (this.method === 'direct') this.directSums(data, offset, sums);
    else this.fftSums(data, offset, sums);
    const norm = this.dim * this.N;
    for (let r = 0; r <= this.maxR; r++) out[r] = sums[r] / norm;
  }

  /** Direct sums over a padded Float64 copy of the sample (each row twice, the first maxR rows again). */
  private directSums(data: Int8Array, offset: number, sums: Float64Array): void {
    const { L, maxR } = this;
    const pad = this.pad;
    if (this.dim === 1) {
      for (let x = 0; x < L; x++) pad[x] = data[offset + x];
      for (let x = 0; x < maxR; x++) pad[L + x] = pad[x];
      for (let r = 0; r <= maxR; r++) {
        let s = 0;
        for (let x = 0; x < L; x++) s += pad[x] * pad[x + r];
        sums[r] = s;
      }
      return;
    }
    const W = 2 * L;
    for (let y = 0; y < L + maxR; y++) {
      const src = offset + (y % L) * L;
      const dst = y * W;
      for (let x = 0; x < L; x++) {
        const v = data[src + x];
        pad[dst + x] = v;
        pad[dst + L + x] = v;
      }
    }
    for (let r = 0; r <= maxR; r++) {
      let s = 0;
      for (let y = 0; y < L; y++) {
        const row = y * W;
        const down = row + r * W;
        for (let x = 0; x < L; x++) s += pad[row + x] * (pad[row + x + r] + pad[down + x]);
      }
      sums[r] = s;
    }
  }

  /** Power spectra of lines, two real lines per complex transform: |Z_k|^2 + |Z_-k|^2 = 2 (|A_k|^2 + |B_k|^2). */
  private fftSums(data: Int8Array, offset: number, sums: Float64Array): void {
    const { L, re, im, power } = this;
    const fft = this.fft!;
    power.fill(0);
    // Lines: in 1D the chain; in 2D each row (stride 1 within, L between) and each column.
    const lines = this.dim === 1 ? 1 : L;
    const passes = this.dim === 1 ? 1 : 2;
    for (let pass = 0; pass < passes; pass++) {
      const along = pass === 0 ? 1 : L; // step between sites of one line
      const across = pass === 0 ? L : 1; // step between lines
      for (let line = 0; line < lines; line += 2) {
        const a = offset + line * across;
        const hasB = line + 1 < lines;
        const b = a + across;
        for (let x = 0; x < L; x++) {
          re[x] = data[a + x * along];
          im[x] = hasB ? data[b + x * along] : 0;
        }
        fft.transform(re, im);
        for (let k = 0; k < L; k++) {
          const nk = k === 0 ? 0 : L - k;
          power[k] += re[k] * re[k] + im[k] * im[k] + re[nk] * re[nk] + im[nk] * im[nk];
        }
      }
    }
    // sum_lines sum_x s_x s_{x+r} = (1/L) sum_k P_k exp(2 pi i k r / L), P real and even: a forward
    // transform does; the halving undoes the pairing's factor 2. The sums are integers: round them.
    for (let k = 0; k < L; k++) {
      re[k] = 0.5 * power[k];
      im[k] = 0;
    }
    fft.transform(re, im);
    for (let r = 0; r <= this.maxR; r++) sums[r] = Math.round(re[r] / L) + 0; // + 0: no -0
  }

  /**
   * Structure factors of the sample at `offset`: S(0) = M^2 / N and F, the mean over the axes of
   * |sum_j s_j exp(2 pi i x_j / L)|^2 / N. Writes s0[index] and f[index].
   */
  structure(data: Int8Array, offset: number, s0: Float64Array, f: Float64Array, index: number): void {
    const { L, N, cos, sin } = this;
    if (this.dim === 1) {
      let M = 0;
      let c = 0;
      let s = 0;
      for (let x = 0; x < L; x++) {
        const v = data[offset + x];
        M += v;
        c += v * cos[x];
        s += v * sin[x];
      }
      s0[index] = (M * M) / N;
      f[index] = (c * c + s * s) / N;
      return;
    }
    const colSums = this.lineSums;
    colSums.fill(0);
    let M = 0;
    let cy = 0;
    let sy = 0;
    for (let y = 0; y < L; y++) {
      const row = offset + y * L;
      let rowSum = 0;
      for (let x = 0; x < L; x++) {
        const v = data[row + x];
        rowSum += v;
        colSums[x] += v;
      }
      M += rowSum;
      cy += rowSum * cos[y];
      sy += rowSum * sin[y];
    }
    let cx = 0;
    let sx = 0;
    for (let x = 0; x < L; x++) {
      cx += colSums[x] * cos[x];
      sx += colSums[x] * sin[x];
    }
    s0[index] = (M * M) / N;
    f[index] = (cx * cx + sx * sx + cy * cy + sy * sy) / (2 * N);
  }
}

/**
 * The second-moment correlation length from chi = S(0) and F = S(k_min): NaN where undefined, i.e.
 * chi <= F, or F = 0 up to rounding (F <= 1e-12 chi: a perfectly ordered sample set).
 */
export function secondMomentXi(chi: number, F: number, L: number): number {
  if (!(F > 1e-12 * chi) || !(chi > F)) return NaN;
  return Math.sqrt(chi / F - 1) / (2 * Math.sin(Math.PI / L));
}

/** Curve names 'T = 2.269' with just enough digits to tell the temperatures apart. */
export function temperatureNames(temperatures: readonly number[]): string[] {
  const format = (t: number, digits: number) => (Number.isNaN(t) ? 'T unknown' : `T = ${+t.toPrecision(digits)}`);
  for (let digits = 4; digits < 17; digits++) {
    const names = temperatures.map((t) => format(t, digits));
    if (new Set(names).size === names.length) return names;
  }
  return temperatures.map((t) => (Number.isNaN(t) ? 'T unknown' : `T = ${t}`));
}

export interface CorrelationResult {
  series: SeriesValue;
  table: TableValue;
}

export interface CorrelationOptions {
  /** Largest distance, 0..floor(L/2) (default floor(L/2)). */
  maxR?: number;
  /** How C(r) is computed per sample (default 'auto': the cheaper). */
  method?: CorrelationMethod;
}

/** Checks maxR against the lattice (a clear error naming L) and returns it, defaulting to floor(L/2). */
export function resolveMaxR(maxR: number | undefined, L: number): number {
  const half = Math.floor(L / 2);
  if (maxR === undefined) return half;
  if (!Number.isInteger(maxR) || maxR < 0) throw new Error(`maxR must be a non-negative integer, got ${maxR}`);
  if (maxR > half) {
    throw new Error(`maxR = ${maxR} is more than L/2 = ${half} (L = ${L}); on a periodic lattice C(L - r) = C(r)`);
  }
  return maxR;
}

/** Site-operations between yields of the stepwise measurement. */
const WORK_PER_STEP = 1 << 22;

/**
 * The correlation measurement in steps: yields the fraction done after each chunk of samples, and
 * returns the series (one curve per temperature, in order of first appearance) and the table.
 */
export function* correlationSteps(
  spins: SpinsValue,
  options: CorrelationOptions = {},
): Generator<number, CorrelationResult, void> {
  const g: SpinsGeometry = spinsGeometry(spins);
  const maxR = resolveMaxR(options.maxR, g.L);
  const kernel = new CorrelationKernel(g.dim, g.L, maxR, options.method ?? 'auto');
  const perSample =
    kernel.method === 'direct' ? g.dim * g.N * (maxR + 1) : (g.dim === 1 ? 2 : g.L + 1) * fftCost(g.L) * 4;
  const chunk = Math.max(1, Math.floor(WORK_PER_STEP / (perSample + g.N)));
  const groups = groupByTemperature(spins.T);
  const names = temperatureNames(groups.map((group) => group.T));
  const curves: SeriesValue['curves'] = [];
  const rows: number[][] = [];
  const chiMeans: number[] = [];
  const fMeans: number[] = [];
  const plateau: boolean[] = [];
  const c = new Float64Array(maxR + 1);
  let done = 0;
  let sinceYield = 0;
  for (let gi = 0; gi < groups.length; gi++) {
    const { T, indices } = groups[gi];
    const count = indices.length;
    const acc = new BinningAccumulator(maxR + 1);
    const s0 = new Float64Array(count);
    const f = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const offset = indices[i] * g.N;
      kernel.correlate(spins.data, offset, c);
      acc.push(c);
      kernel.structure(spins.data, offset, s0, f, i);
      done++;
      if (++sinceYield >= chunk && done < g.n) {
        sinceYield = 0;
        yield done / g.n;
      }
    }
    const y: number[] = [];
    const err: number[] = [];
    let allPlateau = true;
    for (let r = 0; r <= maxR; r++) {
      const b = acc.result(r);
      y.push(b.mean);
      err.push(b.error);
      if (r > 0 && !b.plateau) allPlateau = false;
    }
    curves.push({ name: names[gi], y, err });
    const xi = jackknifeBinned([s0, f], ([chi, F]) => secondMomentXi(chi, F, g.L));
    rows.push([T, g.L, count, xi.mean, xi.error, 1]);
    chiMeans.push(meanOf(s0));
    fMeans.push(meanOf(f));
    plateau.push(allPlateau);
  }
  const temperatures = groups.map((group) => group.T);
  return {
    series: {
      type: 'series',
      x: Array.from({ length: maxR + 1 }, (_, r) => r),
      xLabel: 'r',
      yLabel: 'C(r)',
      curves,
      meta: { dim: g.dim, L: g.L, T: temperatures, plateau },
    },
    table: {
      type: 'table',
      columns: ['T', 'L', 'n', 'xi', 'xi_err', 'spacing'],
      rows,
      meta: { dim: g.dim, L: g.L, maxR, chi: chiMeans, F: fMeans, method: kernel.method },
    },
  };
}

function meanOf(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** C(r) per temperature with binning errors, and the second-moment correlation length (see above). */
export function measureCorrelation(spins: SpinsValue, maxR?: number, method?: CorrelationMethod): CorrelationResult {
  const steps = correlationSteps(spins, { maxR, method });
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
