/**
 * A pool of workers that run heavy nodes off the main thread. The same module works in the browser
 * (native Worker) and in Node (web-worker over worker_threads). A worker that crashes or fails to
 * load is replaced, and the job it held fails with a clear error: never a hang. So is a worker that stops
 * answering the heartbeat (it died without a word, or its node loops without ever reaching a checkpoint).
 * While the engine is paused (RunHooks.onPauseChange), each running job is told so (WorkerApi.setPaused)
 * and waits at its next checkpoint in the worker. Intermediate values come one at a time, the latest
 * winning, and growing ones as their new rows only (growing.ts).
 */
import * as Comlink from 'comlink';
import type { OutputValues } from '../graph/node-definition';
import type { Executor, RunHooks, RunRequest } from '../engine/execute';
import { approximateBytes } from '../graph/values';
import { GrowthReceiver, trimViews } from './growing';
import type { EmitMessage, JobCallbacks, JobRequest, WorkerApi } from './protocol';

/** The part of the Worker interface the pool uses (browser Worker and web-worker both have it). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: string, listener: (event: unknown) => void): void;
  removeEventListener(type: string, listener: (event: unknown) => void): void;
  terminate(): void;
}

export interface PoolOptions {
  spawn: () => WorkerLike;
  /** Number of workers (default: cores - 1, at least 1). Workers start on first demand. */
  size?: number;
  /** How long a new worker may take to load its modules. */
  readyTimeoutMs?: number;
  /** How long a cancelled job may take to stop by itself before its worker is terminated. */
  cancelGraceMs?: number;
  /** How often a busy worker is asked whether it is alive (default 1 s). */
  heartbeatMs?: number;
  /**
   * How long a busy worker may stay silent before its job fails and the worker is replaced (default 30 s).
   * A worker answers between the synchronous stretches of its node, at every checkpoint, so this must
   * exceed the longest stretch a node runs without one: a Swendsen–Wang sweep of a 4096 x 4096 lattice
   * takes 1.6 s here (the lattice yields every 40 ms or after each sweep, whichever is later), an RBM batch
   * of a large model a few seconds on the wasm backend.
   */
  heartbeatTimeoutMs?: number;
}

/** What intermediate values have cost crossing from the workers (see `WorkerPool.traffic`). */
export interface PoolTraffic {
  /** Intermediate emits received. */
  emits: number;
  /** Their size as they crossed: typed arrays counted exactly, the rest roughly (approximateBytes). */
  bytes: number;
}

interface Job {
  id: number;
  request: RunRequest;
  hooks: RunHooks;
  resolve(outputs: OutputValues): void;
  reject(error: Error): void;
  done: boolean;
  onAbort(): void;
  /** Ends the job's subscription to the engine's pause (RunHooks.onPauseChange), once it has started. */
  stopWatchingPause?: () => void;
  /** Ends the heartbeat that watches the job's worker, once it has started. */
  stopHeartbeat?: () => void;
}

interface Slot {
  worker: WorkerLike;
  api: Comlink.Remote<WorkerApi>;
  ready: Promise<void>;
  job: Job | null;
  dead: boolean;
  stop(): void;
}

export function defaultPoolSize(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
  return Math.max(1, cores - 1);
}

function abortError(message = 'the run was cancelled'): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

function describeWorkerError(event: unknown): string {
  if (event instanceof Error) return event.message;
  const message = (event as { message?: unknown })?.message;
  return typeof message === 'string' && message ? message : 'the worker reported an error';
}

export class WorkerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextJobId = 1;
  private disposed = false;
  private readonly readyTimeoutMs: number;
  private readonly cancelGraceMs: number;
  private readonly heartbeatMs: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly received: PoolTraffic = { emits: 0, bytes: 0 };

  constructor(private readonly options: PoolOptions) {
    this.size = Math.max(1, options.size ?? defaultPoolSize());
    this.readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.cancelGraceMs = options.cancelGraceMs ?? 2_000;
    this.heartbeatMs = options.heartbeatMs ?? 1_000;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 30_000;
  }

  /** Intermediate values received from the workers so far, and their size on the way. */
  get traffic(): PoolTraffic {
    return { ...this.received };
  }

  /** An engine executor that runs each request in the pool. */
  readonly executor: Executor = (request, hooks) => this.run(request, hooks);

  /** Number of live workers (started on demand). */
  get workerCount(): number {
    return this.slots.length;
  }

  run(request: RunRequest, hooks: RunHooks): Promise<OutputValues> {
    if (this.disposed) return Promise.reject(new Error('the worker pool has been disposed'));
    if (hooks.signal.aborted) return Promise.reject(abortError());
    return new Promise<OutputValues>((resolve, reject) => {
      const job: Job = {
        id: this.nextJobId++,
        request,
        hooks,
        resolve,
        reject,
        done: false,
        onAbort: () => this.cancel(job),
      };
      hooks.signal.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
      // Say so when the job has to wait for another to finish, rather than look stuck at 0%.
      if (!job.done && this.queue.includes(job)) hooks.progress(0, 'waiting for a free worker');
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) this.finish(job, abortError('the worker pool was disposed'));
    for (const slot of this.slots.splice(0)) {
      if (slot.job) this.finish(slot.job, abortError('the worker pool was disposed'));
      this.kill(slot);
    }
  }

  private pump(): void {
    while (this.queue.length && !this.disposed) {
      let slot = this.slots.find((s) => !s.job && !s.dead);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      this.start(slot, job);
    }
  }

  private spawn(): Slot {
    const worker = this.options.spawn();
    const api = Comlink.wrap<WorkerApi>(worker as unknown as Comlink.Endpoint);
    const onError = (event: unknown) => this.crashed(slot, `the worker crashed: ${describeWorkerError(event)}`);
    const onClose = () => this.crashed(slot, 'the worker exited unexpectedly');
    worker.addEventListener('error', onError);
    worker.addEventListener('close', onClose);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the worker did not load within ${this.readyTimeoutMs / 1000} s (see the console for its load error)`,
            ),
          ),
        this.readyTimeoutMs,
      );
    });
    const slot: Slot = {
      worker,
      api,
      ready: Promise.race([api.ping().then(() => undefined), timeout]).finally(() => clearTimeout(timer)),
      job: null,
      dead: false,
      stop: () => {
        clearTimeout(timer);
        worker.removeEventListener('error', onError);
        worker.removeEventListener('close', onClose);
        api[Comlink.releaseProxy]();
        worker.terminate();
      },
    };
    slot.ready.catch(() => undefined); // a failure is reported to the job waiting on it
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    const { request, hooks } = job;
    slot.ready
      .then(() => {
        if (job.done) return undefined;
        hooks.started?.();
        const heartbeat = this.watch(slot, job);
        job.stopHeartbeat = heartbeat.stop;
        const growth = new GrowthReceiver();
        const callbacks: JobCallbacks = {
          progress: (fraction, message) => {
            heartbeat.heard();
            if (!job.done) hooks.progress(fraction, message);
          },
          emit: (message: EmitMessage) => {
            heartbeat.heard();
            if (job.done) return;
            this.received.emits++;
            this.received.bytes += approximateBytes(message.outputs);
            try {
              hooks.emit(growth.decode(message));
            } catch (error) {
              // As in this thread, where the node's emit would throw: the job fails with the error.
              this.abandon(job, error instanceof Error ? error : new Error(String(error)));
            }
          },
          // The worker holds the job at its gate; this only lets the engine show it as paused.
          held: () => {
            heartbeat.heard();
            if (!job.done) void hooks.held?.();
          },
        };
        // Pause changes go to the worker after the job itself (messages on one port keep their order).
        let paused = false;
        let sent = false;
        job.stopWatchingPause = hooks.onPauseChange?.((value) => {
          paused = value;
          if (sent && !job.done && slot.job === job && !slot.dead) {
            slot.api.setPaused(job.id, value).catch(() => undefined);
          }
        });
        // Inputs are copied to the worker (the caller keeps them), but a view of part of a buffer (an
        // intermediate growing value) would be cloned with its whole buffer: only its own bytes go.
        const moved: ArrayBuffer[] = [];
        const inputs = trimViews(request.inputs, moved);
        // The files are the run's (the store read them for it): their bytes move, a Blob goes by reference.
        for (const contents of Object.values(request.files ?? {})) {
          const buffer = contents instanceof Uint8Array ? contents.buffer : null;
          if (buffer instanceof ArrayBuffer && !moved.includes(buffer)) moved.push(buffer);
        }
        const jobRequest: JobRequest = {
          jobId: job.id,
          type: request.definition.type,
          inputs,
          params: request.params,
          sources: request.sources,
          ...(request.files ? { files: request.files } : {}),
          paused,
        };
        const result = slot.api.run(Comlink.transfer(jobRequest, moved), Comlink.proxy(callbacks));
        sent = true;
        return result;
      })
      .then(
        (outputs) => {
          if (outputs) this.finish(job, null, outputs);
          this.release(slot, job);
        },
        (error: unknown) => {
          this.finish(job, error instanceof Error ? error : new Error(String(error)));
          // A worker that never loaded is replaced; one whose node merely failed takes the next job.
          slot.ready.then(
            () => this.release(slot, job),
            () => this.replace(slot),
          );
        },
      );
  }

  private cancel(job: Job): void {
    this.abandon(job, abortError());
  }

  /** Ends a job with `error` (an abort when cancelled) and stops it in its worker. */
  private abandon(job: Job, error: Error): void {
    if (job.done) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.finish(job, error);
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    this.finish(job, error);
    if (!slot) return;
    void slot.api.cancel(job.id).catch(() => undefined);
    // A node that never reaches a checkpoint would hold the worker forever: replace it.
    setTimeout(() => {
      if (slot.job === job && !slot.dead) this.replace(slot);
    }, this.cancelGraceMs);
  }

  /**
   * Watches the worker running `job`: asks it every `heartbeatMs` whether it is alive (one question at a
   * time) and counts anything it sends for the job as an answer. After `heartbeatTimeoutMs` of silence the
   * job fails and the worker is replaced.
   */
  private watch(slot: Slot, job: Job): { heard(): void; stop(): void } {
    let heardAt = performance.now();
    let tickedAt = heardAt;
    let asking = false;
    const heard = () => {
      heardAt = performance.now();
    };
    const stop = () => clearInterval(timer);
    const timer = setInterval(() => {
      if (job.done || slot.job !== job || slot.dead) return stop();
      const now = performance.now();
      // A late tick means this thread was busy (or its timers were throttled, as in a background tab): the
      // worker's answers may be queued behind this very timer, so that time does not count as silence.
      const late = now - tickedAt - this.heartbeatMs;
      tickedAt = now;
      if (late > this.heartbeatMs) heardAt = Math.min(now, heardAt + late);
      if (now - heardAt >= this.heartbeatTimeoutMs) {
        stop();
        const seconds = Number((this.heartbeatTimeoutMs / 1000).toPrecision(3));
        this.crashed(
          slot,
          `the worker running this node stopped responding (no heartbeat for ${seconds} s); it was replaced`,
        );
        return;
      }
      if (asking) return;
      asking = true;
      slot.api.ping().then(
        () => {
          asking = false;
          heard();
        },
        () => undefined,
      );
    }, this.heartbeatMs);
    return { heard, stop };
  }

  private crashed(slot: Slot, message: string): void {
    if (slot.dead) return;
    if (slot.job) this.finish(slot.job, new Error(message));
    this.replace(slot);
  }

  /** Kills a worker and frees its place; a new one is spawned when work is waiting. */
  private replace(slot: Slot): void {
    this.kill(slot);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    this.pump();
  }

  private kill(slot: Slot): void {
    if (slot.dead) return;
    slot.dead = true;
    slot.job = null;
    slot.stop();
  }

  private release(slot: Slot, job: Job): void {
    if (slot.job !== job) return;
    slot.job = null;
    this.pump();
  }

  private finish(job: Job, error: Error | null, outputs?: OutputValues): void {
    if (job.done) return;
    job.done = true;
    job.hooks.signal.removeEventListener('abort', job.onAbort);
    job.stopWatchingPause?.();
    job.stopHeartbeat?.();
    if (error) job.reject(error);
    else job.resolve(outputs!);
  }
}
