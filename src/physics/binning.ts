/**
 * Error bars for Monte Carlo averages of autocorrelated time series: binning analysis
 * (Flyvbjerg & Petersen, J. Chem. Phys. 91, 461 (1989)) and a jackknife over bins for quantities
 * derived from several averages (chi, c, Binder cumulant, correlation length).
 *
 * Level k of the analysis averages the series in non-overlapping bins of 2^k consecutive points (a
 * trailing partial bin is dropped) and computes the naive standard error of the mean of those bin
 * means, sqrt(var_k / n_k). Level 0 is the naive error of the raw series. For a series with
 * integrated autocorrelation time tau, the level-k error rises with k and saturates at
 * sqrt(2 tau) times the naive error once 2^k >> tau; at large k it gets noisy (relative noise about
 * 1 / sqrt(2 (n_k - 1))).
 *
 * Choice of the plateau level (Wolff, CPC 156, 143 (2004); Lee et al., PRE 83, 066706 (2011), the rule
 * pyblock uses): the smallest bin size B = 2^k with B^3 >= 2 n (e_k / e_0)^4, n the length of the
 * series. This balances the bias of too-small bins (relative size about tau / B) against the noise of
 * too-few bins (about sqrt(B / n)). The level must also keep at least `minBins` bins (default 32);
 * when no such level satisfies the rule the series is too short for its autocorrelation time:
 * `plateau` is false and `error` is the largest error over the levels with at least `minBins` bins
 * (a conservative lower bound; level 0 always counts).
 *
 * Pure functions on arrays; nothing of the app is imported here.
 */

export interface BinningOptions {
  /** The fewest bins a level may have to be chosen as the plateau (default 32). */
  minBins?: number;
}

export interface BinningResult {
  /** Mean of the whole series (for a jackknife: the estimate from the whole series). */
  mean: number;
  /** The standard error at the chosen level (see the module comment); NaN for fewer than 2 points. */
  error: number;
  /** The naive standard error (level 0), as if the points were independent. */
  naiveError: number;
  /** Standard error of the mean at each level k (bins of 2^k points), for every level with >= 2 bins. */
  levels: number[];
  /** Number of bins at each level. */
  bins: number[];
  /** The level whose error was reported (-1 when there is none: fewer than 2 points). */
  level: number;
  /** Integrated autocorrelation time estimate, 0.5 (error / naiveError)^2 (0.5 for independent data). */
  tau: number;
  /** Whether the plateau rule was satisfied at a level with at least `minBins` bins. */
  plateau: boolean;
}

const DEFAULT_MIN_BINS = 32;

/** Picks the reported level from the per-level errors (see the module comment). */
export function choosePlateau(
  levels: readonly number[],
  bins: readonly number[],
  length: number,
  options: BinningOptions = {},
): { error: number; level: number; plateau: boolean } {
  const minBins = options.minBins ?? DEFAULT_MIN_BINS;
  if (levels.length === 0) return { error: NaN, level: -1, plateau: false };
  const e0 = levels[0];
  if (!(e0 > 0)) {
    // Constant data (or NaN): nothing to bin.
    return { error: e0, level: 0, plateau: e0 === 0 };
  }
  let fallback = 0;
  for (let k = 0; k < levels.length; k++) {
    if (k > 0 && bins[k] < minBins) break;
    const ratio = levels[k] / e0;
    if (2 ** (3 * k) >= 2 * length * ratio ** 4) return { error: levels[k], level: k, plateau: true };
    if (levels[k] > levels[fallback]) fallback = k;
  }
  return { error: levels[fallback], level: fallback, plateau: false };
}

function finish(
  mean: number,
  levels: number[],
  bins: number[],
  length: number,
  options: BinningOptions | undefined,
): BinningResult {
  const { error, level, plateau } = choosePlateau(levels, bins, length, options);
  const naiveError = levels.length > 0 ? levels[0] : NaN;
  const tau = naiveError > 0 ? 0.5 * (error / naiveError) ** 2 : NaN;
  return { mean, error, naiveError, levels, bins, level, tau, plateau };
}

/** Binning analysis of one time series (in its order: for Monte Carlo data, Markov-chain order). */
export function binningAnalysis(series: ArrayLike<number>, options?: BinningOptions): BinningResult {
  const n = series.length;
  if (n === 0) return finish(NaN, [], [], 0, options);
  const work = Float64Array.from(series);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += work[i];
  mean /= n;
  const levels: number[] = [];
  const bins: number[] = [];
  let count = n;
  while (count >= 2) {
    let m = 0;
    for (let i = 0; i < count; i++) m += work[i];
    m /= count;
    let ss = 0;
    for (let i = 0; i < count; i++) {
      const d = work[i] - m;
      ss += d * d;
    }
    levels.push(Math.sqrt(ss / (count - 1) / count));
    bins.push(count);
    const half = count >> 1;
    for (let i = 0; i < half; i++) work[i] = 0.5 * (work[2 * i] + work[2 * i + 1]);
    count = half;
  }
  return finish(mean, levels, bins, n, options);
}

/**
 * Streaming binning of a vector-valued series (e.g. C(r) for r = 0..maxR, one vector per sample):
 * memory O(dim log n) however long the series. `result(j)` gives component j's analysis, identical
 * (up to rounding) to `binningAnalysis` of that component's series.
 */
export class BinningAccumulator {
  readonly dim: number;
  private count: number[] = [];
  private mean: Float64Array[] = [];
  private m2: Float64Array[] = [];
  private pending: Float64Array[] = [];
  private hasPending: boolean[] = [];

  constructor(dim: number) {
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`BinningAccumulator: dim must be a positive integer`);
    this.dim = dim;
  }

  /** Number of points pushed so far. */
  get length(): number {
    return this.count.length > 0 ? this.count[0] : 0;
  }

  /** Appends one point (a vector of length `dim`; it is copied). */
  push(x: ArrayLike<number>): void {
    if (x.length !== this.dim) throw new Error(`BinningAccumulator: expected ${this.dim} values, got ${x.length}`);
    this.pushAt(0, x);
  }

  private pushAt(level: number, x: ArrayLike<number>): void {
    if (level === this.count.length) {
      this.count.push(0);
      this.mean.push(new Float64Array(this.dim));
      this.m2.push(new Float64Array(this.dim));
      this.pending.push(new Float64Array(this.dim));
      this.hasPending.push(false);
    }
    const c = ++this.count[level];
    const mean = this.mean[level];
    const m2 = this.m2[level];
    const d = this.dim;
    for (let j = 0; j < d; j++) {
      const v = x[j];
      const delta = v - mean[j];
      mean[j] += delta / c;
      m2[j] += delta * (v - mean[j]);
    }
    const pending = this.pending[level];
    if (!this.hasPending[level]) {
      for (let j = 0; j < d; j++) pending[j] = x[j];
      this.hasPending[level] = true;
    } else {
      for (let j = 0; j < d; j++) pending[j] = 0.5 * (pending[j] + x[j]);
      this.hasPending[level] = false;
      this.pushAt(level + 1, pending);
    }
  }

  /** The binning analysis of component j. */
  result(j: number, options?: BinningOptions): BinningResult {
    if (!(j >= 0 && j < this.dim)) throw new Error(`BinningAccumulator: component ${j} out of range`);
    const levels: number[] = [];
    const bins: number[] = [];
    for (let k = 0; k < this.count.length && this.count[k] >= 2; k++) {
      const c = this.count[k];
      levels.push(Math.sqrt(this.m2[k][j] / (c - 1) / c));
      bins.push(c);
    }
    const mean = this.length > 0 ? this.mean[0][j] : NaN;
    return finish(mean, levels, bins, this.length, options);
  }
}

/**
 * Jackknife over bins, at every binning level, for a quantity derived from the means of several
 * series of equal length (sample by sample): e.g. chi from (|m|, m^2) or the Binder cumulant from
 * (m^2, m^4). At level k the series are cut into n_k bins of 2^k points; `fn` is evaluated on the
 * means with one bin left out at a time, and the jackknife error is
 * sqrt((n_k - 1) / n_k * sum_i (f_i - mean f)^2). The reported level follows the same plateau rule as
 * `binningAnalysis`. `mean` is `fn` of the full means. A leave-one-out value that is not finite gives
 * a NaN error at that level.
 */
export function jackknifeBinned(
  series: readonly ArrayLike<number>[],
  fn: (means: Float64Array) => number,
  options?: BinningOptions,
): BinningResult {
  const m = series.length;
  if (m === 0) throw new Error('jackknifeBinned: no series');
  const n = series[0].length;
  for (const s of series) {
    if (s.length !== n) throw new Error('jackknifeBinned: the series differ in length');
  }
  const means = new Float64Array(m);
  if (n === 0) return finish(NaN, [], [], 0, options);
  // Work copies, halved in place level by level (each holds the bin means of the current level).
  const work = series.map((s) => Float64Array.from(s));
  for (let a = 0; a < m; a++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += work[a][i];
    means[a] = t / n;
  }
  const mean = fn(means);
  const totals = new Float64Array(m);
  const levels: number[] = [];
  const bins: number[] = [];
  const values = new Float64Array(n);
  let count = n;
  while (count >= 2) {
    for (let a = 0; a < m; a++) {
      let t = 0;
      const w = work[a];
      for (let i = 0; i < count; i++) t += w[i];
      totals[a] = t;
    }
    let avg = 0;
    let finite = true;
    for (let i = 0; i < count; i++) {
      for (let a = 0; a < m; a++) means[a] = (totals[a] - work[a][i]) / (count - 1);
      const f = fn(means);
      if (!Number.isFinite(f)) finite = false;
      values[i] = f;
      avg += f;
    }
    avg /= count;
    let ss = 0;
    for (let i = 0; i < count; i++) {
      const d = values[i] - avg;
      ss += d * d;
    }
    levels.push(finite ? Math.sqrt(((count - 1) / count) * ss) : NaN);
    bins.push(count);
    const half = count >> 1;
    for (let a = 0; a < m; a++) {
      const w = work[a];
      for (let i = 0; i < half; i++) w[i] = 0.5 * (w[2 * i] + w[2 * i + 1]);
    }
    count = half;
  }
  return finish(mean, levels, bins, n, options);
}
