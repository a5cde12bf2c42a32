/**
 * summary.json (a contract: scripts read it) and the files written beside it. Tables and series
 * are written in full; arrays are summarised and written as .npy.
 */
import type { GraphDocument } from '../graph/document';
import type { NodeOutput, NodeStatus } from '../engine/status';
import { isValue, type Value } from '../graph/values';
import { tableToCsv } from '../figures/csv';
import { nodeDocument } from '../figures/node-document';
import { svgToPng } from '../figures/rasterize';
import { renderSvg } from '../figures/render-svg';
import type { FigureSpec } from '../figures/spec';
import { outputBaseName } from './file-names';
import { encodeNpy } from '../graph/npy';
import { rbmToNpz } from '../graph/rbm-npz';

export interface SummaryContext {
  /** The graph file, embedded in every figure PNG so dropping the PNG into the app restores the graph. */
  graphText?: string;
}

const text = (s: string) => new TextEncoder().encode(s);

export interface OutputFile {
  name: string;
  bytes: Uint8Array;
}

export interface NodeSummary {
  type: string;
  label?: string;
  status: NodeStatus['state'];
  /** The run's own time; a node that waited for a free worker first also has `waitedMs`. */
  ms: number | null;
  waitedMs?: number;
  cached: boolean;
  error: string | null;
  origin?: string;
  message?: string;
  /** What a done node's result warns about (e.g. a chain that was not thermalised). */
  warning?: string;
  /** By port; a prototype-less object, so a port named `__proto__` is a port like any other. */
  outputs: Record<string, unknown>;
}

export interface Summary {
  format: 'blockspin.summary';
  version: 1;
  graph: { title: string | null; description?: string };
  backend: string | null;
  /** By node id; a prototype-less object, so a node named `__proto__` or `constructor` is kept like any other. */
  nodes: Record<string, NodeSummary>;
}

/** An object with no prototype, for keys that come from a graph file. */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function stats(data: ArrayLike<number>): { mean: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return data.length ? { mean: sum / data.length, min, max } : { mean: NaN, min: NaN, max: NaN };
}

/** Meta as plain JSON: arrays of numbers and models are described, not dumped, into summary.json. */
export function plainMeta(meta: unknown, depth = 0): unknown {
  if (ArrayBuffer.isView(meta)) return `${meta.constructor.name}(${(meta as unknown as ArrayLike<number>).length})`;
  if (typeof meta !== 'object' || meta === null) return meta;
  if (isValue(meta) && meta.type === 'rbm') return `rbm ${meta.nv} x ${meta.nh}`;
  if (depth > 4) return '…';
  if (Array.isArray(meta)) return meta.map((item) => plainMeta(item, depth + 1));
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, plainMeta(v, depth + 1)]));
}

/** A JSON-able summary of one output value, plus the files that hold its arrays. */
export function summarizeValue(
  value: unknown,
  baseName: string,
  context: SummaryContext = {},
): { summary: unknown; files: OutputFile[] } {
  if (!isValue(value)) return { summary: { type: 'unknown' }, files: [] };
  const v = value as Value;
  switch (v.type) {
    case 'table': {
      const file = `${baseName}.csv`;
      return {
        summary: { type: 'table', columns: v.columns, rows: v.rows, file },
        files: [{ name: file, bytes: text(tableToCsv(v)) }],
      };
    }
    case 'series':
      return { summary: { type: 'series', x: v.x, xLabel: v.xLabel, yLabel: v.yLabel, curves: v.curves }, files: [] };
    case 'spins': {
      const file = `${baseName}.npy`;
      const temperaturesFile = `${baseName}.T.npy`;
      const temperatures = [...new Set(Array.from(v.T))];
      return {
        summary: {
          type: 'spins',
          shape: v.shape,
          dtype: 'int8',
          ...stats(v.data),
          temperatures,
          file,
          temperaturesFile,
          meta: plainMeta(v.meta),
        },
        files: [
          { name: file, bytes: encodeNpy(v.data, v.shape) },
          { name: temperaturesFile, bytes: encodeNpy(v.T, [v.T.length]) },
        ],
      };
    }
    case 'tensor': {
      const file = `${baseName}.npy`;
      return {
        summary: { type: 'tensor', shape: v.shape, dtype: 'float32', ...stats(v.data), file, meta: plainMeta(v.meta) },
        files: [{ name: file, bytes: encodeNpy(v.data, v.shape) }],
      };
    }
    case 'rbm': {
      const files: OutputFile[] = [];
      const layers: unknown[] = [];
      let layer: typeof v | undefined = v;
      for (let depth = 0; layer; depth++, layer = layer.below) {
        const name = `${baseName}.layer${depth}.W.npy`;
        files.push({ name, bytes: encodeNpy(layer.W, [layer.nv, layer.nh]) });
        layers.push({ nv: layer.nv, nh: layer.nh, visibleShape: layer.visibleShape, W: name, ...stats(layer.W) });
      }
      // The whole stack in one file as well, for NumPy (src/graph/rbm-npz.ts): np.load('<node>.<port>.npz')
      const npz = `${baseName}.npz`;
      files.push({ name: npz, bytes: rbmToNpz(v) });
      return { summary: { type: 'rbm', nv: v.nv, nh: v.nh, layers, npz, training: plainMeta(v.training) }, files };
    }
    case 'figure': {
      const svg = v.svg ?? renderSvg(v.spec as unknown as FigureSpec, nodeDocument());
      const [svgFile, pngFile] = [`${baseName}.svg`, `${baseName}.png`];
      return {
        summary: {
          type: 'figure',
          file: svgFile,
          png: pngFile,
          panels: (v.spec as unknown as FigureSpec).panels?.length ?? 0,
        },
        files: [
          { name: svgFile, bytes: text(svg) },
          { name: pngFile, bytes: svgToPng(svg, context.graphText) },
        ],
      };
    }
  }
}

export function buildSummary(
  graph: GraphDocument,
  statuses: ReadonlyMap<string, NodeStatus>,
  outputs: ReadonlyMap<string, NodeOutput | undefined>,
  /** The TensorFlow.js backend the run's models trained on (GraphEngine.backend()), or null. */
  backend: string | null,
  context: SummaryContext = {},
): { summary: Summary; files: OutputFile[] } {
  const files: OutputFile[] = [];
  const nodes = record<NodeSummary>();
  graph.nodes.forEach((node, index) => {
    const status = statuses.get(node.id) ?? { state: 'idle' };
    const output = outputs.get(node.id);
    const summarized = record<unknown>();
    if (output?.kind === 'value') {
      for (const [port, value] of Object.entries(output.outputs)) {
        const { summary, files: written } = summarizeValue(value, outputBaseName(node.id, port, index), context);
        summarized[port] = summary;
        files.push(...written);
      }
    }
    nodes[node.id] = {
      type: node.type,
      ...(node.label ? { label: node.label } : {}),
      status: status.state,
      ms: status.state === 'done' ? Math.round(status.ms) : null,
      ...(status.state === 'done' && status.waitedMs ? { waitedMs: Math.round(status.waitedMs) } : {}),
      cached: status.state === 'done' && status.cached,
      error: status.state === 'error' ? status.message : null,
      ...(status.state === 'error' && status.origin !== node.id ? { origin: status.origin } : {}),
      ...(status.state === 'waiting' ? { message: status.message } : {}),
      ...(status.state === 'done' && status.warning ? { warning: status.warning } : {}),
      outputs: summarized,
    };
  });
  const taken = new Map<string, string>();
  for (const { name } of files) {
    // outputBaseName makes this impossible; a name written twice would lose an output without a word
    const other = taken.get(name.toLowerCase());
    if (other !== undefined) throw new Error(`two outputs would share the file ${other} (and ${name})`);
    taken.set(name.toLowerCase(), name);
  }
  return {
    summary: {
      format: 'blockspin.summary',
      version: 1,
      graph: {
        title: graph.meta.title ?? null,
        ...(graph.meta.description ? { description: graph.meta.description } : {}),
      },
      backend,
      nodes,
    },
    files,
  };
}

/** Characters JSON.stringify leaves raw that a terminal acts on (`cat summary.json`): DEL, C1, bidi controls. */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * summary.json's text: pretty-printed JSON in which every character a terminal would act on is a \u escape
 * (JSON.stringify already escapes C0 controls; these others can only occur inside strings).
 */
export function summaryJson(summary: Summary): string {
  const json = JSON.stringify(summary, null, 2).replace(
    RAW_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${json}\n`;
}
