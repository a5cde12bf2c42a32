/**
 * Where an RBM's hidden units sit on the visible lattice, so that its hidden spins can be measured like a
 * coarse lattice (C(r), the second-moment xi) and set beside block spins.
 *
 * - Position: the centroid of the unit's receptive field (its column of W, composed down a stack) on the
 *   torus. Per axis it is the circular mean of the site coordinates weighted by w²,
 *   x = L/2π · atan2(Σ w² sin θ, Σ w² cos θ) with θ = 2π x_site / L, the mean that respects periodicity
 *   (a field across the boundary is not placed mid-lattice). w² rather than |w|: a trained field has small
 *   weights everywhere, and squaring keeps them from pulling the centroid off the field's peak.
 * - Spread: the circular standard deviation L/2π · sqrt(-2 ln R) per axis (R the mean resultant length),
 *   combined over axes as a root sum of squares: about a local field's radius, and large (Infinity for
 *   R = 0) for a field spread over the lattice, whose centroid means nothing.
 * - Orientation: the sign of Σ w. An RBM is free to learn a unit either way round (h → 1 - h with
 *   W → -W is the same model), so a unit with a negative field is on where its region is down; its spin
 *   is counted flipped, so every hidden spin points with its region.
 * - Spacing: L / units^(1/dim), the mean distance between units, the unit of the hidden spins' C(r) and xi.
 *
 * The visible lattice is read from the bottom layer's visible shape: [L] is a chain, [L, L] a square
 * lattice, and an exact Ising RBM's [L/2] or [L, L/2] (rbm.exact-ising) its odd sublattice.
 */
import type { RbmValue } from '../graph/values';
import { isingSublattices } from './ising-rbm';
import { composedWeights } from './receptive-fields';
import { stackOf } from './sample';

/** The lattice under a model's visible units, and every visible unit's site coordinates on it. */
export interface VisibleSites {
  dim: 1 | 2;
  L: number;
  /** nv x dim coordinates: x (1D), or row, column (2D). */
  coords: Float64Array;
}

export interface HiddenGeometry {
  dim: 1 | 2;
  L: number;
  /** units x dim centroid coordinates in [0, L), in the visible lattice's units. */
  positions: Float64Array;
  /** Circular spread of each unit's field (see the module comment), in lattice units. */
  spread: Float64Array;
  /** +1 or -1: the orientation of each unit (the sign of its field's sum). */
  sign: Int8Array;
  spacing: number;
}

/** The visible lattice of the bottom layer of `model`'s stack; a clear error where it is not one. */
export function visibleSites(model: RbmValue): VisibleSites {
  const layers = stackOf(model);
  const bottom = layers[layers.length - 1];
  const shape = bottom.visibleShape;
  const exact = bottom.training?.exact === true;
  if (exact) {
    const dim = bottom.training.dim as 1 | 2;
    const L = bottom.training.L as number;
    const { visible } = isingSublattices(dim, L);
    const coords = new Float64Array(visible.length * dim);
    for (let k = 0; k < visible.length; k++) {
      if (dim === 1) coords[k] = visible[k];
      else {
        coords[2 * k] = Math.floor(visible[k] / L);
        coords[2 * k + 1] = visible[k] % L;
      }
    }
    return { dim, L, coords };
  }
  if (shape.length === 1 && shape[0] >= 2) {
    return { dim: 1, L: shape[0], coords: Float64Array.from({ length: shape[0] }, (_, k) => k) };
  }
  if (shape.length === 2 && shape[0] === shape[1] && shape[0] >= 2) {
    const L = shape[0];
    const coords = new Float64Array(2 * L * L);
    for (let k = 0; k < L * L; k++) {
      coords[2 * k] = Math.floor(k / L);
      coords[2 * k + 1] = k % L;
    }
    return { dim: 2, L, coords };
  }
  throw new Error(
    `the model's visible shape [${shape.join(', ')}] is not a periodic chain [L] or square lattice [L, L], ` +
      `so its hidden units have no positions on it`,
  );
}

/** Positions, spreads and orientations of the top layer's hidden units (see the module comment). */
export function hiddenGeometry(model: RbmValue): HiddenGeometry {
  const { dim, L, coords } = visibleSites(model);
  const { values, nv, shown: units } = composedWeights(model, model.nh);
  if (nv * dim !== coords.length) {
    throw new Error(
      `the model has ${nv} visible units at the bottom, but its visible lattice has ${coords.length / dim}`,
    );
  }
  const positions = new Float64Array(units * dim);
  const spread = new Float64Array(units);
  const sign = new Int8Array(units);
  const cos = Float64Array.from(coords, (x) => Math.cos((2 * Math.PI * x) / L));
  const sin = Float64Array.from(coords, (x) => Math.sin((2 * Math.PI * x) / L));
  for (let j = 0; j < units; j++) {
    let total = 0;
    let weight = 0;
    const c = new Float64Array(dim);
    const s = new Float64Array(dim);
    for (let i = 0; i < nv; i++) {
      const w = values[i * units + j];
      total += w;
      weight += w * w;
      for (let a = 0; a < dim; a++) {
        c[a] += w * w * cos[i * dim + a];
        s[a] += w * w * sin[i * dim + a];
      }
    }
    let variance = 0;
    for (let a = 0; a < dim; a++) {
      const angle = Math.atan2(s[a], c[a]);
      positions[j * dim + a] = ((((angle / (2 * Math.PI)) * L) % L) + L) % L;
      const R = weight > 0 ? Math.hypot(c[a], s[a]) / weight : 0;
      // R below rounding (a field spread evenly along the axis) has no direction: infinite spread.
      variance += R > 1e-9 ? -2 * Math.log(Math.min(1, R)) : Infinity;
    }
    spread[j] = (L / (2 * Math.PI)) * Math.sqrt(variance);
    sign[j] = total < 0 ? -1 : 1;
  }
  return { dim, L, positions, spread, sign, spacing: L / Math.pow(units, 1 / dim) };
}
