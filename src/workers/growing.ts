/**
 * Intermediate values on their way across a worker boundary. An output marked `grows` (PortSpec.grows)
 * extends its previous value along the first axis, so the worker sends only the rows it has not sent yet
 * for that job and port (GrowthSender), and the main side appends them to a buffer of its own and hands on
 * the full value (GrowthReceiver). Everything else crosses whole, but never as a view of a larger buffer:
 * structured clone copies a typed array's whole buffer, so a view of the first rows of a 1 GiB sample set
 * would cost 1 GiB (trimViews).
 */
import type { Value } from '../graph/values';
import type { EmitMessage } from './protocol';

type RowArray = Int8Array | Float32Array | Float64Array;

interface RowPart {
  /** The field of the value that holds the array. */
  field: 'data' | 'T';
  array: RowArray;
  /** Elements per row: the product of the shape after the first axis (1 for a spins set's T). */
  perRow: number;
}

interface Rows {
  rows: number;
  /** The shape after the first axis. */
  rest: number[];
  /** The type and `rest`, as a key: a change of it starts the value afresh. */
  tail: string;
  parts: RowPart[];
}

/** The arrays of a value that run along its first axis, or null when it has none (or they do not fit its shape). */
function rowsOf(value: Value): Rows | null {
  if (value.type !== 'spins' && value.type !== 'tensor') return null;
  const [rows, ...rest] = value.shape;
  if (!Number.isInteger(rows) || rows < 0) return null;
  const perRow = rest.reduce((a, b) => a * b, 1);
  const parts: RowPart[] = [{ field: 'data', array: value.data, perRow }];
  if (value.type === 'spins') parts.push({ field: 'T', array: value.T, perRow: 1 });
  if (parts.some((p) => p.array.length !== rows * p.perRow)) return null;
  return { rows, rest, tail: `${value.type} ${rest.join(',')}`, parts };
}

function isPartialView(array: ArrayBufferView): boolean {
  return (
    array.buffer instanceof ArrayBuffer && (array.byteOffset !== 0 || array.byteLength !== array.buffer.byteLength)
  );
}

/**
 * `value` with every typed array that views only part of its buffer replaced by a copy of exactly its
 * bytes; the copies are added to `transfer` (nothing else holds them, so they can be moved, not copied
 * again). Objects are rebuilt only where something inside them changed.
 */
export function trimViews<T>(value: T, transfer: ArrayBuffer[], seen = new Map<unknown, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value) as T;
  let result: unknown = value;
  if (ArrayBuffer.isView(value)) {
    if (!(value instanceof DataView) && isPartialView(value)) {
      const copy = (value as unknown as RowArray).slice();
      transfer.push(copy.buffer);
      result = copy;
    }
  } else if (Array.isArray(value)) {
    const items = value.map((item) => trimViews(item, transfer, seen));
    if (items.some((item, i) => item !== value[i])) result = items;
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).map(([k, v]) => [k, trimViews(v, transfer, seen)] as const);
    if (entries.some(([k, v]) => v !== (value as Record<string, unknown>)[k])) result = Object.fromEntries(entries);
  }
  seen.set(value, result);
  return result as T;
}

/** One job's intermediate values as the worker sends them: growing outputs trimmed to their new rows. */
export class GrowthSender {
  private readonly sent = new Map<string, { rows: number; tail: string }>();

  /** @param growing the job's output ports marked `grows` */
  constructor(private readonly growing: ReadonlySet<string>) {}

  /** The message for an emit of `outputs`, and the buffers it may move (copies made for it alone). */
  encode(outputs: Record<string, Value>): { message: EmitMessage; transfer: ArrayBuffer[] } {
    const transfer: ArrayBuffer[] = [];
    const message: EmitMessage = { outputs: {}, appended: {} };
    for (const [port, value] of Object.entries(outputs)) {
      const rows = this.growing.has(port) ? rowsOf(value) : null;
      if (!rows) {
        message.outputs[port] = trimViews(value, transfer);
        continue;
      }
      const before = this.sent.get(port);
      const from = before && before.tail === rows.tail && before.rows <= rows.rows ? before.rows : 0;
      const part: Record<string, unknown> = { ...value, shape: [rows.rows - from, ...rows.rest] };
      for (const { field, array, perRow } of rows.parts) {
        const copy = array.slice(from * perRow, rows.rows * perRow);
        transfer.push(copy.buffer);
        part[field] = copy;
      }
      message.outputs[port] = trimViews(part as unknown as Value, transfer);
      // How many rows the buffer under the value could hold: a sampler that fills a preallocated set
      // tells the receiver its final size, so the receiver's buffer never outgrows it.
      const { array, perRow } = rows.parts[0];
      const room =
        perRow > 0 ? Math.floor((array.buffer.byteLength - array.byteOffset) / array.BYTES_PER_ELEMENT / perRow) : 0;
      message.appended[port] = { from, capacity: Math.max(rows.rows, room) };
      this.sent.set(port, { rows: rows.rows, tail: rows.tail });
    }
    return { message, transfer };
  }
}

interface Held extends Rows {
  capacity: number;
}

/**
 * One job's intermediate values as the main side receives them: the new rows of a growing output are
 * appended to a buffer that doubles when full (up to the size the sender announced), and the value handed
 * on views its first rows. Earlier values stay valid: the rows they view are never written again.
 */
export class GrowthReceiver {
  private readonly held = new Map<string, Held>();

  decode(message: EmitMessage): Record<string, Value> {
    const outputs: Record<string, Value> = { ...message.outputs };
    for (const [port, { from, capacity }] of Object.entries(message.appended)) {
      const value = message.outputs[port];
      const part = value && rowsOf(value);
      if (!part) throw new Error(`the intermediate value of output '${port}' does not have rows to append`);
      const held = from === 0 ? this.start(part) : this.held.get(port);
      if (!held || held.rows !== from || held.tail !== part.tail) {
        throw new Error(
          `the intermediate value of output '${port}' arrived out of step (rows from ${from}, ${held?.rows ?? 0} held)`,
        );
      }
      this.append(held, part, capacity);
      this.held.set(port, held);
      const full: Record<string, unknown> = { ...value, shape: [held.rows, ...held.rest] };
      for (const { field, array, perRow } of held.parts) full[field] = array.subarray(0, held.rows * perRow);
      outputs[port] = full as unknown as Value;
    }
    return outputs;
  }

  private start(part: Rows): Held {
    const parts = part.parts.map((p) => ({ ...p, array: new (p.array.constructor as RowArrayType)(0) }));
    return { rows: 0, rest: part.rest, tail: part.tail, parts, capacity: 0 };
  }

  private append(held: Held, part: Rows, limit: number): void {
    const needed = held.rows + part.rows;
    if (needed > held.capacity) {
      // Doubling keeps appends amortised O(new rows); the sender's announced size caps the last step.
      const capacity = Math.max(needed, Math.min(limit, 2 * held.capacity));
      for (const p of held.parts) {
        const grown = new (p.array.constructor as RowArrayType)(capacity * p.perRow);
        grown.set(p.array.subarray(0, held.rows * p.perRow));
        p.array = grown;
      }
      held.capacity = capacity;
    }
    part.parts.forEach((p, i) => held.parts[i].array.set(p.array, held.rows * p.perRow));
    held.rows = needed;
  }
}

type RowArrayType = new (length: number) => RowArray;
