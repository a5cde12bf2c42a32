import Worker from 'web-worker';
import { WorkerPool, type PoolOptions } from './pool';

/** A pool of the app's workers; in Node, run with the tsx preload (see STACK.md). */
export function createAppPool(options: Omit<PoolOptions, 'spawn'> = {}): WorkerPool {
  return new WorkerPool({
    spawn: () => new Worker(new URL('./pool-worker.ts', import.meta.url), { type: 'module', name: 'blockspin-pool' }),
    ...options,
  });
}
