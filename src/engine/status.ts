/** What a node is doing, as shown on its badge and in the CLI. */
export type NodeStatus =
  | { state: 'idle' }
  | { state: 'waiting'; message: string }
  | { state: 'running'; progress: number; message?: string }
  | {
      state: 'done';
      /** The run's own time, from when it began (a worker took it) to its result. */
      ms: number;
      /** Time spent waiting before that for a free worker (or for the first to start), when 50 ms or more. */
      waitedMs?: number;
      cached: boolean;
      partial: boolean;
      /** What the result warns about (its values' meta.warnings, joined), when anything. */
      warning?: string;
    }
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

/**
 * The warnings a node's outputs carry: every output value's `meta.warnings` (a list of strings), joined
 * with '; '; undefined when there are none. The engine knows no node: any node warns this way.
 */
export function outputWarning(outputs: Record<string, unknown>): string | undefined {
  const found: string[] = [];
  for (const value of Object.values(outputs)) {
    const meta = (value as { meta?: unknown } | null)?.meta;
    const warnings = (meta as { warnings?: unknown } | null | undefined)?.warnings;
    if (!Array.isArray(warnings)) continue;
    for (const w of warnings) if (typeof w === 'string' && w) found.push(w);
  }
  return found.length > 0 ? found.join('; ') : undefined;
}

/** `{ warning }` for a done status when the outputs warn (see outputWarning), else `{}`. */
export function warningOf(outputs: Record<string, unknown>): { warning?: string } {
  const warning = outputWarning(outputs);
  return warning === undefined ? {} : { warning };
}
