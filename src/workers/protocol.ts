/** What a pool worker exposes through Comlink. */
import type { InputValues, OutputValues, SourceInfo } from '../graph/node-definition';
import type { Value } from '../graph/values';

export interface JobCallbacks {
  progress(fraction: number, message?: string): void;
  emit(outputs: Record<string, Value>): void;
}

export interface JobRequest {
  jobId: number;
  type: string;
  inputs: InputValues;
  params: Record<string, unknown>;
  sources: Record<string, SourceInfo[]>;
}

export interface WorkerApi {
  /** Answers once the worker's modules have loaded. */
  ping(): string;
  run(request: JobRequest, callbacks: JobCallbacks): Promise<OutputValues>;
  /** Aborts a running job; its node sees ctx.signal aborted at its next checkpoint. */
  cancel(jobId: number): void;
}
