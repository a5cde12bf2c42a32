/**
 * The values that travel along edges. Each carries its port type in `type`, so a value is
 * self-describing in summaries, plots and across worker boundaries.
 */
import type { PortType } from './ports';

export interface SpinsValue {
  type: 'spins';
  /** [n, ...lattice]: n samples of a lattice of the given shape. */
  shape: number[];
  /** ±1, row-major, length = product of shape. */
  data: Int8Array;
  /** Temperature of each sample (length n); NaN if unknown. */
  T: Float64Array;
  meta: Record<string, unknown>;
  /**
   * Present for spins that sit at positions rather than on a lattice (an RBM's hidden units at their
   * receptive fields' centroids): shape is then [n, units], and nothing with bonds (energy, block spins)
   * is defined for them.
   */
  sites?: SiteLayout;
}

/** Where the units of a point-set spins value sit, on the periodic lattice their positions refer to. */
export interface SiteLayout {
  /** The lattice of the positions: its dimension and sites per side. */
  dim: 1 | 2;
  L: number;
  /** Each unit's coordinates in that lattice's units, in [0, L): x0 (1D), or row0, col0, row1, col1, ... (2D). */
  positions: Float64Array;
  /** The units' mean spacing in the same units, L / units^(1/dim): the unit in which C(r) and xi are given. */
  spacing: number;
}

export interface TensorValue {
  type: 'tensor';
  shape: number[];
  data: Float32Array;
  meta: Record<string, unknown>;
}

export interface SeriesValue {
  type: 'series';
  x: number[];
  xLabel: string;
  yLabel?: string;
  /**
   * `style` is a drawing hint from the node that made the curve (a flow drawn as a path); `guide` marks a
   * line drawn for orientation (T = Tc) that points are not judged against.
   */
  curves: { name: string; y: number[]; err?: number[]; style?: 'line' | 'points' | 'line+points'; guide?: boolean }[];
  meta?: Record<string, unknown>;
}

export interface TableValue {
  type: 'table';
  columns: string[];
  rows: (number | string | null)[][];
  meta?: Record<string, unknown>;
}

export interface RbmValue {
  type: 'rbm';
  nv: number;
  nh: number;
  /** nv x nh, row-major. */
  W: Float32Array;
  vbias: Float32Array;
  hbias: Float32Array;
  visibleShape: number[];
  training: Record<string, unknown>;
  below?: RbmValue;
}

export interface FigureValue {
  type: 'figure';
  spec: Record<string, unknown>;
  /** The spec drawn as SVG where the node ran (a worker), so the page only has to show it. */
  svg?: string;
}

export type Value = SpinsValue | TensorValue | SeriesValue | TableValue | RbmValue | FigureValue;

export type ValueType = Value['type'];

/** Sample sets one after another, as one value: their data and T labels joined, the rest as the first has it. */
export function concatSpins(parts: readonly SpinsValue[]): SpinsValue {
  const [first] = parts;
  const samples = parts.reduce((sum, part) => sum + part.shape[0], 0);
  const data = new Int8Array(parts.reduce((sum, part) => sum + part.data.length, 0));
  const T = new Float64Array(samples);
  let at = 0;
  let row = 0;
  for (const part of parts) {
    data.set(part.data, at);
    T.set(part.T, row);
    at += part.data.length;
    row += part.shape[0];
  }
  return { ...first, shape: [samples, ...first.shape.slice(1)], data, T };
}

export function isValue(x: unknown): x is Value {
  return typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string';
}

/** The port type a value claims to be, or null when it is not a Blockspin value at all. */
export function valueType(x: unknown): PortType | null {
  return isValue(x) ? (x.type as PortType) : null;
}

type TypedArray =
  Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** Every distinct ArrayBuffer inside a value, for transferring it to another thread. */
export function transferables(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (isTypedArray(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const item of value) transferables(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) transferables(item, found);
  }
  return [...found];
}

/** Approximate memory held by a value, in bytes (typed arrays counted exactly, the rest roughly). */
export function approximateBytes(value: unknown, seen = new Set<unknown>()): number {
  if (isTypedArray(value)) return value.byteLength;
  if (typeof value === 'string') return 2 * value.length;
  if (typeof value !== 'object' || value === null) return 8;
  if (seen.has(value)) return 0;
  seen.add(value);
  let total = 16;
  const items: unknown[] = Array.isArray(value) ? value : Object.values(value);
  for (const item of items) total += 8 + approximateBytes(item, seen);
  return total;
}
