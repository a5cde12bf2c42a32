/** Pausing a job that runs in a worker: it waits at its next checkpoint, in the worker, until resumed. */
import { ReplaySubject, filter, firstValueFrom } from 'rxjs';
import Worker from 'web-worker';
import { afterEach, describe, expect, it } from 'vitest';
import { runInThread, type RunHooks, type RunRequest } from '../../src/engine/execute';
import type { TensorValue } from '../../src/graph/values';
import { WorkerPool, type PoolOptions } from '../../src/workers/pool';
import { checkpointsNode } from '../helpers/worker-test-nodes';

const STEPS = 60;
const STEP_MS = 10;
const request = (steps = STEPS, ms = STEP_MS): RunRequest => ({
  definition: checkpointsNode,
  inputs: {},
  params: { steps, ms, seed: 7 },
  sources: {},
});

/** What the pool reports for a job: each progress fraction, and each time the worker says it is held. */
type JobEvent = { kind: 'progress'; fraction: number } | { kind: 'held'; count: number };

/** Stands in for the engine's pause: a switch, pushed to whoever listens (RunHooks.onPauseChange). */
class PauseSwitch {
  private paused = false;
  readonly listeners = new Set<(paused: boolean) => void>();
  set(paused: boolean): void {
    this.paused = paused;
    for (const listener of [...this.listeners]) listener(paused);
  }
  onPauseChange = (listener: (paused: boolean) => void): (() => void) => {
    this.listeners.add(listener);
    listener(this.paused);
    return () => this.listeners.delete(listener);
  };
}

function watchedHooks(pause: PauseSwitch, signal = new AbortController().signal) {
  const events = new ReplaySubject<JobEvent>();
  const progress: number[] = [];
  let held = 0;
  const hooks: RunHooks = {
    signal,
    progress: (fraction) => {
      progress.push(fraction);
      events.next({ kind: 'progress', fraction });
    },
    emit: () => {},
    held: () => {
      events.next({ kind: 'held', count: ++held });
      return undefined;
    },
    onPauseChange: pause.onPauseChange,
  };
  const next = (test: (event: JobEvent) => boolean) => firstValueFrom(events.pipe(filter(test)));
  return {
    hooks,
    progress,
    /** The worker's next report that the job is held (not one from an earlier pause). */
    held: () => {
      const before = held;
      return next((e) => e.kind === 'held' && e.count > before);
    },
    progressAtLeast: (fraction: number) => next((e) => e.kind === 'progress' && e.fraction >= fraction),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const data = (outputs: Record<string, unknown>) => Array.from((outputs.out as TensorValue).data);

let spawned = 0;
const pools: WorkerPool[] = [];
function pool(options: Partial<PoolOptions> = {}): WorkerPool {
  const created = new WorkerPool({
    spawn: () => {
      spawned++;
      return new Worker(new URL('./test-worker.ts', import.meta.url), { type: 'module' });
    },
    size: 1,
    readyTimeoutMs: 30_000,
    // Long, so that a job which does not stop by itself would hold its worker: the tests would see it.
    cancelGraceMs: 20_000,
    ...options,
  });
  pools.push(created);
  return created;
}
afterEach(() => {
  for (const p of pools.splice(0)) p.dispose();
  spawned = 0;
});

/** The result of the same request run straight through, in this thread (it does not depend on `ms`). */
async function unpaused(steps = STEPS): Promise<number[]> {
  const noop = () => {};
  return data(
    await runInThread(request(steps, 0), { signal: new AbortController().signal, progress: noop, emit: noop }),
  );
}

describe('pausing a job in a worker', () => {
  it('holds it at its next checkpoint: no progress while paused, and the same result once resumed', async () => {
    const workers = pool();
    const pause = new PauseSwitch();
    const job = watchedHooks(pause);
    const run = workers.run(request(), job.hooks);
    await job.progressAtLeast(0.2);
    pause.set(true);
    await job.held();
    const atPause = job.progress.length;
    const stoppedAt = job.progress.at(-1)!;
    expect(stoppedAt).toBeLessThan(1);
    await sleep(20 * STEP_MS); // twenty steps' worth: none of them happens
    expect(job.progress).toHaveLength(atPause);
    pause.set(false);
    const out = await run;
    expect(data(out)).toEqual(await unpaused());
    expect(job.progress.slice(atPause).every((f) => f > stoppedAt)).toBe(true);
    expect(pause.listeners.size).toBe(0); // the pool stops listening once the job is done
  });

  it('reports the step it stopped at, even one the progress interval held back', async () => {
    const workers = pool();
    const pause = new PauseSwitch();
    pause.set(true);
    const job = watchedHooks(pause);
    // Steps of 1 ms: the worker sends at most one report per 30 ms, so most are held back.
    const steps = 300;
    const run = workers.run(request(steps, 1), job.hooks);
    await job.held();
    // Started paused: it stops at its first checkpoint, and says so after step 1's report.
    expect(job.progress).toEqual([1 / steps]);
    pause.set(false);
    await job.progressAtLeast(0.3);
    pause.set(true);
    await job.held();
    const stoppedAt = job.progress.at(-1)!;
    const before = job.progress.length;
    await sleep(50); // longer than the worker's 30 ms progress interval
    expect(job.progress).toHaveLength(before);
    pause.set(false);
    expect(data(await run)).toEqual(await unpaused(steps));
    // Held for longer than the interval, the first report after resuming is the very next step's.
    expect(job.progress[before] * steps).toBeCloseTo(stoppedAt * steps + 1, 6);
  });

  it('pausing and resuming many times still ends with the unpaused result', async () => {
    const workers = pool();
    const pause = new PauseSwitch();
    const job = watchedHooks(pause);
    const run = workers.run(request(), job.hooks);
    for (const fraction of [0.1, 0.3, 0.5, 0.7]) {
      await job.progressAtLeast(fraction);
      pause.set(true);
      await job.held();
      pause.set(false);
    }
    // Flickering faster than a step: the job may or may not stop, but it must not lose its place.
    for (let i = 0; i < 10; i++) {
      pause.set(true);
      pause.set(false);
    }
    expect(data(await run)).toEqual(await unpaused());
  });

  it('a job cancelled while paused ends at once, and its worker is free for the next job', async () => {
    const workers = pool();
    const pause = new PauseSwitch();
    const controller = new AbortController();
    const job = watchedHooks(pause, controller.signal);
    const run = workers.run(request(), job.hooks);
    await job.progressAtLeast(0.1);
    pause.set(true);
    await job.held();
    controller.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    // The job is still held in the worker unless the abort opened its gate; if it did not, the next job
    // would wait for the 20 s cancel grace to replace the worker.
    const started = performance.now();
    const next = await workers.run(request(3), watchedHooks(new PauseSwitch()).hooks);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(data(next)).toEqual(await unpaused(3));
    expect(spawned).toBe(1);
    expect(pause.listeners.size).toBe(0);
  });

  it('a job queued while paused is told so when it starts, and is held at its first checkpoint', async () => {
    const workers = pool();
    const pause = new PauseSwitch();
    const first = watchedHooks(new PauseSwitch());
    const a = workers.run(request(5), first.hooks);
    const second = watchedHooks(pause);
    const b = workers.run(request(), second.hooks);
    pause.set(true);
    await a;
    await second.held();
    expect(second.progress.filter((f) => f > 0)).toEqual([1 / STEPS]);
    pause.set(false);
    expect(data(await b)).toEqual(await unpaused());
  });
});
