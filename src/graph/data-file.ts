/**
 * The data files Import data reads, and what a graph file records of one: its name, SHA-256, size, dtype
 * and shape, so a file that is missing or not the one recorded is a clear error, and the memory it needs
 * is known before anything runs.
 *
 * - spins: a .npy of int8 ±1 of shape [n, L] (chains) or [n, L, L] (square lattices), with the temperature
 *   of each sample from an optional `<name>.T.npy` beside it (float64 or float32, n values, NaN for unknown);
 * - tensor: a .npy of float32 (or float64, read as float32) values in [0, 1], of shape [n, ...units];
 * - model: a .npz of an RBM stack (src/graph/rbm-npz.ts).
 *
 * `describe*` make a record from a file's bytes (the app, when a file is dropped); `read*` turn the bytes
 * back into a value, checking every value (the node's run, in a worker).
 */
import { z } from 'zod';
import { formatBytes } from './budget';
import { SHA256, sha256Hex, type FileRef } from './files';
import { decodeNpy, readNpyHeader, type NpyDtype } from './npy';
import { readNpz } from './npz';
import { rbmFromNpz, rbmLayers } from './rbm-npz';
import type { RbmValue, SpinsValue, TensorValue } from './values';

/** The largest data file read: 1 GiB, as the largest lattice a Lattice Generator makes. */
export const MAX_DATA_FILE_BYTES = 2 ** 30;
/** The largest value a data file may give (its size in memory), checked from the recorded shape. */
export const MAX_DATA_VALUE_BYTES = 2 ** 31;

const name = z
  .string()
  .min(1, 'a file name cannot be empty')
  .max(1024, 'a file name is at most 1024 characters')
  .refine((s) => !s.includes('\u0000'), 'a file name cannot hold a NUL character');
const sha256 = z.string().regex(SHA256, 'sha256 must be 64 lower-case hex digits (sha256sum FILE)');
const bytes = z
  .number()
  .int()
  .min(0)
  .max(MAX_DATA_FILE_BYTES, `data files are at most ${MAX_DATA_FILE_BYTES / 2 ** 20} MiB`);
const extent = z.number().int().min(1, 'every axis of the shape has at least 1 element');

const fileFields = { name, sha256, bytes };

const temperaturesRecord = z.strictObject({
  ...fileFields,
  dtype: z.enum(['float64', 'float32']),
  shape: z.tuple([extent]),
});

const spinsRecord = z.strictObject({
  kind: z.literal('spins'),
  ...fileFields,
  dtype: z.literal('int8'),
  shape: z.array(extent).min(2).max(3),
  temperatures: temperaturesRecord.optional(),
});

const tensorRecord = z.strictObject({
  kind: z.literal('tensor'),
  ...fileFields,
  dtype: z.enum(['float32', 'float64']),
  shape: z.array(extent).min(1).max(8),
});

const modelRecord = z.strictObject({
  kind: z.literal('model'),
  ...fileFields,
  dtype: z.enum(['float32', 'float64']),
  /** [nv, nh] of each layer, the top first (layer0 of the file). */
  layers: z
    .array(z.tuple([extent, extent]))
    .min(1)
    .max(64),
  visibleShape: z.array(extent).min(1).max(8),
});

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** What a graph file records of a data file; `kind` is the output it gives. */
export const dataFileRecord = z
  .discriminatedUnion('kind', [spinsRecord, tensorRecord, modelRecord], {
    error: "kind must be 'spins', 'tensor' or 'model'",
  })
  .superRefine((r, ctx) => {
    if (r.kind === 'spins') {
      const [n, L, M] = r.shape;
      if (L < 2) ctx.addIssue({ code: 'custom', path: ['shape'], message: 'a periodic lattice needs L >= 2' });
      if (M !== undefined && M !== L) {
        ctx.addIssue({
          code: 'custom',
          path: ['shape'],
          message: `spins of shape [${r.shape.join(', ')}]: a 2D lattice is square, [n, L, L]`,
        });
      }
      if (r.temperatures && r.temperatures.shape[0] !== n) {
        ctx.addIssue({
          code: 'custom',
          path: ['temperatures', 'shape'],
          message: `${r.temperatures.shape[0]} temperatures for ${n} samples`,
        });
      }
    }
    if (r.kind === 'model') {
      for (let k = 0; k + 1 < r.layers.length; k++) {
        if (r.layers[k][0] !== r.layers[k + 1][1]) {
          ctx.addIssue({
            code: 'custom',
            path: ['layers', k],
            message: 'each layer’s visible units are the hidden units of the layer below',
          });
        }
      }
      if (product(r.visibleShape) !== r.layers[r.layers.length - 1][0]) {
        ctx.addIssue({
          code: 'custom',
          path: ['visibleShape'],
          message: 'the visible shape holds nv units of the bottom layer',
        });
      }
    }
    if (dataValueBytes(r) > MAX_DATA_VALUE_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: [r.kind === 'model' ? 'layers' : 'shape'],
        message: `its value would take ${formatBytes(dataValueBytes(r))} of memory; at most ${formatBytes(MAX_DATA_VALUE_BYTES)} is read`,
      });
    }
  });

export type DataFileRecord = z.output<typeof dataFileRecord>;
export type SpinsRecord = Extract<DataFileRecord, { kind: 'spins' }>;
export type TensorRecord = Extract<DataFileRecord, { kind: 'tensor' }>;
export type ModelRecord = Extract<DataFileRecord, { kind: 'model' }>;

/** The bytes the value a record describes takes in memory. */
export function dataValueBytes(record: DataFileRecord): number {
  if (record.kind === 'spins') return product(record.shape) + 8 * record.shape[0];
  if (record.kind === 'tensor') return 4 * product(record.shape);
  return record.layers.reduce((sum, [nv, nh]) => sum + 4 * (nv * nh + nv + nh), 0);
}

/** The files a record names: the data file, and its temperatures beside it. */
export function recordFiles(record: DataFileRecord): FileRef[] {
  const refs: FileRef[] = [{ name: record.name, sha256: record.sha256, bytes: record.bytes }];
  if (record.kind === 'spins' && record.temperatures) {
    const { name, sha256, bytes } = record.temperatures;
    refs.push({ name, sha256, bytes });
  }
  return refs;
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** The name of the temperatures file beside a spins file: `spins.npy` -> `spins.T.npy`. */
export function temperaturesName(file: string): string {
  return file.replace(/(\.npy)?$/i, '.T.npy');
}

export const isTemperaturesName = (file: string) => /\.T\.npy$/i.test(file);

// ---- describing a file -------------------------------------------------------------------------

/**
 * What a graph records of a .npy file, from its header (the first bytes: `total` is the whole file's
 * size): spins for int8, a tensor for floats. The values themselves are checked when the node runs.
 */
export function describeNpy(
  head: Uint8Array,
  file: { name: string; sha256: string; bytes: number },
): SpinsRecord | TensorRecord {
  const header = readNpyHeader(head, file.name, file.bytes);
  const record =
    header.dtype === 'int8'
      ? { kind: 'spins' as const, ...file, dtype: 'int8' as const, shape: header.shape }
      : header.dtype === 'float32' || header.dtype === 'float64'
        ? { kind: 'tensor' as const, ...file, dtype: header.dtype, shape: header.shape }
        : refuse(
            file.name,
            `it holds ${header.dtype}: Import data reads int8 spins (±1) or float32 values in [0, 1] ` +
              `(a.astype(np.int8), a.astype(np.float32))`,
          );
  return checked(record) as SpinsRecord | TensorRecord;
}

/** What a graph records of a temperatures file (`<name>.T.npy`), from its header. */
export function describeTemperatures(
  head: Uint8Array,
  file: { name: string; sha256: string; bytes: number },
): NonNullable<SpinsRecord['temperatures']> {
  const header = readNpyHeader(head, file.name, file.bytes);
  if (header.dtype !== 'float64' && header.dtype !== 'float32') {
    refuse(file.name, `temperatures are float64 (or float32), not ${header.dtype}`);
  }
  if (header.shape.length !== 1) {
    refuse(file.name, `temperatures are one per sample, shape [n]; this one is ${shapeText(header.shape)}`);
  }
  return { ...file, dtype: header.dtype as 'float64' | 'float32', shape: [header.shape[0]] };
}

/** A spins record with its temperatures beside it. */
export function withTemperatures(record: SpinsRecord, temperatures: SpinsRecord['temperatures']): SpinsRecord {
  return checked({ ...record, temperatures }) as SpinsRecord;
}

/** What a graph records of an RBM's .npz: the whole file is read (a model is small next to its data). */
export function describeModel(bytes: Uint8Array, file: { name: string; sha256: string; bytes: number }): ModelRecord {
  const maxBytes = 2 * MAX_DATA_FILE_BYTES;
  const model = rbmFromNpz(bytes, file.name, { maxBytes });
  const layers = rbmLayers(model);
  const top = readNpz(bytes, file.name, { maxBytes }).get('layer0_W.npy');
  const dtype = top ? readNpyHeader(top, file.name).dtype : 'float32';
  return checked({
    kind: 'model',
    ...file,
    dtype,
    layers: layers.map((l) => [l.nv, l.nh] as [number, number]),
    visibleShape: layers[layers.length - 1].visibleShape,
  }) as ModelRecord;
}

/**
 * The record of a data file from its bytes, and of the temperatures file beside it when there is one:
 * a .npy (spins or a tensor) or an RBM's .npz, by its name's extension.
 */
export async function describeDataFile(
  file: { name: string; bytes: Uint8Array },
  temperatures?: { name: string; bytes: Uint8Array },
): Promise<DataFileRecord> {
  const about = async (f: { name: string; bytes: Uint8Array }) => {
    if (f.bytes.length > MAX_DATA_FILE_BYTES) {
      refuse(f.name, `it is ${f.bytes.length} bytes; data files are at most ${MAX_DATA_FILE_BYTES / 2 ** 20} MiB`);
    }
    return { name: f.name, sha256: await sha256Hex(f.bytes), bytes: f.bytes.length };
  };
  if (/\.npz$/i.test(file.name)) {
    if (temperatures) refuse(temperatures.name, `temperatures go with spins, not with a model (${file.name})`);
    return describeModel(file.bytes, await about(file));
  }
  if (!/\.npy$/i.test(file.name)) {
    refuse(file.name, 'Import data reads a .npy (spins, or values in [0, 1]) or the .npz of an RBM');
  }
  const record = describeNpy(file.bytes, await about(file));
  if (!temperatures) return record;
  if (record.kind !== 'spins')
    refuse(temperatures.name, `temperatures go with spins, and ${file.name} holds ${record.dtype}`);
  return withTemperatures(record as SpinsRecord, describeTemperatures(temperatures.bytes, await about(temperatures)));
}

function refuse(file: string, why: string): never {
  throw new Error(`${file}: ${why}`);
}

/** A record through the schema, so that a file the graph could not hold is refused when it is dropped. */
function checked(record: unknown): DataFileRecord {
  const parsed = dataFileRecord.safeParse(record);
  if (parsed.success) return parsed.data;
  const file = (record as { name: string }).name;
  const issue = parsed.error.issues[0];
  return refuse(file, `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
}

// ---- reading a file ----------------------------------------------------------------------------

/** Refuses a file whose header is not what the graph recorded (it was edited, or the record was). */
function expectHeader(
  file: string,
  found: { dtype: NpyDtype; shape: number[] },
  recorded: { dtype: string; shape: readonly number[] },
) {
  if (found.dtype !== recorded.dtype || !sameShape(found.shape, recorded.shape)) {
    refuse(
      file,
      `it holds ${found.dtype} ${shapeText(found.shape)}, the graph records ${recorded.dtype} ` +
        `${shapeText(recorded.shape)}: import the file again`,
    );
  }
}

/** Spins from a spins file and its temperatures; every spin must be ±1, every temperature > 0 or NaN. */
export function readSpins(
  record: SpinsRecord,
  bytes: Uint8Array,
  temperatures: Uint8Array | undefined,
  couplings: { J: number; h: number },
): SpinsValue {
  const read = decodeNpy(bytes, record.name);
  expectHeader(record.name, read, record);
  const data = read.data as Int8Array;
  const [n, L] = record.shape;
  const N = data.length / n;
  for (let i = 0; i < data.length; i++) {
    const s = data[i];
    if (s !== 1 && s !== -1) {
      const sample = Math.floor(i / N);
      refuse(
        record.name,
        `spin ${s} at sample ${sample}, site ${i - sample * N} is not ±1 (spins are int8 +1 or -1; ` +
          `for 0/1 data, save float32 values in [0, 1])`,
      );
    }
  }
  const T = new Float64Array(n).fill(NaN);
  if (record.temperatures) {
    if (!temperatures) refuse(record.temperatures.name, 'the temperatures file was not read');
    const t = record.temperatures;
    const readT = decodeNpy(temperatures!, t.name);
    if (readT.shape.length !== 1 || readT.shape[0] !== n) {
      refuse(
        t.name,
        `it holds ${product(readT.shape)} temperatures in ${shapeText(readT.shape)} for the ${n} samples of ${record.name}`,
      );
    }
    expectHeader(t.name, readT, t);
    const values = readT.data as Float64Array | Float32Array;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (!Number.isNaN(x) && !(x > 0 && Number.isFinite(x))) {
        refuse(
          t.name,
          `temperature ${x} of sample ${i} is not > 0 (temperatures are in units of J/k_B; NaN marks an unknown one)`,
        );
      }
      T[i] = x;
    }
  }
  const dim = record.shape.length - 1;
  return {
    type: 'spins',
    shape: [...record.shape],
    data,
    T,
    meta: {
      model: 'ising',
      dim,
      L,
      J: couplings.J,
      h: couplings.h,
      boundary: 'periodic',
      blockFactor: 1,
      provenance: [{ node: 'data.import', file: record.name, sha256: record.sha256 }],
    },
  };
}

/** A tensor from a float file; every value must lie in [0, 1]. */
export function readTensor(record: TensorRecord, bytes: Uint8Array): TensorValue {
  const read = decodeNpy(bytes, record.name);
  expectHeader(record.name, read, record);
  const data = read.data instanceof Float32Array ? read.data : Float32Array.from(read.data as Float64Array);
  const units = record.shape.length > 1 ? product(record.shape.slice(1)) : 1;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (!(x >= 0 && x <= 1)) {
      const where = `row ${Math.floor(i / units)}, unit ${i % units}`;
      refuse(record.name, Number.isNaN(x) ? `NaN at ${where}` : `value ${x} at ${where} is outside [0, 1]`);
    }
  }
  return {
    type: 'tensor',
    shape: [...record.shape],
    data,
    meta: { source: 'data.import', file: record.name, sha256: record.sha256 },
  };
}

/** An RBM stack from its .npz; its layers must be the ones recorded. */
export function readModel(record: ModelRecord, bytes: Uint8Array): RbmValue {
  // Members may unpack to the weights' float64 size and their headers, and a training record.
  const maxBytes = 2 * dataValueBytes(record) + 4096 * (4 * record.layers.length + 1) + 2 ** 20;
  const model = rbmFromNpz(bytes, record.name, { maxBytes });
  const layers = rbmLayers(model).map((l) => [l.nv, l.nh]);
  const bottom = rbmLayers(model).at(-1)!;
  if (
    JSON.stringify(layers) !== JSON.stringify(record.layers) ||
    !sameShape(bottom.visibleShape, record.visibleShape)
  ) {
    refuse(
      record.name,
      `its layers are ${JSON.stringify(layers)} on ${shapeText(bottom.visibleShape)}, the graph records ` +
        `${JSON.stringify(record.layers)} on ${shapeText(record.visibleShape)}: import the file again`,
    );
  }
  return model;
}
