/** The CLI's worker pools: one worker trains (a training lasts minutes), the others take the short heavy jobs. */
import { availableParallelism } from 'node:os';
import type { Executor } from '../engine/execute';
import type { Lane } from '../graph/node-definition';
import { createAppPool } from '../workers/app-pool';

export interface CliPools {
  heavyExecutor: Executor;
  laneExecutors: Partial<Record<Lane, Executor>>;
  dispose(): void;
}

/** The main thread only waits in the CLI, so the pools together take every core. */
export function createCliPools(workers = Math.max(1, availableParallelism() - 1)): CliPools {
  const pool = createAppPool({ size: workers });
  const training = createAppPool({ size: 1 });
  return {
    heavyExecutor: pool.executor,
    laneExecutors: { training: training.executor },
    dispose: () => {
      pool.dispose();
      training.dispose();
    },
  };
}
