/** What a node is doing, as shown on its badge and in the CLI. */
export type NodeStatus =
  | { state: 'idle' }
  | { state: 'waiting'; message: string }
  | { state: 'running'; progress: number; message?: string }
  | { state: 'done'; ms: number; cached: boolean; partial: boolean }
  | {
      state: 'error';
      message: string;
      /** The node where the failure began: this node itself, or the upstream node that failed. */
      origin: string;
      details?: string;
    };

/** What a node offers downstream. */
export type NodeOutput =
  /** A run is starting or an upstream node is not ready yet. */
  | { kind: 'pending' }
  /** It cannot run until the graph changes (an input is not connected, or the node is a placeholder). */
  | { kind: 'unconnected'; message: string }
  | {
      kind: 'value';
      key: string;
      outputs: Record<string, unknown>;
      /** False for intermediate values (ctx.emit) and for results computed from intermediate inputs. */
      final: boolean;
    }
  | { kind: 'failed'; origin: string; message: string };

/** Whether a node will stay as it is until something in the graph changes. */
export function isSettled(output: NodeOutput | undefined): boolean {
  if (!output) return false;
  return output.kind === 'failed' || output.kind === 'unconnected' || (output.kind === 'value' && output.final);
}
