/** Running one node: the request, the hooks it reports through, and the in-thread executor. */
import type { AnyNodeDefinition, InputValues, OutputValues, RunContext, SourceInfo } from '../graph/node-definition';
import type { Value } from '../graph/values';

export interface RunRequest {
  definition: AnyNodeDefinition;
  inputs: InputValues;
  params: Record<string, unknown>;
  sources: Record<string, SourceInfo[]>;
}

export interface RunHooks {
  signal: AbortSignal;
  progress(fraction: number, message?: string): void;
  emit(outputs: Record<string, Value>): void;
  /**
   * While the engine is paused: a promise that settles when it resumes or the run is aborted, which the
   * run's next `ctx.checkpoint()` waits on; undefined when it is not paused. Only the in-thread executor
   * honours it: a worker job's checkpoints run in the worker, which is told nothing about pausing.
   */
  held?(): Promise<void> | undefined;
}

/** Runs a node somewhere (this thread, a worker) and resolves with its outputs. */
export type Executor = (request: RunRequest, hooks: RunHooks) => Promise<OutputValues>;

/** Lets pending messages and timers run; the fastest macrotask each platform offers. */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export function makeRunContext(hooks: RunHooks, sources: Record<string, SourceInfo[]>): RunContext {
  return {
    signal: hooks.signal,
    progress: (fraction, message) => hooks.progress(Math.min(1, Math.max(0, fraction)), message),
    emit: (outputs) => hooks.emit(outputs),
    checkpoint: async () => {
      await yieldToEventLoop();
      hooks.signal.throwIfAborted();
      const held = hooks.held?.();
      if (!held) return;
      await held;
      hooks.signal.throwIfAborted();
    },
    sources,
  };
}

/** Runs a node on the calling thread. */
export const runInThread: Executor = (request, hooks) =>
  request.definition.run(request.inputs, request.params, makeRunContext(hooks, request.sources));

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
