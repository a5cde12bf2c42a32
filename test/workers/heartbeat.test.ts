import { afterEach, describe, expect, it } from 'vitest';
import type { TensorValue } from '../../src/graph/values';
import type { RunHooks } from '../../src/engine/execute';
import type { WorkerPool } from '../../src/workers/pool';
import { checkpointsNode } from '../helpers/worker-test-nodes';
import { sourceNode } from '../helpers/test-nodes';
import { testPool } from '../helpers/pool';
import { hangNode } from './watchdog-nodes';

function hooks(overrides: Partial<RunHooks> = {}): RunHooks {
  return { signal: new AbortController().signal, progress: () => {}, emit: () => {}, ...overrides };
}

const pools: WorkerPool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.dispose();
});
function pool(heartbeatTimeoutMs: number): WorkerPool {
  const made = testPool({ size: 1, heartbeatMs: 100, heartbeatTimeoutMs });
  pools.push(made);
  return made;
}

const source = { definition: sourceNode, inputs: {}, params: { value: 6, size: 2, tag: '' }, sources: {} };

describe('WorkerPool heartbeat', () => {
  it.each(['spin', 'freeze'] as const)(
    'fails a job whose worker stops answering (%s) within the timeout, and the next job runs on a new worker',
    async (how) => {
      const p = pool(1000);
      let started = NaN; // when the job runs in the worker (its worker has loaded)
      const progress = () => (started = performance.now());
      await expect(
        p.run({ definition: hangNode, inputs: {}, params: { how, afterMs: 100 }, sources: {} }, hooks({ progress })),
      ).rejects.toThrow('the worker running this node stopped responding (no heartbeat for 1 s); it was replaced');
      const waited = performance.now() - started;
      // it hangs 100 ms in; then 1 s of silence, noticed at the next 100 ms tick
      expect(waited).toBeGreaterThan(1000);
      expect(waited).toBeLessThan(2000);
      const out = await p.run(source, hooks());
      expect(Array.from((out.out as TensorValue).data)).toEqual([6, 6]);
      expect(p.workerCount).toBe(1);
    },
  );

  it('leaves a worker alone while its node runs long with checkpoints (each stretch well under the timeout)', async () => {
    const p = pool(600);
    // 40 busy stretches of 150 ms: 6 s in all, ten times the timeout
    const out = await p.run(
      { definition: checkpointsNode, inputs: {}, params: { steps: 40, ms: 150, seed: 3 }, sources: {} },
      hooks(),
    );
    expect((out.out as TensorValue).data.length).toBe(40);
  });

  it('does not count time this thread was blocked as the worker’s silence', async () => {
    const p = pool(800);
    let running: () => void = () => {};
    const inWorker = new Promise<void>((resolve) => (running = resolve));
    const run = p.run(
      { definition: checkpointsNode, inputs: {}, params: { steps: 40, ms: 50, seed: 1 }, sources: {} },
      hooks({ progress: () => running() }),
    );
    await inWorker;
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few heartbeats answered
    // This thread blocks for twice the timeout; the worker's answers wait in the queue meanwhile. From an
    // immediate, the overdue heartbeat timer is next in Node's loop, before those answers.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        const until = performance.now() + 1600;
        while (performance.now() < until) {
          // busy
        }
        resolve();
      }),
    );
    const out = await run;
    expect((out.out as TensorValue).data.length).toBe(40);
  });
});
