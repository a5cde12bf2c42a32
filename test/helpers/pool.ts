import Worker from 'web-worker';
import { WorkerPool, type PoolOptions } from '../../src/workers/pool';

export function testPool(options: Partial<PoolOptions> = {}): WorkerPool {
  return new WorkerPool({
    spawn: () => new Worker(new URL('../workers/test-worker.ts', import.meta.url), { type: 'module' }),
    size: 1,
    readyTimeoutMs: 30_000,
    cancelGraceMs: 500,
    ...options,
  });
}

export function brokenPool(options: Partial<PoolOptions> = {}): WorkerPool {
  return new WorkerPool({
    spawn: () => new Worker(new URL('../workers/broken-worker.ts', import.meta.url), { type: 'module' }),
    size: 1,
    readyTimeoutMs: 3_000,
    ...options,
  });
}
