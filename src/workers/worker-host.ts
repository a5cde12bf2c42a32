/** The worker side of the pool: runs node definitions by type id, with the same code as the main thread. */
import * as Comlink from 'comlink';
import type { AnyNodeDefinition } from '../graph/node-definition';
import { NodeRegistry } from '../graph/registry';
import { transferables, type Value } from '../graph/values';
import { runInThread } from '../engine/execute';
import type { JobCallbacks, JobRequest, WorkerApi } from './protocol';

/** Progress messages cross threads; more than this often is noise. */
const PROGRESS_INTERVAL_MS = 30;

export function exposeNodeWorker(definitions: readonly AnyNodeDefinition[]): void {
  const registry = new NodeRegistry(definitions);
  const running = new Map<number, AbortController>();

  const api: WorkerApi = {
    ping: () => 'ready',
    cancel(jobId) {
      running.get(jobId)?.abort();
    },
    async run(request: JobRequest, callbacks: Comlink.Remote<JobCallbacks> & JobCallbacks) {
      const definition = registry.get(request.type);
      if (!definition) throw new Error(`the worker does not know node type '${request.type}'`);
      const controller = new AbortController();
      running.set(request.jobId, controller);
      let lastProgress = -Infinity;
      try {
        const outputs = await runInThread(
          { definition, inputs: request.inputs, params: request.params, sources: request.sources },
          {
            signal: controller.signal,
            progress(fraction, message) {
              const now = performance.now();
              if (now - lastProgress < PROGRESS_INTERVAL_MS && fraction < 1) return;
              lastProgress = now;
              void callbacks.progress(fraction, message);
            },
            // Intermediate values are copied: the node may keep working on its arrays.
            emit: (outputs: Record<string, Value>) => void callbacks.emit(outputs),
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
