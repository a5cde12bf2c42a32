/** Running a graph file headless: read, override, validate, run to the end, summarise. */
import { GraphEngine } from '../engine/engine';
import type { Executor } from '../engine/execute';
import type { NodeOutput, NodeStatus } from '../engine/status';
import type { GraphDocument } from '../graph/document';
import { formatIssue, type GraphIssue } from '../graph/errors';
import { decodeGraph, readGraphJson } from '../graph/parse';
import type { NodeRegistry } from '../graph/registry';
import { applyOverrides, parseOverride } from './overrides';
import { buildSummary, type OutputFile, type Summary } from './summary';

export type LoadResult = { ok: true; graph: GraphDocument; warnings: GraphIssue[] } | { ok: false; errors: string[] };

/** Reads and validates a graph file's text, with `--set` overrides applied first. */
export function loadGraphText(text: string, registry: NodeRegistry, sets: readonly string[] = []): LoadResult {
  const read = readGraphJson(text);
  if (!read.ok) return { ok: false, errors: read.issues.map(formatIssue) };
  if (sets.length) {
    try {
      applyOverrides(read.json, sets.map(parseOverride));
    } catch (error) {
      return { ok: false, errors: [(error as Error).message] };
    }
  }
  const decoded = decodeGraph(read.json, registry);
  return decoded.ok ? decoded : { ok: false, errors: decoded.issues.map(formatIssue) };
}

export interface RunOptions {
  registry: NodeRegistry;
  heavyExecutor?: Executor;
  /** Called on every status change, for progress display. */
  onStatus?: (nodeId: string, status: NodeStatus) => void;
  /** The backend summary.json names; by default the one the engine saw the run's models train on. */
  backend?: string | null;
  /** The graph file as text, embedded in figure PNGs. */
  graphText?: string;
}

export interface RunResult {
  summary: Summary;
  files: OutputFile[];
  failed: string[];
}

export async function runGraph(graph: GraphDocument, options: RunOptions): Promise<RunResult> {
  const engine = new GraphEngine(options.registry, { heavyExecutor: options.heavyExecutor, followIntermediate: false });
  try {
    engine.load(graph);
    const subscriptions = engine
      .nodeIds()
      .map((id) => engine.status$(id).subscribe((status) => options.onStatus?.(id, status)));
    await engine.whenSettled();
    subscriptions.forEach((s) => s.unsubscribe());
    // Maps, not objects: ids come from the file, and `statuses['__proto__'] = ...` would set a prototype.
    const statuses = new Map<string, NodeStatus>();
    const outputs = new Map<string, NodeOutput | undefined>();
    for (const id of engine.nodeIds()) {
      statuses.set(id, engine.status(id));
      outputs.set(id, engine.output(id));
    }
    const backend = options.backend === undefined ? engine.backend() : options.backend;
    const { summary, files } = buildSummary(graph, statuses, outputs, backend, {
      graphText: options.graphText,
    });
    const failed = [...statuses].filter(([, s]) => s.state === 'error').map(([id]) => id);
    return { summary, files, failed };
  } finally {
    engine.dispose();
  }
}
