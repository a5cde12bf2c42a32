/**
 * How many threads an RBM trains on. `'auto'` takes a second thread on a machine with a second core, for
 * models large enough that the split pays (parallel.ts swaps the visible side at every Gibbs step): from
 * 256 x 256 weights up, measured on this project's 2-core machine (1.6x faster at 256 x 256, 1.3x at
 * 1600 x 400; 1.1x slower at 64 x 64). It depends on the machine, not on its load, so a graph gives the
 * same numbers on a machine wherever it runs (app or CLI); the model's training record names the count.
 */
export type ThreadsChoice = 'auto' | 1 | 2;

/** The smallest nv x nh that 'auto' trains on two threads. */
export const SPLIT_MIN_WEIGHTS = 256 * 256;

const NODE_OS = 'node:os'; // a variable specifier: the browser bundle must not resolve it

/** The machine's cores: navigator.hardwareConcurrency in a browser, os.availableParallelism() in Node. */
export async function machineCores(): Promise<number> {
  const browserCores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (browserCores) return browserCores;
  const os = (await import(/* @vite-ignore */ NODE_OS)) as typeof import('node:os');
  return os.availableParallelism();
}

/**
 * The threads an RBM trains on. On webgpu always one: the split swaps visible-side arrays through this
 * thread's memory at every Gibbs step, which the GPU would have to read back each time (`threads: 2` with
 * backend 'webgpu' is refused before it gets here; 'auto' gives 1).
 */
export function trainingThreads(
  choice: ThreadsChoice,
  nv: number,
  nh: number,
  cores: number,
  backend: string = 'wasm',
): 1 | 2 {
  if (backend === 'webgpu') {
    if (choice === 2) throw new Error("threads: 2 runs on wasm only; on backend 'webgpu' an RBM trains on one thread");
    return 1;
  }
  if (nh < 2) return 1;
  if (choice !== 'auto') return choice;
  return cores >= 2 && nv * nh >= SPLIT_MIN_WEIGHTS ? 2 : 1;
}
