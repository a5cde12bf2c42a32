/**
 * A node type: its ports, its params schema and its run function. Node definitions are plain
 * data plus one function, so the same object runs on the main thread, in a browser Worker and in
 * a Node worker thread.
 */
import type { z } from 'zod';
import type { FileRef } from './files';
import type { PortType } from './ports';
import type { Value } from './values';

export interface PortSpec {
  type: PortType;
  /** An input that takes several edges; the run receives an array, in edge order. */
  many?: boolean;
  /** An input that may stay unconnected; the run receives undefined (or [] when `many`). */
  optional?: boolean;
  /**
   * An output whose successive intermediate values extend the previous one along the first axis (a growing
   * sample set): only the new rows cross a worker boundary. The rows already emitted must never change.
   */
  grows?: boolean;
  doc?: string;
}

/** Where an input value came from: the upstream node, for legends and labels. */
export interface SourceInfo {
  nodeId: string;
  port: string;
  label: string;
}

export interface RunContext {
  /** Aborted when the run is stale (a param or an input changed) or the graph is disposed. */
  signal: AbortSignal;
  /** Reports progress in [0, 1] with an optional message. Cheap to call often. */
  progress(fraction: number, message?: string): void;
  /** Streams intermediate outputs (e.g. a model after each epoch); downstream nodes follow them. */
  emit(outputs: Record<string, Value>): void;
  /**
   * Yields to the event loop so cancellation and messages get through; throws if aborted. While the engine
   * is paused it also waits here, in this thread or in a worker, until the engine resumes (the run then
   * goes on where it stopped) or the run is cancelled (it then throws).
   */
  checkpoint(): Promise<void>;
  /** For each input port, where its values came from. */
  sources: Record<string, SourceInfo[]>;
  /**
   * The bytes of a file the node named in `files`, read by the engine before the run (src/graph/files.ts);
   * the run owns them. Refuses a file the node did not name.
   */
  readFile(ref: FileRef): Promise<Uint8Array>;
}

export type InputValues = Record<string, Value | Value[] | undefined>;

/** How big a value will be, as far as it can be known before anything runs. */
/** The worker lanes a node can ask for (NodeDefinition.lane). */
export type Lane = 'figures' | 'training';

export interface ValueSize {
  /** Bytes the value holds (typed arrays; the rest is small). */
  bytes: number;
  /** The value's shape: [n, ...lattice] for spins and tensors, [nv, nh] for an RBM. */
  shape?: readonly number[];
  /** For an RBM: [nv, nh] of each layer of its stack, top first, and the bottom layer's visible shape. */
  stack?: { layers: readonly (readonly [number, number])[]; visibleShape: readonly number[] };
}

/** The sizes of a node's inputs: undefined where an input is unconnected or its size cannot be known. */
export type InputSizes = Record<string, ValueSize | ValueSize[] | undefined>;

/** What a run will allocate, estimated from its params and its inputs' sizes (see src/graph/budget.ts). */
export interface ResourceEstimate {
  /** The size of each output; an output left out is small (a table, a series, a figure). */
  outputs?: Record<string, ValueSize>;
  /** Bytes the run allocates besides its outputs, at its peak: working arrays, a float copy of the data. */
  working?: number;
  /** Whether the run trains a model (a graph from elsewhere that trains opens paused). */
  trains?: boolean;
}
export type OutputValues = Record<string, Value>;
export type ParamsMigration = (params: Record<string, unknown>) => Record<string, unknown>;

export interface NodeDefinition<P = Record<string, unknown>> {
  /** Stable id used in graph files, e.g. 'rg.blockspin'. Never rename without a migration. */
  type: string;
  /** Bumped when params change shape; `migrations[v]` turns version v - 1 params into version v. */
  version: number;
  title: string;
  category: string;
  /** One line shown in the palette. */
  doc: string;
  inputs: Record<string, PortSpec>;
  outputs: Record<string, PortSpec>;
  params: z.ZodType<P>;
  /** Runs in the worker pool rather than on the main thread. */
  heavy?: boolean;
  /**
   * A named lane of workers of its own, when the app provides one: 'figures' keeps figure drawing off the
   * main thread without queueing behind a long training in the main pool; 'training' runs model training,
   * which takes minutes, apart from the short jobs, so they never wait behind it. Without one, `heavy` decides.
   */
  lane?: Lane;
  migrations?: Record<number, ParamsMigration>;
  /**
   * What a run will allocate, before it runs, so a graph that would exhaust memory is refused as a whole.
   * Left out: the node's outputs and working memory are small. Must be cheap and must not throw.
   */
  resources?(params: P, inputs: InputSizes): ResourceEstimate;
  /**
   * The files a run reads (src/graph/files.ts), as its params record them: the engine fetches them from
   * its file store before the run starts, on its own thread, and the run reads them with `ctx.readFile`
   * where it runs. A file that is missing or has changed fails the node with the store's message.
   */
  files?(params: P): FileRef[];
  /**
   * The outputs a node with these params has, where that is not all of them: Import data gives the one port
   * its file holds. The canvas shows only these, an edge from another is refused, and a run must return
   * each of them. Must be cheap and must not throw.
   */
  outputsFor?(params: P): readonly string[];
  run(inputs: InputValues, params: P, ctx: RunContext): Promise<OutputValues>;
  /**
   * Independent parts a heavy run can split into (the Lattice Generator's temperatures, a measurement's
   * temperature groups), run side by side across the pool (src/engine/fan-out.ts). `merge` must give exactly
   * what one run of the whole would have. Both run on the main thread and must be cheap next to `run`.
   */
  fanOut?: FanOut<P>;
}

export interface RunPart<P> {
  params: P;
  inputs: InputValues;
}

export interface FanOut<P> {
  /** At most `parts` parts in order, or null where the run does not split (or is too small to gain). */
  split(params: P, inputs: InputValues, parts: number): RunPart<P>[] | null;
  merge(outputs: OutputValues[], params: P, inputs: InputValues): OutputValues;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDefinition = NodeDefinition<any>;

export const TYPE_ID = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;
const PORT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Declares a node type, checking the parts that a typo would silently break. */
export function defineNode<P>(definition: NodeDefinition<P>): NodeDefinition<P> {
  const where = `node type '${definition.type}'`;
  if (!TYPE_ID.test(definition.type)) {
    throw new Error(`${where}: a type id is lower-case words joined by '.' or '-'`);
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`${where}: version must be a positive integer`);
  }
  for (const [side, ports] of [
    ['input', definition.inputs],
    ['output', definition.outputs],
  ] as const) {
    for (const [name, spec] of Object.entries(ports)) {
      if (!PORT_NAME.test(name)) throw new Error(`${where}: ${side} port name '${name}' is not an identifier`);
      if (side === 'output' && (spec.many || spec.optional)) {
        throw new Error(`${where}: output '${name}' cannot be 'many' or 'optional'`);
      }
    }
  }
  for (const key of Object.keys(definition.migrations ?? {})) {
    const v = Number(key);
    if (!Number.isInteger(v) || v < 2 || v > definition.version) {
      throw new Error(`${where}: migration key ${key} must be a version in 2..${definition.version}`);
    }
  }
  return definition;
}

/** Brings params written for `fromVersion` up to the definition's version, one step at a time. */
export function migrateParams(
  definition: AnyNodeDefinition,
  fromVersion: number,
  params: Record<string, unknown>,
): Record<string, unknown> {
  let migrated = params;
  for (let v = fromVersion + 1; v <= definition.version; v++) {
    const step = definition.migrations?.[v];
    if (step) migrated = step(migrated);
  }
  return migrated;
}
