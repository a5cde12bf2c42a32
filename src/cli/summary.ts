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
import { encodeNpy } from './npy';

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
  ms: number | null;
  cached: boolean;
  error: string | null;
  origin?: string;
  message?: string;
  outputs: Record<string, unknown>;
}

export interface Summary {
  format: 'blockspin.summary';
  version: 1;
  graph: { title: string | null; description?: string };
  backend: string | null;
  nodes: Record<string, NodeSummary>;
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

/** A file name made only of safe characters. */
export function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_');
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
      const temperatures = [...new Set(Array.from(v.T))];
      return {
        summary: {
          type: 'spins',
          shape: v.shape,
          dtype: 'int8',
          ...stats(v.data),
          temperatures,
          file,
          meta: plainMeta(v.meta),
        },
        files: [
          { name: file, bytes: encodeNpy(v.data, v.shape) },
          { name: `${baseName}.T.npy`, bytes: encodeNpy(v.T, [v.T.length]) },
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
      return { summary: { type: 'rbm', nv: v.nv, nh: v.nh, layers, training: plainMeta(v.training) }, files };
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
  statuses: Record<string, NodeStatus>,
  outputs: Record<string, NodeOutput | undefined>,
  /** The TensorFlow.js backend the run's models trained on (GraphEngine.backend()), or null. */
  backend: string | null,
  context: SummaryContext = {},
): { summary: Summary; files: OutputFile[] } {
  const files: OutputFile[] = [];
  const nodes: Record<string, NodeSummary> = {};
  for (const node of graph.nodes) {
    const status = statuses[node.id] ?? { state: 'idle' };
    const output = outputs[node.id];
    const summarized: Record<string, unknown> = {};
    if (output?.kind === 'value') {
      for (const [port, value] of Object.entries(output.outputs)) {
        const { summary, files: written } = summarizeValue(value, safeFileName(`${node.id}.${port}`), context);
        summarized[port] = summary;
        files.push(...written);
      }
    }
    nodes[node.id] = {
      type: node.type,
      ...(node.label ? { label: node.label } : {}),
      status: status.state,
      ms: status.state === 'done' ? Math.round(status.ms) : null,
      cached: status.state === 'done' && status.cached,
      error: status.state === 'error' ? status.message : null,
      ...(status.state === 'error' && status.origin !== node.id ? { origin: status.origin } : {}),
      ...(status.state === 'waiting' ? { message: status.message } : {}),
      outputs: summarized,
    };
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
