/**
 * Effective temperatures along a flow (block-spin RG levels, or iterations of an RBM's v -> h -> v' map).
 * Each configuration set is measured by its nearest-neighbour energy per spin and mapped to the temperature
 * at which the exact Ising energy of the same lattice equals it: Kaufman's finite-L curve in 2D (so the
 * small coarse lattices are not compared with the infinite system), the periodic chain of the same N,
 * e = -J (t + t^(N-1)) / (1 + t^N) with t = tanh(J/T), in 1D. That is the proxy PHYSICS.md names for "the temperature of block spins": the coarse
 * configurations are not exactly Boltzmann-distributed at any T, but their energy says where they sit.
 */
import type { SeriesValue, SpinsValue } from '../graph/values';
import { binningAnalysis } from './binning';
import { chainEnergy, effectiveTemperatureFromEnergy, EFFECTIVE_T_MAX, EFFECTIVE_T_MIN, TC } from './exact';
import { energyMagnetisation, groupByTemperature, pick, spinsGeometry } from './observables';

/** One starting temperature's measurement at one step of a flow. */
export interface FlowPoint {
  /** The temperature the configurations were drawn at (their label), before any flow step. */
  T0: number;
  /** Lattice side at this step. */
  L: number;
  /** Nearest-neighbour energy per spin (h ignored) and its standard error by binning. */
  e: number;
  eErr: number;
  /** The temperature whose exact energy is e; NaN when e is outside the exact curve's range. */
  Teff: number;
  /** Half the spread of Teff over e ± eErr (NaN where either end leaves the curve). */
  TeffErr: number;
}

/**
 * T at which the exact energy per spin of a periodic chain of N spins, -J (t + t^(N-1)) / (1 + t^N),
 * t = tanh(J/T), equals e (1D), by bisection within the same bounds as 2D (NaN outside them, and at e = -J,
 * T = 0 exactly). The chain's own N matters: decimation leaves short chains, and inverting the infinite
 * chain's -J tanh(J/T) instead puts an N = 8 chain at T = 1 at 0.87.
 */
function chainTemperature(e: number, N: number, J: number): number {
  if (!Number.isFinite(e)) return NaN;
  const u = (T: number) => chainEnergy(N, T, J);
  let lo = EFFECTIVE_T_MIN;
  let hi = EFFECTIVE_T_MAX;
  if (!(e > u(lo) && e <= u(hi))) return NaN;
  for (let iter = 0; iter < 200 && hi - lo > 1e-15 * hi; iter++) {
    const mid = Math.sqrt(lo * hi);
    if (mid <= lo || mid >= hi) break;
    if (u(mid) < e) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function effectiveTemperature(e: number, dim: 1 | 2, L: number, J: number): number {
  return dim === 1 ? chainTemperature(e, L, J) : effectiveTemperatureFromEnergy(e, L, J);
}

/**
 * The flow point of every temperature group of `spins` (order of first appearance). The energy counts
 * only the bonds (J from the meta, h = 0): a field would not be renormalised the same way by the flows.
 */
export function measureFlowPoints(spins: SpinsValue, what = 'spins'): FlowPoint[] {
  const g = spinsGeometry(spins, what);
  const { e } = energyMagnetisation({ ...spins, meta: { ...spins.meta, h: 0 } });
  return groupByTemperature(spins.T).map(({ T, indices }) => {
    const r = binningAnalysis(pick(e, indices));
    const Teff = effectiveTemperature(r.mean, g.dim, g.L, g.J);
    const lo = effectiveTemperature(r.mean - r.error, g.dim, g.L, g.J);
    const hi = effectiveTemperature(r.mean + r.error, g.dim, g.L, g.J);
    return { T0: T, L: g.L, e: r.mean, eErr: r.error, Teff, TeffErr: (hi - lo) / 2 };
  });
}

function label(T0: number): string {
  return Number.isNaN(T0) ? 'T₀ unknown' : `T₀ = ${Number(T0.toPrecision(4))}`;
}

/**
 * The flow as a series: x = step (0 = the input), one curve per starting temperature with its effective
 * temperature and error; in 2D a flat `T_c` curve as the reference both flows are judged against.
 * meta.points keeps every FlowPoint, step by step.
 */
export function flowSeries(steps: FlowPoint[][], dim: 1 | 2, xLabel: string, J = 1): SeriesValue {
  const starts = steps[0]?.map((p) => p.T0) ?? [];
  const curves: SeriesValue['curves'] = starts.map((T0, i) => ({
    name: label(T0),
    y: steps.map((points) => points[i]?.Teff ?? NaN),
    err: steps.map((points) => points[i]?.TeffErr ?? NaN),
    style: 'line+points',
  }));
  if (dim === 2) curves.push({ name: 'T_c (exact)', y: steps.map(() => TC * J), style: 'line', guide: true });
  return {
    type: 'series',
    x: steps.map((_, step) => step),
    xLabel,
    yLabel: 'effective temperature',
    curves,
    meta: {
      estimator:
        dim === 2
          ? 'nearest-neighbour energy inverted through the exact finite-L energy'
          : 'energy inverted through the exact periodic chain of the same N, e = -J (t + t^(N-1)) / (1 + t^N)',
      points: steps,
    },
  };
}
