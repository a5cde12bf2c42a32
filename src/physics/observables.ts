/**
 * Thermodynamic observables of Ising spin samples: per-sample energy and magnetisation per spin, and
 * their averages per temperature with binning error bars (the table of the `measure.observables` node).
 *
 * Conventions: periodic lattices, 1D (shape [n, L]) or square 2D (shape [n, L, L]), row-major; the
 * energy is H = -J sum_<ij> s_i s_j - h sum_i s_i with each nearest-neighbour bond counted once (the
 * bonds i -> i + 1 along each axis, so N bonds in 1D and 2N in 2D; at L = 2 the two bonds joining a
 * pair of sites both count, as in the transfer-matrix results). J and h come from the spins' meta
 * (default 1 and 0).
 *
 * Pure functions on typed arrays; nothing of the app is imported here.
 */
import type { SpinsValue, TableValue } from '../graph/values';
import { DRIFT_WARNING_SIGMA, integratedAutocorrelation, thirdsDrift } from './autocorrelation';
import { isPointSet, pointSetRefusal } from './point-sets';
import { binningAnalysis, jackknifeBinned, type BinningResult } from './binning';

/** The lattice of a spins value, checked. */
export interface SpinsGeometry {
  /** Number of samples. */
  n: number;
  dim: 1 | 2;
  /** Sites per side. */
  L: number;
  /** Sites per sample, L^dim. */
  N: number;
  J: number;
  h: number;
}

function metaNumber(meta: Record<string, unknown> | undefined, key: string, fallback: number): number {
  const v = meta?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/**
 * Checks a spins value (shape against data length, ±1 data, one temperature per sample) and returns
 * its geometry; throws an Error that says what is wrong otherwise. The ±1 scan costs one pass.
 */
export function spinsGeometry(spins: SpinsValue, what = 'spins'): SpinsGeometry {
  if (!spins || typeof spins !== 'object') throw new Error(`${what}: expected a spins value`);
  if (isPointSet(spins)) throw pointSetRefusal(what);
  const shape = spins.shape;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${what}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!(spins.data instanceof Int8Array)) throw new Error(`${what}: data must be an Int8Array of ±1`);
  const total = shape.reduce((a, b) => a * b, 1);
  if (total !== spins.data.length) {
    throw new Error(`${what}: shape [${shape.join(', ')}] has ${total} elements but data has ${spins.data.length}`);
  }
  if (shape.length !== 2 && shape.length !== 3) {
    throw new Error(`${what}: expected shape [n, L] (1D) or [n, L, L] (2D), got [${shape.join(', ')}]`);
  }
  const n = shape[0];
  if (n === 0) throw new Error(`${what}: no samples (n = 0)`);
  const dim = (shape.length - 1) as 1 | 2;
  const L = shape[1];
  if (dim === 2 && shape[2] !== L) {
    throw new Error(`${what}: expected a square lattice [n, L, L], got [${shape.join(', ')}]`);
  }
  if (L < 2) throw new Error(`${what}: a periodic lattice needs L >= 2, got L = ${L}`);
  if (!(spins.T instanceof Float64Array) || spins.T.length !== n) {
    throw new Error(`${what}: T must be a Float64Array with one temperature per sample (${n})`);
  }
  const N = dim === 1 ? L : L * L;
  const data = spins.data;
  for (let i = 0; i < data.length; i++) {
    const s = data[i];
    if (s !== 1 && s !== -1) {
      const sample = Math.floor(i / N);
      throw new Error(`${what}: sample ${sample}, site ${i - sample * N} has value ${s}; spins must be ±1`);
    }
  }
  const meta = spins.meta;
  return { n, dim, L, N, J: metaNumber(meta, 'J', 1), h: metaNumber(meta, 'h', 0) };
}

/** Sum over the bonds i -> i + 1 (each axis, periodic) of s_i s_j for the sample starting at `offset`. */
export function bondSum(data: Int8Array, offset: number, dim: 1 | 2, L: number): number {
  let sum = 0;
  if (dim === 1) {
    const last = offset + L - 1;
    for (let i = offset; i < last; i++) sum += data[i] * data[i + 1];
    sum += data[last] * data[offset];
    return sum;
  }
  for (let y = 0; y < L; y++) {
    const row = offset + y * L;
    const below = y + 1 < L ? row + L : offset;
    const end = row + L - 1;
    for (let i = row, j = below; i < end; i++, j++) {
      const s = data[i];
      sum += s * (data[i + 1] + data[j]);
    }
    sum += data[end] * (data[row] + data[below + L - 1]);
  }
  return sum;
}

/** Sum of the spins of the sample starting at `offset` (N sites). */
export function spinSum(data: Int8Array, offset: number, N: number): number {
  let sum = 0;
  const end = offset + N;
  for (let i = offset; i < end; i++) sum += data[i];
  return sum;
}

/**
 * Fills e[i] (energy per spin) and m[i] (magnetisation per spin) for samples from <= i < to.
 * No allocation; one pass over each sample.
 */
export function fillEnergyMagnetisation(
  spins: SpinsValue,
  geometry: SpinsGeometry,
  from: number,
  to: number,
  e: Float64Array,
  m: Float64Array,
): void {
  const { dim, L, N, J, h } = geometry;
  const data = spins.data;
  for (let i = from; i < to; i++) {
    const offset = i * N;
    const M = spinSum(data, offset, N);
    e[i] = (-J * bondSum(data, offset, dim, L) - h * M) / N;
    m[i] = M / N;
  }
}

/** Per-sample energy and magnetisation per spin of every sample. */
export function energyMagnetisation(spins: SpinsValue): { e: Float64Array; m: Float64Array } {
  const g = spinsGeometry(spins);
  const e = new Float64Array(g.n);
  const m = new Float64Array(g.n);
  fillEnergyMagnetisation(spins, g, 0, g.n, e, m);
  return { e, m };
}

/**
 * The sample indices of each distinct temperature, in order of first appearance (NaN temperatures
 * form one group). Within a group, samples keep their order.
 */
export function groupByTemperature(T: Float64Array): { T: number; indices: Int32Array }[] {
  const order: number[] = [];
  const members = new Map<number, number[]>(); // Map keys compare NaN equal to NaN
  for (let i = 0; i < T.length; i++) {
    const t = T[i];
    let list = members.get(t);
    if (!list) {
      list = [];
      members.set(t, list);
      order.push(t);
    }
    list.push(i);
  }
  return order.map((t) => ({ T: t, indices: Int32Array.from(members.get(t)!) }));
}

/** The column names of the observables table, in order. */
export const OBSERVABLE_COLUMNS = [
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
] as const;

/** The entries of `source` at `indices`, in order. */
export function pick(source: Float64Array, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = source[indices[i]];
  return out;
}

/** The measured quantities of one temperature group, each with its binning (or jackknife-over-bins) analysis. */
export interface GroupAnalysis {
  e: BinningResult;
  m: BinningResult;
  absm: BinningResult;
  m2: BinningResult;
  m4: BinningResult;
  chi: BinningResult;
  c: BinningResult;
  binder: BinningResult;
}

/**
 * Analyses one temperature group from its per-sample e and m (in Markov-chain order), N sites per
 * sample: binning for e, m, |m|, m^2, m^4; jackknife over bins for chi = N (<m^2> - <|m|>^2) / T,
 * c = N (<e^2> - <e>^2) / T^2 and binder = 1 - <m^4> / (3 <m^2>^2) (NaN for chi and c when T is NaN).
 * Observables and Compare both measure through this.
 */
export function analyseGroup(T: number, N: number, e: Float64Array, m: Float64Array): GroupAnalysis {
  const count = e.length;
  const absm = new Float64Array(count);
  const m2 = new Float64Array(count);
  const m4 = new Float64Array(count);
  const e2 = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const x = m[i];
    absm[i] = Math.abs(x);
    m2[i] = x * x;
    m4[i] = x * x * x * x;
    e2[i] = e[i] * e[i];
  }
  return {
    e: binningAnalysis(e),
    m: binningAnalysis(m),
    absm: binningAnalysis(absm),
    m2: binningAnalysis(m2),
    m4: binningAnalysis(m4),
    chi: jackknifeBinned([absm, m2], ([a, b]) => (N * (b - a * a)) / T),
    c: jackknifeBinned([e, e2], ([a, b]) => (N * (b - a * a)) / (T * T)),
    binder: jackknifeBinned([m2, m4], ([b, d]) => 1 - d / (3 * b * b)),
  };
}

/**
 * The observables table from per-sample e and m: one row per temperature (order of first appearance).
 * chi = N (<m^2> - <|m|>^2) / T, c = N (<e^2> - <e>^2) / T^2, binder = 1 - <m^4> / (3 <m^2>^2); chi and c
 * are NaN where T is NaN. Errors of e, m, |m| by binning (see binning.ts), of chi, c and binder by a
 * jackknife over bins (`chi_err`, `c_err`, `binder_err`). `tau_e` and `tau_absm` are the integrated
 * autocorrelation times of e and |m| in stored samples, with Sokal's window (autocorrelation.ts).
 * `drift_sigma` is the signed difference of the mean energy of the last and first thirds of each
 * temperature's series in standard errors (positive: the energy rose); where |drift_sigma| > 3 the table's
 * meta.warnings says so. meta also keeps `chi_err`, `c_err`, `binder_err` (as in the columns) and whether
 * every binning reached its plateau (`plateau`). (No tau for m: below Tc its sign flips rarely, and the window
 * would run to n / 4 at a cost of n^2 / 4.)
 */
export function tabulateObservables(
  geometry: SpinsGeometry,
  T: Float64Array,
  e: Float64Array,
  m: Float64Array,
): TableValue {
  const { N, L } = geometry;
  const rows: number[][] = [];
  const chiErr: number[] = [];
  const cErr: number[] = [];
  const binderErr: number[] = [];
  const plateau: boolean[] = [];
  const warnings: string[] = [];
  for (const group of groupByTemperature(T)) {
    const t = group.T;
    const count = group.indices.length;
    const groupE = pick(e, group.indices);
    const groupM = pick(m, group.indices);
    const { e: be, m: bm, absm: ba, m2: bm2, m4: bm4, chi, c, binder } = analyseGroup(t, N, groupE, groupM);
    const drift = thirdsDrift(groupE).sigma;
    if (Math.abs(drift) > DRIFT_WARNING_SIGMA) warnings.push(driftWarning(t, drift));
    rows.push([
      t,
      L,
      count,
      be.mean,
      be.error,
      bm.mean,
      bm.error,
      ba.mean,
      ba.error,
      bm2.mean,
      bm4.mean,
      chi.mean,
      c.mean,
      binder.mean,
      chi.error,
      c.error,
      binder.error,
      integratedAutocorrelation(groupE).tau,
      integratedAutocorrelation(groupM.map(Math.abs)).tau,
      drift,
    ]);
    chiErr.push(chi.error);
    cErr.push(c.error);
    binderErr.push(binder.error);
    plateau.push(be.plateau && bm.plateau && ba.plateau);
  }
  return {
    type: 'table',
    columns: [...OBSERVABLE_COLUMNS],
    rows,
    meta: {
      dim: geometry.dim,
      L,
      J: geometry.J,
      h: geometry.h,
      chi_err: chiErr,
      c_err: cErr,
      binder_err: binderErr,
      plateau,
      warnings,
    },
  };
}

/** The status warning of a temperature whose energy drifts (|drift_sigma| > 3). */
export function driftWarning(T: number, sigma: number): string {
  const label = Number.isNaN(T) ? 'T unknown' : `T = ${Number(T.toPrecision(4))}`;
  return `${label}: energy drifts by ${Math.abs(sigma).toFixed(1)}σ between the first and last third: not thermalised? raise burnIn`;
}

/** Sites processed between yields of the stepwise measurement (a few milliseconds of work). */
const SITES_PER_STEP = 1 << 21;

/**
 * The observables measurement in steps: yields the fraction done after each chunk of samples (so a
 * caller can report progress and check for cancellation), and returns the table.
 */
export function* observablesSteps(spins: SpinsValue): Generator<number, TableValue, void> {
  const g = spinsGeometry(spins);
  const e = new Float64Array(g.n);
  const m = new Float64Array(g.n);
  const chunk = Math.max(1, Math.floor(SITES_PER_STEP / g.N));
  for (let from = 0; from < g.n; from += chunk) {
    const to = Math.min(g.n, from + chunk);
    fillEnergyMagnetisation(spins, g, from, to, e, m);
    if (to < g.n) yield to / g.n;
  }
  return tabulateObservables(g, spins.T, e, m);
}

/** Runs a stepwise measurement to its end, synchronously. */
export function runSteps<R>(steps: Generator<number, R, void>): R {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The observables table of a spins value (see `tabulateObservables`). */
export function measureObservables(spins: SpinsValue): TableValue {
  return runSteps(observablesSteps(spins));
}
