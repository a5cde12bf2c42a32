/**
 * C(r) and the second-moment correlation length of spins at positions (point-sets.ts): an RBM's hidden
 * units at their receptive fields' centroids, measured the way correlation.ts measures a lattice, in
 * units of the points' mean spacing a, so that they stand beside block spins (whose spacing is b).
 *
 * - C(r) = <s_i s_j> over the pairs displaced along a lattice axis, as on the lattice: in bin r when their
 *   periodic separation along some axis, in spacings, rounds to r and the separation across it is below
 *   a / 2 (1D: the separation rounds to r). r = 0..maxR with maxR = floor(L / 2a); r = 0 holds every unit
 *   with itself and any pairs closer than a / 2 on every axis. For points on a lattice of spacing a this is
 *   exactly correlation.ts's C(r) of that lattice. A bin no pair falls in is NaN. Up to MAX_PAIRS pairs are
 *   looked at: all of them up to about 2,000 units, else every k-th (in i < j order). Errors by binning
 *   over the per-sample values.
 * - xi = sqrt(chi / F - 1) / (2 sin(pi a / L)) with chi = S(0) = <M^2> / units and
 *   F = S(k_min) = <|sum_j s_j exp(i k_min . x_j)|^2> / units averaged over the axes, k_min = 2 pi / L:
 *   the lattice estimator with L / a sites per side. For points on a lattice of spacing a it is exactly
 *   correlation.ts's xi of that lattice. Error: jackknife over bins of (S(0), F).
 */
import type { SpinsValue } from '../graph/values';
import { BinningAccumulator, jackknifeBinned } from './binning';
import { secondMomentXi, temperatureNames, type CorrelationOptions, type CorrelationResult } from './correlation';
import { groupByTemperature } from './observables';
import { pointSetGeometry } from './point-sets';

/** Most pairs C(r) is summed over per sample. */
export const MAX_PAIRS = 1 << 21;

/** Pair-operations between yields. */
const WORK_PER_STEP = 1 << 22;

interface PairBins {
  /** The pairs (first[p], second[p]), grouped by bin: bin r holds p in [start[r], start[r + 1]). */
  first: Int32Array;
  second: Int32Array;
  start: Int32Array;
}

/** Periodic separation of units i and j along axis `axis`. */
function separation(positions: Float64Array, dim: number, L: number, i: number, j: number, axis: number): number {
  const d = Math.abs(positions[i * dim + axis] - positions[j * dim + axis]);
  return d > L / 2 ? L - d : d;
}

/** The bin of a pair (see the module comment), or -1 when it is not displaced along an axis. */
function pairBin(positions: Float64Array, dim: number, L: number, spacing: number, i: number, j: number): number {
  const along = separation(positions, dim, L, i, j, 0) / spacing;
  if (dim === 1) return Math.round(along);
  const across = separation(positions, dim, L, i, j, 1) / spacing;
  if (across < 0.5) return Math.round(along);
  if (along < 0.5) return Math.round(across);
  return -1;
}

function pairBins(
  positions: Float64Array,
  dim: number,
  L: number,
  spacing: number,
  units: number,
  maxR: number,
): PairBins {
  const total = (units * (units - 1)) / 2;
  const stride = Math.max(1, Math.ceil(total / MAX_PAIRS));
  const bins: number[][] = Array.from({ length: maxR + 1 }, () => []);
  let counter = 0;
  for (let i = 0; i < units; i++) {
    for (let j = i + 1; j < units; j++) {
      if (counter++ % stride !== 0) continue;
      const r = pairBin(positions, dim, L, spacing, i, j);
      if (r >= 0 && r <= maxR) bins[r].push(i, j);
    }
  }
  const count = bins.reduce((sum, b) => sum + b.length / 2, 0);
  const first = new Int32Array(count);
  const second = new Int32Array(count);
  const start = new Int32Array(maxR + 2);
  let p = 0;
  for (let r = 0; r <= maxR; r++) {
    start[r] = p;
    for (let q = 0; q < bins[r].length; q += 2, p++) {
      first[p] = bins[r][q];
      second[p] = bins[r][q + 1];
    }
  }
  start[maxR + 1] = p;
  return { first, second, start };
}

/** The largest distance in spacings, checked against the points' lattice (floor(L / 2a) by default). */
function resolvePointMaxR(maxR: number | undefined, L: number, spacing: number): number {
  const half = Math.floor(L / (2 * spacing));
  if (maxR === undefined) return half;
  if (!Number.isInteger(maxR) || maxR < 0) throw new Error(`maxR must be a non-negative integer, got ${maxR}`);
  if (maxR > half) {
    throw new Error(
      `maxR = ${maxR} is more than L / 2a = ${half} (L = ${L}, spacing a = ${+spacing.toPrecision(4)}): ` +
        `distances are periodic`,
    );
  }
  return maxR;
}

/** C(r) and xi of point-set spins in steps (see the module comment): yields the fraction done. */
export function* pointCorrelationSteps(
  spins: SpinsValue,
  options: Pick<CorrelationOptions, 'maxR'> = {},
): Generator<number, CorrelationResult, void> {
  const { n, units, sites } = pointSetGeometry(spins);
  const { dim, L, positions, spacing } = sites;
  const maxR = resolvePointMaxR(options.maxR, L, spacing);
  const bins = pairBins(positions, dim, L, spacing, units, maxR);
  const selfPairs = units;
  const cos = Float64Array.from(positions, (x) => Math.cos((2 * Math.PI * x) / L));
  const sin = Float64Array.from(positions, (x) => Math.sin((2 * Math.PI * x) / L));
  const chunk = Math.max(1, Math.floor(WORK_PER_STEP / (bins.first.length + 2 * units * dim)));
  const groups = groupByTemperature(spins.T);
  const names = temperatureNames(groups.map((g) => g.T));
  const curves: CorrelationResult['series']['curves'] = [];
  const rows: number[][] = [];
  const plateau: boolean[] = [];
  const c = new Float64Array(maxR + 1);
  const pairCounts = Array.from({ length: maxR + 1 }, (_, r) => bins.start[r + 1] - bins.start[r]);
  const data = spins.data;
  let done = 0;
  for (const { T, indices } of groups) {
    const acc = new BinningAccumulator(maxR + 1);
    const s0 = new Float64Array(indices.length);
    const f = new Float64Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const offset = indices[k] * units;
      for (let r = 0; r <= maxR; r++) {
        let sum = 0;
        for (let p = bins.start[r]; p < bins.start[r + 1]; p++)
          sum += data[offset + bins.first[p]] * data[offset + bins.second[p]];
        const pairs = pairCounts[r];
        c[r] = r === 0 ? (selfPairs + 2 * sum) / (selfPairs + 2 * pairs) : pairs > 0 ? sum / pairs : 0;
      }
      acc.push(c);
      let M = 0;
      let F = 0;
      for (let a = 0; a < dim; a++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < units; j++) {
          const s = data[offset + j];
          re += s * cos[j * dim + a];
          im += s * sin[j * dim + a];
        }
        F += re * re + im * im;
      }
      for (let j = 0; j < units; j++) M += data[offset + j];
      s0[k] = (M * M) / units;
      f[k] = F / (dim * units);
      if (++done % chunk === 0 && done < n) yield done / n;
    }
    const y: number[] = [];
    const err: number[] = [];
    let allPlateau = true;
    for (let r = 0; r <= maxR; r++) {
      const b = acc.result(r);
      const empty = r > 0 && pairCounts[r] === 0;
      y.push(empty ? NaN : b.mean);
      err.push(empty ? NaN : b.error);
      if (r > 0 && !empty && !b.plateau) allPlateau = false;
    }
    curves.push({ name: names[curves.length], y, err });
    const xi = jackknifeBinned([s0, f], ([chi, F]) => secondMomentXi(chi, F, L / spacing));
    rows.push([T, L, indices.length, xi.mean, xi.error, spacing]);
    plateau.push(allPlateau);
  }
  const temperatures = groups.map((g) => g.T);
  return {
    series: {
      type: 'series',
      x: Array.from({ length: maxR + 1 }, (_, r) => r),
      xLabel: 'r / a',
      yLabel: 'C(r)',
      curves,
      meta: { dim, L, spacing, T: temperatures, plateau, pairs: pairCounts },
    },
    table: {
      type: 'table',
      columns: ['T', 'L', 'n', 'xi', 'xi_err', 'spacing'],
      rows,
      meta: { dim, L, spacing, maxR, units, pairs: pairCounts },
    },
  };
}
