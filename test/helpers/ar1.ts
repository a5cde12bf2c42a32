/** Correlated test series with known statistics, built on the tests' own generator (mulberry32). */
import { mulberry32 } from './random';

/** Standard normal deviates (Box–Muller). */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * AR(1): x_t = a x_{t-1} + sqrt(1 - a^2) g_t, started in equilibrium, so var x = 1; its integrated
 * autocorrelation time is (1 + a) / (2 (1 - a)) and the variance of the mean of n points (1 + a) / (n (1 - a)).
 */
export function ar1(n: number, a: number, seed: number): Float64Array {
  const g = gaussian(mulberry32(seed));
  const x = new Float64Array(n);
  const s = Math.sqrt(1 - a * a);
  let v = g();
  for (let i = 0; i < n; i++) {
    v = a * v + s * g();
    x[i] = v;
  }
  return x;
}
