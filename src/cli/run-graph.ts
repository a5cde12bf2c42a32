/** Running a graph file headless: read, override, validate, run to the end, summarise. */
import { dirname, resolve } from 'node:path';
import { GraphEngine } from '../engine/engine';
import type { Executor } from '../engine/execute';
import type { NodeOutput, NodeStatus } from '../engine/status';
import { budgetProblem, estimateGraph } from '../graph/budget';
import type { GraphDocument } from '../graph/document';
import { formatIssue, type GraphIssue } from '../graph/errors';
import { decodeGraph, readGraphJson } from '../graph/parse';
import type { NodeRegistry } from '../graph/registry';
import type { Lane } from '../graph/node-definition';
import { directoryFileStore, noFileStore } from './file-store';
import { applyOverrides, parseOverride } from './overrides';
import { buildSummary, type OutputFile, type Summary } from './summary';

export type LoadResult = { ok: true; graph: GraphDocument; warnings: GraphIssue[] } | { ok: false; errors: string[] };

/**
 * Reads and validates a graph file's text, with `--set` overrides applied first, and refuses a graph that
 * needs more than `maxMemory` bytes (src/graph/budget.ts) before anything of it runs.
 */
export function loadGraphText(
  text: string,
  registry: NodeRegistry,
  sets: readonly string[] = [],
  maxMemory = Infinity,
): LoadResult {
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
  if (!decoded.ok) return { ok: false, errors: decoded.issues.map(formatIssue) };
  const problem = budgetProblem(estimateGraph(decoded.graph, registry), maxMemory);
  if (problem) return { ok: false, errors: [`${problem} (the budget is set by --max-memory)`] };
  return decoded;
}

export interface RunOptions {
  registry: NodeRegistry;
  heavyExecutor?: Executor;
  /** Executors of the worker lanes (NodeDefinition.lane); a lane without one runs in `heavyExecutor`. */
  laneExecutors?: Partial<Record<Lane, Executor>>;
  /** Into how many parts a node that can split runs (EngineOptions.parallelParts). */
  parallelParts?: number;
  /** Called on every status change, for progress display. */
  onStatus?: (nodeId: string, status: NodeStatus) => void;
  /** The backend summary.json names; by default the one the engine saw the run's models train on. */
  backend?: string | null;
  /** The graph file as text, embedded in figure PNGs. */
  graphText?: string;
  /** Bytes the graph may allocate; a graph over it is refused before it runs. */
  memoryBudget?: number;
  /**
   * The graph file's path: Import data reads its files relative to the folder it is in, and only when they
   * are the files the graph recorded (src/cli/file-store.ts). Without it, a node that reads a file fails.
   */
  graphFile?: string;
}

export interface RunResult {
  summary: Summary;
  files: OutputFile[];
  failed: string[];
}

export async function runGraph(graph: GraphDocument, options: RunOptions): Promise<RunResult> {
  const engine = new GraphEngine(options.registry, {
    heavyExecutor: options.heavyExecutor,
    laneExecutors: options.laneExecutors,
    parallelParts: options.parallelParts,
    followIntermediate: false,
    memoryBudget: options.memoryBudget,
    files: options.graphFile === undefined ? noFileStore : directoryFileStore(dirname(resolve(options.graphFile))),
  });
  try {
    engine.load(graph);
    // Over budget, the engine holds every run: say why rather than wait for ever.
    const overBudget = engine.budgetProblem();
    if (overBudget) throw new Error(overBudget);
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
