/**
 * Where two measured curves over the same temperatures cross (e.g. Binder cumulants U_L(T) of two lattice
 * sizes, which cross near Tc at U*), with error bars.
 *
 * The crossing is the first sign change of d(T) = a(T) - b(T), by linear interpolation between the two
 * bracketing temperatures: T* = T0 + f (T1 - T0), f = d0 / (d0 - d1), and the curves' value there
 * U* = a0 + f (a1 - a0). Errors by linear propagation of the four bracketing points' standard errors, taken
 * independent (each point is its own Monte Carlo run; for a Binder cumulant its jackknife error,
 * `binder_err`): sigma_T^2 = (T1 - T0)^2 (d1^2 sigma_d0^2 + d0^2 sigma_d1^2) / (d0 - d1)^4, with
 * sigma_di^2 = sigma_ai^2 + sigma_bi^2. The interpolation's own bias (curvature over T1 - T0) is not in the
 * error.
 *
 * Pure functions on arrays; nothing of the app is imported here.
 */

export interface Curve {
  /** Temperatures, the same for both curves, in increasing or decreasing order. */
  T: readonly number[];
  y: readonly number[];
  err: readonly number[];
}

export interface Crossing {
  T: number;
  TErr: number;
  /** The curves' common value at the crossing. */
  y: number;
  yErr: number;
  /** The index i of the bracket [i - 1, i]. */
  index: number;
}

/** The first crossing of curves a and b (see the module comment); null when d never changes sign. */
export function curveCrossing(a: Curve, b: Curve): Crossing | null {
  const n = a.T.length;
  if (b.T.length !== n || a.y.length !== n || b.y.length !== n || a.err.length !== n || b.err.length !== n) {
    throw new Error('curveCrossing: the curves must have the same temperatures, values and errors');
  }
  for (let i = 1; i < n; i++) {
    if (a.T[i] !== b.T[i] || a.T[i - 1] !== b.T[i - 1]) {
      throw new Error(`curveCrossing: the curves differ in temperature at index ${a.T[i] !== b.T[i] ? i : i - 1}`);
    }
    const d0 = a.y[i - 1] - b.y[i - 1];
    const d1 = a.y[i] - b.y[i];
    if (!(Math.sign(d0) !== Math.sign(d1) || d1 === 0)) continue;
    const [T0, T1] = [a.T[i - 1], a.T[i]];
    const [a0, a1] = [a.y[i - 1], a.y[i]];
    const [sa0, sa1, sb0, sb1] = [a.err[i - 1], a.err[i], b.err[i - 1], b.err[i]];
    const D = d0 - d1;
    const f = d0 / D;
    const dT = T1 - T0;
    const sd0 = Math.hypot(sa0, sb0);
    const sd1 = Math.hypot(sa1, sb1);
    // df/dd0 = -d1 / D^2, df/dd1 = d0 / D^2.
    const fErr = Math.hypot(d1 * sd0, d0 * sd1) / (D * D);
    // y = a0 + f (a1 - a0) = a0 (1 - f) + a1 f; d0 = a0 - b0, d1 = a1 - b1:
    // dy/da0 = (1 - f) + (a1 - a0) df/dd0, dy/da1 = f + (a1 - a0) df/dd1,
    // dy/db0 = -(a1 - a0) df/dd0, dy/db1 = -(a1 - a0) df/dd1.
    const slope = a1 - a0;
    const fd0 = -d1 / (D * D);
    const fd1 = d0 / (D * D);
    const yErr = Math.sqrt(
      ((1 - f + slope * fd0) * sa0) ** 2 +
        ((f + slope * fd1) * sa1) ** 2 +
        (slope * fd0 * sb0) ** 2 +
        (slope * fd1 * sb1) ** 2,
    );
    return { T: T0 + f * dT, TErr: Math.abs(dT) * fErr, y: a0 + f * slope, yErr, index: i };
  }
  return null;
}
