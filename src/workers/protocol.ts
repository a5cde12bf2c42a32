/** What a pool worker exposes through Comlink, and what it calls back. */
import type { FileContents } from '../graph/files';
import type { InputValues, OutputValues, SourceInfo } from '../graph/node-definition';
import type { Value } from '../graph/values';

/** The main thread's side of one job, passed to `WorkerApi.run` as a Comlink proxy (one message channel). */
export interface JobCallbacks {
  progress(fraction: number, message?: string): void;
  /**
   * An intermediate value. The worker sends the next one only after this call has returned here, and a
   * newer value replaces one that waits meanwhile: a slow receiver gets the latest, not a queue.
   */
  emit(message: EmitMessage): void;
  /**
   * The job's checkpoint has stopped to wait while paused (after its latest progress report, on the same
   * channel, so that report is the progress it stopped at). It goes on when `setPaused(jobId, false)` comes.
   */
  held(): void;
}

/** An intermediate emit as it crosses the worker boundary. */
export interface EmitMessage {
  outputs: Record<string, Value>;
  /**
   * The outputs marked `grows` (PortSpec.grows): `outputs[port]` holds only the value's rows from `from`
   * on, the rows before it having come with the job's earlier emits (from 0: the value starts afresh).
   * `capacity` is how many rows the value may reach, as far as the worker knows (at least its rows now).
   */
  appended: Record<string, { from: number; capacity: number }>;
}

export interface JobRequest {
  jobId: number;
  type: string;
  inputs: InputValues;
  params: Record<string, unknown>;
  sources: Record<string, SourceInfo[]>;
  /** The files the node reads, by SHA-256 (RunRequest.files): moved here, not copied. */
  files?: Record<string, FileContents>;
  /** Whether the engine is paused as the job starts; later changes come through `WorkerApi.setPaused`. */
  paused: boolean;
}

export interface WorkerApi {
  /**
   * Answers once the worker's modules have loaded. While a job runs the pool calls it as a heartbeat: the
   * answer comes whenever the worker's event loop turns, which a running node allows at each
   * `ctx.checkpoint()` (or any other wait on a message or timer), not in the middle of synchronous work.
   */
  ping(): string;
  run(request: JobRequest, callbacks: JobCallbacks): Promise<OutputValues>;
  /** Aborts a running job; its node sees ctx.signal aborted at its next checkpoint (a held one at once). */
  cancel(jobId: number): void;
  /**
   * Pauses or resumes a running job: while paused, its next `ctx.checkpoint()` waits (and says so through
   * `JobCallbacks.held`) until resumed or cancelled. Unknown (finished) jobs are ignored.
   */
  setPaused(jobId: number, paused: boolean): void;
}
