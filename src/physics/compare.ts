/**
 * Two spins values measured the same way (the `compare` node): the Observables quantities per
 * temperature group of each side, paired group to group, with their difference in standard errors;
 * and C(r) of each side.
 *
 * Quantities (per spin, so the sides may have different lattice sizes; J and h from each side's meta):
 * e, m, |m|, m^2, m^4 with binning errors (binningAnalysis); chi = N (<m^2> - <|m|>^2) / T,
 * c = N (<e^2> - <e>^2) / T^2 and binder = 1 - <m^4> / (3 <m^2>^2) with jackknife-over-bins errors
 * (jackknifeBinned), N each side's sites per sample. chi and c are NaN where T is NaN (e.g. RBM samples).
 * xi is the second-moment correlation length in units of each side's own spacing (correlation.ts; for
 * block spins the block lattice's, for hidden spins at positions their mean spacing, point-correlation.ts):
 * the quantity an RG step must shrink by b. A side of hidden spins at positions has no bonds, so its e and
 * c are NaN.
 *
 * Pairing: temperature groups in order of first appearance (NaN temperatures form one group); the same
 * number of groups on both sides pair in order; a side with a single group pairs with every group of
 * the other; anything else is an error that says how many groups each side has.
 *
 * difference = a - b, and sigmas = difference / sqrt(a_err^2 + b_err^2), with two conventions:
 * - sigmas = 0 when the difference is exactly 0 (identical values agree, whatever the error bars,
 *   even NaN ones: e.g. two copies of a single sample);
 * - sigmas = NaN when both errors are 0 and the difference is not 0 (constant series that differ: the
 *   statistical test is undefined there, and NaN keeps it out of any "is it within kσ" count rather
 *   than reporting an infinite discrepancy). A NaN value or error gives NaN as well.
 *
 * Pure functions on typed arrays; nothing of the app is imported here.
 */
import type { SeriesValue, SpinsValue, TableValue } from '../graph/values';
import { correlationSteps, type CorrelationResult } from './correlation';
import { pointCorrelationSteps } from './point-correlation';
import { isPointSet, pointSetGeometry } from './point-sets';
import {
  analyseGroup,
  fillEnergyMagnetisation,
  groupByTemperature,
  pick,
  spinsGeometry,
  type SpinsGeometry,
} from './observables';

/** The two sides of a comparison, as they are named in errors and in the table. */
export type Side = 'a' | 'b';

/** The quantities of the comparison table, in row order within a pair of temperature groups. */
export const COMPARE_QUANTITIES = ['e', 'm', 'absm', 'm2', 'm4', 'chi', 'c', 'binder', 'xi'] as const;

export type CompareQuantity = (typeof COMPARE_QUANTITIES)[number];

/** The column names of the comparison table, in order. */
export const COMPARE_COLUMNS = ['T_a', 'T_b', 'quantity', 'a', 'a_err', 'b', 'b_err', 'difference', 'sigmas'] as const;

export interface Estimate {
  value: number;
  error: number;
}

/** The estimates of one temperature group of one side. */
export interface GroupEstimates {
  T: number;
  /** Samples in the group. */
  n: number;
  estimates: Record<CompareQuantity, Estimate>;
}

/** A side's samples and spins per sample, and its lattice (absent for spins at positions). */
export interface SideGeometry {
  n: number;
  N: number;
  lattice?: SpinsGeometry;
}

/**
 * Checks that an input is a spins value of ±1 on a supported lattice, or at positions, and returns its
 * geometry; the errors name the side ('a: ...').
 */
export function checkSide(value: unknown, side: Side): SideGeometry {
  if (value === undefined || value === null) {
    throw new Error(`${side}: nothing is connected; Compare needs spins on both a and b`);
  }
  if (Array.isArray(value)) throw new Error(`${side}: expected one spins value, got a list of ${value.length}`);
  const type = typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
  if (type !== 'spins') {
    const what = typeof type === 'string' ? `a ${type} value` : `a ${typeof value}`;
    throw new Error(`${side}: expected spins, got ${what}`);
  }
  if (isPointSet(value as SpinsValue)) {
    const points = pointSetGeometry(value as SpinsValue, side);
    return { n: points.n, N: points.units };
  }
  const lattice = spinsGeometry(value as SpinsValue, side);
  return { n: lattice.n, N: lattice.N, lattice };
}

/** (a - b) in units of the combined standard error (see the module comment for 0 and NaN). */
export function differenceSigmas(a: Estimate, b: Estimate): { difference: number; sigmas: number } {
  const difference = a.value - b.value;
  if (difference === 0) return { difference, sigmas: 0 };
  const error = Math.sqrt(a.error * a.error + b.error * b.error);
  return { difference, sigmas: error > 0 ? difference / error : NaN };
}

/**
 * How the temperature groups pair up: [index in a, index in b] per pair. Throws when the counts
 * differ and neither side has a single group.
 */
export function pairGroups(
  a: readonly { T: number }[],
  b: readonly { T: number }[],
  labels: readonly [string, string] = ['a', 'b'],
): [number, number][] {
  if (a.length === b.length) return a.map((_, i) => [i, i]);
  if (a.length === 1) return b.map((_, j) => [0, j]);
  if (b.length === 1) return a.map((_, i) => [i, 0]);
  const list = (groups: readonly { T: number }[]) =>
    groups.map((g) => (Number.isNaN(g.T) ? 'unknown' : String(+g.T.toPrecision(6)))).join(', ');
  throw new Error(
    `cannot pair the temperatures: a (${labels[0]}) has ${a.length} temperature groups (T = ${list(a)}) and ` +
      `b (${labels[1]}) has ${b.length} (T = ${list(b)}); give both sides the same number of temperatures ` +
      `(paired in order), or one side a single temperature (paired with each of the other's)`,
  );
}

/**
 * The estimates of one group from its per-sample e and m (in Markov-chain order), N sites per sample;
 * xi is NaN until the correlation pass fills it in.
 */
export function groupEstimates(T: number, N: number, e: Float64Array, m: Float64Array): GroupEstimates {
  const analysis = analyseGroup(T, N, e, m);
  const estimates = Object.fromEntries(
    COMPARE_QUANTITIES.map((q) => [
      q,
      q === 'xi' ? { value: NaN, error: NaN } : { value: analysis[q].mean, error: analysis[q].error },
    ]),
  ) as Record<CompareQuantity, Estimate>;
  return { T, n: e.length, estimates };
}

/** Fills each group's xi from the correlation table of the same side (its rows are the same groups, in order). */
function withXi(groups: GroupEstimates[], correlation: CorrelationResult): GroupEstimates[] {
  const { columns, rows } = correlation.table;
  const [xi, xiErr] = [columns.indexOf('xi'), columns.indexOf('xi_err')];
  return groups.map((g, k) => ({
    ...g,
    estimates: { ...g.estimates, xi: { value: rows[k][xi] as number, error: rows[k][xiErr] as number } },
  }));
}

/** The comparison table from the group estimates of both sides and the pairing. */
export function compareTable(
  a: readonly GroupEstimates[],
  b: readonly GroupEstimates[],
  pairs: readonly [number, number][],
  labels: readonly [string, string],
): TableValue {
  const rows: (number | string)[][] = [];
  for (const [i, j] of pairs) {
    const ga = a[i];
    const gb = b[j];
    for (const q of COMPARE_QUANTITIES) {
      const ea = ga.estimates[q];
      const eb = gb.estimates[q];
      const { difference, sigmas } = differenceSigmas(ea, eb);
      rows.push([ga.T, gb.T, q, ea.value, ea.error, eb.value, eb.error, difference, sigmas]);
    }
  }
  return { type: 'table', columns: [...COMPARE_COLUMNS], rows, meta: { labels: [labels[0], labels[1]] } };
}

/** Sites processed between yields of the energy pass. */
const SITES_PER_STEP = 1 << 21;

/** Per-group estimates of one side, in steps: yields the fraction of this side done. */
function* sideSteps(spins: SpinsValue, g: SideGeometry): Generator<number, GroupEstimates[], void> {
  const e = new Float64Array(g.n);
  const m = new Float64Array(g.n);
  const chunk = Math.max(1, Math.floor(SITES_PER_STEP / g.N));
  for (let from = 0; from < g.n; from += chunk) {
    const to = Math.min(g.n, from + chunk);
    if (g.lattice) fillEnergyMagnetisation(spins, g.lattice, from, to, e, m);
    else fillMagnetisation(spins, g.N, from, to, e, m);
    yield (0.8 * to) / g.n;
  }
  const groups = groupByTemperature(spins.T);
  const out: GroupEstimates[] = [];
  for (let k = 0; k < groups.length; k++) {
    const { T, indices } = groups[k];
    out.push(groupEstimates(T, g.N, pick(e, indices), pick(m, indices)));
    yield 0.8 + (0.2 * (k + 1)) / groups.length;
  }
  return out;
}

/** Runs a sub-measurement, mapping its fractions into [from, to]. */
function* within<R>(steps: Generator<number, R, void>, from: number, to: number): Generator<number, R, void> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    yield from + (to - from) * Math.min(1, Math.max(0, step.value));
  }
}

/** m per spin of each sample of spins at positions; e is NaN (they have no bonds). */
function fillMagnetisation(spins: SpinsValue, N: number, from: number, to: number, e: Float64Array, m: Float64Array) {
  for (let i = from; i < to; i++) {
    let M = 0;
    for (let j = i * N; j < (i + 1) * N; j++) M += spins.data[j];
    m[i] = M / N;
    e[i] = NaN;
  }
}

/** C(r) and xi of one side, on its lattice or over its positions. */
function sideCorrelation(spins: SpinsValue, g: SideGeometry) {
  return g.lattice ? correlationSteps(spins) : pointCorrelationSteps(spins);
}

export interface CompareResult {
  table: TableValue;
  /** C(r) of each side: one curve per temperature group, with binning errors. */
  correlation: { a: SeriesValue; b: SeriesValue };
  geometry: { a: SideGeometry; b: SideGeometry };
}

/**
 * The comparison in steps: checks both sides and the pairing first (before any heavy work), then
 * yields the fraction done after each chunk, and returns the table and both C(r) series.
 */
export function* compareSteps(
  a: unknown,
  b: unknown,
  labels: readonly [string, string] = ['a', 'b'],
): Generator<number, CompareResult, void> {
  const ga = checkSide(a, 'a');
  const gb = checkSide(b, 'b');
  const spinsA = a as SpinsValue;
  const spinsB = b as SpinsValue;
  const pairs = pairGroups(groupByTemperature(spinsA.T), groupByTemperature(spinsB.T), labels);
  // Progress weights: the energy pass is ~N per sample, C(r) about four times that.
  const wa = ga.n * ga.N;
  const wb = gb.n * gb.N;
  const total = 5 * (wa + wb);
  const cuts = [0, wa, wa + wb, 5 * wa + wb, total].map((w) => w / total);
  const estA = yield* within(sideSteps(spinsA, ga), cuts[0], cuts[1]);
  const estB = yield* within(sideSteps(spinsB, gb), cuts[1], cuts[2]);
  const corrA = yield* within(sideCorrelation(spinsA, ga), cuts[2], cuts[3]);
  const corrB = yield* within(sideCorrelation(spinsB, gb), cuts[3], cuts[4]);
  return {
    table: compareTable(withXi(estA, corrA), withXi(estB, corrB), pairs, labels),
    correlation: { a: corrA.series, b: corrB.series },
    geometry: { a: ga, b: gb },
  };
}

/** The comparison, synchronously (see `compareSteps`). */
export function compareSpins(a: unknown, b: unknown, labels: readonly [string, string] = ['a', 'b']): CompareResult {
  const steps = compareSteps(a, b, labels);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
