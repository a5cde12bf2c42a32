/** The worker side of the pool: runs node definitions by type id, with the same code as the main thread. */
import * as Comlink from 'comlink';
import type { AnyNodeDefinition } from '../graph/node-definition';
import { NodeRegistry } from '../graph/registry';
import { transferables, type Value } from '../graph/values';
import { PauseGate, runInThread } from '../engine/execute';
import type { JobCallbacks, JobRequest, WorkerApi } from './protocol';

/** Progress messages cross threads; more than this often is noise. */
const PROGRESS_INTERVAL_MS = 30;

interface RunningJob {
  controller: AbortController;
  /** Closed while the engine is paused: the job's checkpoints wait at it. */
  gate: PauseGate;
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
      let lastProgress = -Infinity;
      /** The latest report the interval held back, sent before the job says it is held. */
      let unsent: [fraction: number, message: string | undefined] | null = null;
      try {
        const outputs = await runInThread(
          { definition, inputs: request.inputs, params: request.params, sources: request.sources },
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
            // Intermediate values are copied: the node may keep working on its arrays.
            emit: (outputs: Record<string, Value>) => void callbacks.emit(outputs),
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
        // The final result is moved, not copied: nothing in the worker uses it afterwards.
        return Comlink.transfer(outputs, transferables(outputs));
      } finally {
        running.delete(request.jobId);
        callbacks[Comlink.releaseProxy]();
      }
    },
  };
  Comlink.expose(api);
}
