/**
 * Runs a heavy node's independent parts side by side (NodeDefinition.fanOut): each part is a job of its
 * own for the executor (the pool spreads them over its workers), and the parts' outputs are merged here.
 * Progress is the parts' mean; part 0's intermediate values stream on as the node's (the others would
 * arrive out of order); the run began when the first part began; one part failing stops the rest.
 */
import type { OutputValues } from '../graph/node-definition';
import type { Executor, RunHooks } from './execute';

export function fanOutExecutor(execute: Executor, parts: number): Executor {
  return async (request, hooks) => {
    const { fanOut } = request.definition;
    const split = parts > 1 && fanOut ? fanOut.split(request.params, request.inputs, parts) : null;
    if (!split || split.length < 2) return execute(request, hooks);
    const controller = new AbortController();
    const stop = () => controller.abort(hooks.signal.reason);
    if (hooks.signal.aborted) stop();
    hooks.signal.addEventListener('abort', stop, { once: true });
    const progress = split.map(() => 0);
    let started = false;
    const partHooks = (index: number): RunHooks => ({
      ...hooks,
      signal: controller.signal,
      progress: (fraction, message) => {
        progress[index] = fraction;
        const mean = progress.reduce((sum, p) => sum + p, 0) / progress.length;
        hooks.progress(mean, message === undefined ? undefined : `part ${index + 1}/${split.length}: ${message}`);
      },
      emit: (outputs) => {
        if (index === 0) hooks.emit(outputs);
      },
      started: () => {
        if (started) return;
        started = true;
        hooks.started?.();
      },
    });
    try {
      const outputs: OutputValues[] = await Promise.all(
        split.map((part, index) =>
          execute(
            { ...request, params: part.params as Record<string, unknown>, inputs: part.inputs },
            partHooks(index),
          ).catch((error: unknown) => {
            controller.abort(error);
            throw error;
          }),
        ),
      );
      return fanOut!.merge(outputs, request.params, request.inputs);
    } finally {
      hooks.signal.removeEventListener('abort', stop);
    }
  };
}
