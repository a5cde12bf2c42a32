/** Running one node: the request, the hooks it reports through, and the in-thread executor. */
import type { FileContents, FileRef } from '../graph/files';
import type { AnyNodeDefinition, InputValues, OutputValues, RunContext, SourceInfo } from '../graph/node-definition';
import type { Value } from '../graph/values';

export interface RunRequest {
  definition: AnyNodeDefinition;
  inputs: InputValues;
  params: Record<string, unknown>;
  sources: Record<string, SourceInfo[]>;
  /**
   * The files the node named (NodeDefinition.files), by SHA-256, as the engine's store gave them. An
   * executor that runs the node elsewhere moves them there (they are the run's).
   */
  files?: Record<string, FileContents>;
}

export interface RunHooks {
  signal: AbortSignal;
  progress(fraction: number, message?: string): void;
  emit(outputs: Record<string, Value>): void;
  /**
   * Called by the run's `ctx.checkpoint()`: while the engine is paused, a promise that settles when it
   * resumes or the run is aborted, which the checkpoint waits on (the engine shows the run as paused
   * meanwhile); undefined when it is not paused. A worker job's checkpoints wait in the worker, on a gate
   * the pool opens and closes from `onPauseChange`; the pool calls this hook when the worker says the job
   * is held, so that its status reads 'paused' the same way.
   */
  held?(): Promise<void> | undefined;
  /**
   * The engine's pause, pushed: calls `listener` at once with whether the engine is paused, then on every
   * change, until the returned function is called. An executor that runs the node elsewhere forwards it
   * there (the worker pool sends each change to the worker running the job).
   */
  onPauseChange?(listener: (paused: boolean) => void): () => void;
  /**
   * Called when the run itself begins, where that is later than the request: a worker pool calls it when a
   * worker takes the job. The time before it was spent waiting, and the node's reported time leaves it out.
   */
  started?(): void;
}

/**
 * Whether a run may go on past its checkpoints: open, or closed while paused. A pool worker keeps one per
 * job, opened and closed as the pool tells it (see RunHooks.onPauseChange).
 */
export class PauseGate {
  private closed: { opened: Promise<void>; open(): void } | null = null;

  constructor(paused = false) {
    this.set(paused);
  }

  get paused(): boolean {
    return this.closed !== null;
  }

  set(paused: boolean): void {
    if (paused && !this.closed) {
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      this.closed = { opened, open };
    } else if (!paused && this.closed) {
      this.closed.open();
      this.closed = null;
    }
  }

  /** While closed: a promise that resolves when the gate opens or `signal` aborts. Undefined while open. */
  wait(signal: AbortSignal): Promise<void> | undefined {
    if (!this.closed || signal.aborted) return undefined;
    const { opened } = this.closed;
    return new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      void opened.then(done);
    });
  }
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

/** `ctx.readFile` over the files a request carries: a Blob is read here, where the run is. */
function fileReader(files: Record<string, FileContents> | undefined): RunContext['readFile'] {
  return async (ref: FileRef) => {
    const contents = files && Object.hasOwn(files, ref.sha256) ? files[ref.sha256] : undefined;
    if (!contents) throw new Error(`${ref.name}: the node did not name this file among its files, so it was not read`);
    return contents instanceof Uint8Array ? contents : new Uint8Array(await contents.arrayBuffer());
  };
}

export function makeRunContext(
  hooks: RunHooks,
  sources: Record<string, SourceInfo[]>,
  files?: Record<string, FileContents>,
): RunContext {
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
    readFile: fileReader(files),
  };
}

/** Runs a node on the calling thread. */
export const runInThread: Executor = (request, hooks) =>
  request.definition.run(request.inputs, request.params, makeRunContext(hooks, request.sources, request.files));

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
