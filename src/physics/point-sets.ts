/**
 * Spins at positions rather than on a lattice (`SpinsValue.sites`): an RBM's hidden units placed at
 * their receptive fields' centroids. They have no bonds, so energy and block spins are not defined for
 * them; C(r), the second-moment xi and the magnetisation are (point-correlation.ts, compare.ts).
 */
import type { SiteLayout, SpinsValue } from '../graph/values';

export interface PointSetGeometry {
  /** Number of samples. */
  n: number;
  /** Spins per sample. */
  units: number;
  sites: SiteLayout;
}

/** Whether a spins value is a point set (has `sites`). */
export function isPointSet(spins: SpinsValue): boolean {
  return spins.sites !== undefined;
}

/** Checks a point-set spins value (shape, ±1 data, temperatures, positions) and returns its geometry. */
export function pointSetGeometry(spins: SpinsValue, what = 'spins'): PointSetGeometry {
  const sites = spins.sites;
  if (!sites) throw new Error(`${what}: expected spins with positions (sites)`);
  const shape = spins.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${what}: spins with positions have shape [n, units], got ${JSON.stringify(shape)}`);
  }
  const [n, units] = shape;
  if (!(spins.data instanceof Int8Array) || spins.data.length !== n * units) {
    throw new Error(`${what}: shape [${n}, ${units}] needs an Int8Array of ${n * units} spins`);
  }
  if (!(spins.T instanceof Float64Array) || spins.T.length !== n) {
    throw new Error(`${what}: T must be a Float64Array with one temperature per sample (${n})`);
  }
  const { dim, L, positions, spacing } = sites;
  if ((dim !== 1 && dim !== 2) || !Number.isInteger(L) || L < 2) {
    throw new Error(`${what}: sites must be on a periodic lattice with dim 1 or 2 and L >= 2, got dim ${dim}, L ${L}`);
  }
  if (!(positions instanceof Float64Array) || positions.length !== units * dim) {
    throw new Error(`${what}: sites need ${units * dim} coordinates (${units} units in ${dim}D)`);
  }
  for (let i = 0; i < positions.length; i++) {
    if (!(positions[i] >= 0 && positions[i] < L)) {
      throw new Error(`${what}: unit ${Math.floor(i / dim)} has coordinate ${positions[i]}, outside [0, ${L})`);
    }
  }
  if (!(spacing > 0 && Number.isFinite(spacing)))
    throw new Error(`${what}: sites need a positive spacing, got ${spacing}`);
  for (let i = 0; i < spins.data.length; i++) {
    const s = spins.data[i];
    if (s !== 1 && s !== -1) {
      throw new Error(`${what}: sample ${Math.floor(i / units)}, unit ${i % units} has value ${s}; spins must be ±1`);
    }
  }
  return { n, units, sites };
}

/** The error for a measurement that needs a lattice and was given a point set. */
export function pointSetRefusal(what: string): Error {
  return new Error(
    `${what}: these spins sit at positions (an RBM's hidden units at their receptive fields' centroids), not on a ` +
      `lattice: they have no bonds, so energy, block spins and MCRG are not defined for them; Correlation and Compare measure them`,
  );
}
