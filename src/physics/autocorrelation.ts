/**
 * Integrated autocorrelation times of Monte Carlo time series, and a thermalisation diagnostic.
 *
 * tau_int = 1/2 + sum_{t=1}^{W} rho(t), with rho(t) = C(t) / C(0) the normalised autocorrelation function,
 * C(t) = 1/n sum_{i=0}^{n-t-1} (x_i - mean)(x_{i+t} - mean), and Sokal's self-consistent window: W is the
 * smallest window with W >= c tau_int(W), c = 6 (A. Sokal, "Monte Carlo methods in statistical mechanics",
 * Cargèse lectures 1996; Madras & Sokal, J. Stat. Phys. 50, 109 (1988)). For an exponential decay the
 * window's truncation bias is about exp(-c) relative, and the statistical error is
 * var(tau) ≈ 2 (2W + 1) / n tau^2. The error of the mean is then sigma sqrt(2 tau / n).
 *
 * Cost: O(n W), each lag one pass over the series, stopping at the window; no FFT. The window may not pass
 * n / 4 (a longer one says the series is too short for its autocorrelation time): then `converged` is
 * false and tau is the sum up to n / 4, a lower bound.
 *
 * Pure functions on arrays; nothing of the app is imported here.
 */
import { binningAnalysis } from './binning';

/** Sokal's window factor: the window is the smallest W with W >= SOKAL_C tau(W). */
export const SOKAL_C = 6;

export interface AutocorrelationTime {
  /** Integrated autocorrelation time in units of the series' steps (0.5 for independent points). */
  tau: number;
  /** Its statistical error, tau sqrt(2 (2W + 1) / n) (Madras–Sokal). */
  error: number;
  /** The window W the sum stopped at. */
  window: number;
  /** Whether the self-consistent window was found within n / 4 lags. */
  converged: boolean;
}

/**
 * The integrated autocorrelation time of `series` (in its order) with Sokal's self-consistent window.
 * NaN for fewer than 2 points or a constant series (the autocorrelation function is undefined there).
 */
export function integratedAutocorrelation(series: ArrayLike<number>, c = SOKAL_C): AutocorrelationTime {
  const n = series.length;
  const none = { tau: NaN, error: NaN, window: 0, converged: false };
  if (n < 2) return none;
  const x = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += series[i];
  mean /= n;
  let c0 = 0;
  for (let i = 0; i < n; i++) {
    const d = series[i] - mean;
    x[i] = d;
    c0 += d * d;
  }
  if (!(c0 > 0)) return none;
  const maxWindow = Math.max(1, Math.floor(n / 4));
  let tau = 0.5;
  for (let t = 1; t <= maxWindow; t++) {
    let ct = 0;
    for (let i = 0, j = t; j < n; i++, j++) ct += x[i] * x[j];
    tau += ct / c0;
    if (t >= c * tau) return { tau, error: tau * Math.sqrt((2 * (2 * t + 1)) / n), window: t, converged: true };
  }
  return { tau, error: tau * Math.sqrt((2 * (2 * maxWindow + 1)) / n), window: maxWindow, converged: false };
}

export interface Drift {
  /** Mean of the last third minus the mean of the first third, in standard errors of that difference. */
  sigma: number;
  /** The two means and their standard errors (binning analysis of each third). */
  first: { mean: number; error: number };
  last: { mean: number; error: number };
}

/**
 * Thermalisation diagnostic: (mean of the last third - mean of the first third) / sqrt(err_first^2 +
 * err_last^2), each third's error by binning (binning.ts). Signed: for an energy series started ordered
 * (cold) and still relaxing, it is positive; started random (hot), negative. |sigma| well above 3 says
 * the chain was still drifting. NaN for fewer than 6 points or when both thirds are constant.
 */
export function thirdsDrift(series: ArrayLike<number>): Drift {
  const n = series.length;
  const third = Math.floor(n / 3);
  if (third < 2) return { sigma: NaN, first: { mean: NaN, error: NaN }, last: { mean: NaN, error: NaN } };
  const all = Float64Array.from(series);
  const part = (from: number) => {
    const b = binningAnalysis(all.subarray(from, from + third));
    return { mean: b.mean, error: b.error };
  };
  const first = part(0);
  const last = part(n - third);
  const denominator = Math.hypot(first.error, last.error);
  const difference = last.mean - first.mean;
  const sigma = denominator > 0 ? difference / denominator : difference === 0 ? NaN : Math.sign(difference) * Infinity;
  return { sigma, first, last };
}

/** Above this |drift_sigma| a series counts as not thermalised. */
export const DRIFT_WARNING_SIGMA = 3;
