/** The worker side of the pool: runs node definitions by type id, with the same code as the main thread. */
import * as Comlink from 'comlink';
import type { AnyNodeDefinition } from '../graph/node-definition';
import { NodeRegistry } from '../graph/registry';
import { transferables, type Value } from '../graph/values';
import { PauseGate, runInThread } from '../engine/execute';
import { GrowthSender } from './growing';
import type { EmitMessage, JobCallbacks, JobRequest, WorkerApi } from './protocol';

/** Progress messages cross threads; more than this often is noise. */
const PROGRESS_INTERVAL_MS = 30;

interface RunningJob {
  controller: AbortController;
  /** Closed while the engine is paused: the job's checkpoints wait at it. */
  gate: PauseGate;
}

/**
 * A job's intermediate values on their way out, one at a time: while one is in flight (sent, not yet taken
 * by the main side), a newer emit replaces the one that waits instead of queueing behind it, so a node that
 * emits faster than the page takes values costs one value in flight and one waiting, not a backlog. Only
 * the final result is guaranteed to arrive; intermediate ones may be skipped. A waiting value is held by
 * reference until it is sent, as an in-thread run hands it downstream by reference: a node must not change
 * what it has emitted (RunContext.emit).
 */
class LatestEmit {
  private inFlight = false;
  private waiting: Record<string, Value> | null = null;
  private closed = false;
  /** Why a value could not be sent (it cannot be cloned, say): thrown at the node's next emit and at its end. */
  private failure: unknown = null;

  constructor(private readonly send: (outputs: Record<string, Value>) => Promise<unknown>) {}

  emit(outputs: Record<string, Value>): void {
    this.throwIfFailed();
    if (this.closed) return;
    // A node may emit its ports separately: keep what the replaced value carried on the others.
    this.waiting = this.waiting ? { ...this.waiting, ...outputs } : outputs;
    this.flush();
    this.throwIfFailed();
  }

  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** Drops what waits and sends nothing more: before the result is moved out (it may share buffers). */
  close(): void {
    this.closed = true;
    this.waiting = null;
  }

  private flush(): void {
    if (this.inFlight || this.closed || !this.waiting) return;
    const outputs = this.waiting;
    this.waiting = null;
    let sent: Promise<unknown>;
    try {
      sent = this.send(outputs);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.inFlight = true;
    sent.then(
      () => {
        this.inFlight = false;
        this.flush();
      },
      (error: unknown) => this.fail(error),
    );
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.failure = new Error(`an intermediate value could not leave the worker: ${message}`);
    this.close();
  }
}

export function exposeNodeWorker(definitions: readonly AnyNodeDefinition[]): void {
  const registry = new NodeRegistry(definitions);
  const running = new Map<number, RunningJob>();

  const api: WorkerApi = {
    ping: () => 'ready',
    cancel(jobId) {
      running.get(jobId)?.controller.abort();
    },
    setPaused(jobId, paused) {
      running.get(jobId)?.gate.set(paused);
    },
    async run(request: JobRequest, callbacks: Comlink.Remote<JobCallbacks> & JobCallbacks) {
      const definition = registry.get(request.type);
      if (!definition) throw new Error(`the worker does not know node type '${request.type}'`);
      const controller = new AbortController();
      const gate = new PauseGate(request.paused);
      running.set(request.jobId, { controller, gate });
      const growing = new Set(
        Object.entries(definition.outputs)
          .filter(([, spec]) => spec.grows)
          .map(([port]) => port),
      );
      const sender = new GrowthSender(growing);
      const emits = new LatestEmit((outputs) => {
        const { message, transfer } = sender.encode(outputs);
        return callbacks.emit(Comlink.transfer(message, transfer) as EmitMessage);
      });
      let lastProgress = -Infinity;
      /** The latest report the interval held back, sent before the job says it is held. */
      let unsent: [fraction: number, message: string | undefined] | null = null;
      try {
        const outputs = await runInThread(
          {
            definition,
            inputs: request.inputs,
            params: request.params,
            sources: request.sources,
            files: request.files,
          },
          {
            signal: controller.signal,
            progress(fraction, message) {
              const now = performance.now();
              if (now - lastProgress < PROGRESS_INTERVAL_MS && fraction < 1) {
                unsent = [fraction, message];
                return;
              }
              lastProgress = now;
              unsent = null;
              void callbacks.progress(fraction, message);
            },
            emit: (outputs: Record<string, Value>) => emits.emit(outputs),
            held() {
              const wait = gate.wait(controller.signal);
              if (!wait) return undefined;
              if (unsent) void callbacks.progress(...unsent);
              unsent = null;
              void callbacks.held();
              return wait;
            },
          },
        );
        emits.close();
        emits.throwIfFailed();
        // The final result is moved, not copied: nothing in the worker uses it afterwards.
        return Comlink.transfer(outputs, transferables(outputs));
      } finally {
        emits.close();
        running.delete(request.jobId);
        callbacks[Comlink.releaseProxy]();
      }
    },
  };
  Comlink.expose(api);
}
