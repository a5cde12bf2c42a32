/** Small timing helpers for `npm run bench` (a benchmark, not a test: nothing here asserts). */

export interface BenchResult {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** What was measured and how, in a few words. */
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` `repeats` times after `warmup` runs and returns each time in ms. */
export async function timeRepeats(
  fn: () => unknown | Promise<unknown>,
  repeats: number,
  warmup = 2,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}
