/**
 * The CLI's worker pools: one worker trains (a training lasts minutes), the others take the short heavy jobs
 * and the parts of those that split (NodeDefinition.fanOut), one part per worker.
 */
import { availableParallelism } from 'node:os';
import type { Executor } from '../engine/execute';
import type { Lane } from '../graph/node-definition';
import { createAppPool } from '../workers/app-pool';

export interface CliPools {
  heavyExecutor: Executor;
  laneExecutors: Partial<Record<Lane, Executor>>;
  parallelParts: number;
  dispose(): void;
}

/**
 * The main thread only waits in the CLI, so the short jobs get a worker per core. Beside a training that
 * makes one thread more than cores while they run, which the OS shares out; a core left idle for the whole
 * run, as with cores - 1, is the larger loss (a 2-temperature lattice on 2 cores: 1.94x the time of one).
 */
export function createCliPools(workers = availableParallelism()): CliPools {
  const pool = createAppPool({ size: workers });
  const training = createAppPool({ size: 1 });
  return {
    heavyExecutor: pool.executor,
    laneExecutors: { training: training.executor },
    parallelParts: pool.size,
    dispose: () => {
      pool.dispose();
      training.dispose();
    },
  };
}
