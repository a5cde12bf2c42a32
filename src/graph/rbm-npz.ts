/**
 * An RBM stack as one .npz file, for NumPy and back:
 *
 *   layer<k>_W              float32 [nv, nh]   p(h_j = 1 | v) = sigmoid(sum_i v_i W_ij + hbias_j)
 *   layer<k>_vbias          float32 [nv]
 *   layer<k>_hbias          float32 [nh]
 *   layer<k>_visible_shape  int32   [d]        the shape of one visible sample (product nv)
 *   training.json           {"format": "blockspin.rbm-training", "version": 1, "layers": [record of each k]}
 *
 * Layer 0 is the model itself, the top of its stack; layer 1 is the RBM it was trained on (`below`), and so
 * on down to the visible units, as the CLI's `<node>.<port>.layer<k>.W.npy` files number them. Units are 0/1
 * (spins map +1 -> 1, -1 -> 0). Reading accepts float64 arrays and any integer visible shape, as NumPy
 * users save them, and checks that the layers fit together.
 */
import { decodeNpy, encodeNpy, type NpyArrayRead } from './npy';
import { encodeNpz, readNpz } from './npz';
import type { RbmValue } from './values';

export const TRAINING_MEMBER = 'training.json';
const TRAINING_FORMAT = 'blockspin.rbm-training';

/** Most layers read from one file. */
export const MAX_RBM_LAYERS = 64;

/** The stack of an RBM value, top first. */
export function rbmLayers(model: RbmValue): RbmValue[] {
  const layers: RbmValue[] = [];
  for (let layer: RbmValue | undefined = model; layer; layer = layer.below) layers.push(layer);
  return layers;
}

/** A training record as JSON: typed arrays as lists, non-finite numbers as null. */
function trainingJson(layers: readonly RbmValue[]): string {
  return JSON.stringify(
    { format: TRAINING_FORMAT, version: 1, layers: layers.map((layer) => layer.training) },
    (_key, value: unknown) => {
      if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
      if (typeof value === 'number' && !Number.isFinite(value)) return null;
      if (typeof value === 'bigint') return Number(value);
      return value;
    },
    2,
  );
}

/** The .npz file of an RBM stack (see above). */
export function rbmToNpz(model: RbmValue): Uint8Array<ArrayBuffer> {
  const members: Record<string, Uint8Array> = {};
  rbmLayers(model).forEach((layer, k) => {
    members[`layer${k}_W.npy`] = encodeNpy(layer.W, [layer.nv, layer.nh]);
    members[`layer${k}_vbias.npy`] = encodeNpy(layer.vbias, [layer.nv]);
    members[`layer${k}_hbias.npy`] = encodeNpy(layer.hbias, [layer.nh]);
    members[`layer${k}_visible_shape.npy`] = encodeNpy(Int32Array.from(layer.visibleShape), [
      layer.visibleShape.length,
    ]);
  });
  members[TRAINING_MEMBER] = new TextEncoder().encode(trainingJson(rbmLayers(model)));
  return encodeNpz(members);
}

export interface RbmFileLimits {
  /** Bytes the members may unpack to: what the graph file recorded of this model, say. */
  maxBytes: number;
}

/** Reads the .npz of an RBM stack; `file` names it in every error. */
export function rbmFromNpz(bytes: Uint8Array, file: string, limits: RbmFileLimits): RbmValue {
  const fail = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  const members = readNpz(bytes, file, { maxBytes: limits.maxBytes });
  const arrays = new Map<string, NpyArrayRead>();
  const array = (name: string): NpyArrayRead => {
    let read = arrays.get(name);
    if (!read) {
      const member = members.get(`${name}.npy`) ?? members.get(name);
      if (!member) {
        const held = [...members.keys()].map((m) => m.replace(/\.npy$/, '')).slice(0, 8);
        fail(
          `it holds no ${name}: an RBM file has layer<k>_W, layer<k>_vbias, layer<k>_hbias and ` +
            `layer<k>_visible_shape for k = 0 (the top layer) and up; it holds ${held.join(', ') || 'nothing'}`,
        );
      }
      read = decodeNpy(member!, `${file}, ${name}`);
      arrays.set(name, read);
    }
    return read;
  };
  let depth = 0;
  while (members.has(`layer${depth}_W.npy`) || members.has(`layer${depth}_W`)) depth++;
  if (depth === 0) array('layer0_W'); // refuses with what the file holds instead
  if (depth > MAX_RBM_LAYERS) fail(`it has ${depth} layers; at most ${MAX_RBM_LAYERS} are read`);
  const training = readTraining(members.get(TRAINING_MEMBER), depth, fail);
  const layers: RbmValue[] = [];
  for (let k = 0; k < depth; k++) {
    const W = array(`layer${k}_W`);
    if (W.shape.length !== 2) fail(`layer${k}_W has shape (${W.shape.join(', ')}); it must be [nv, nh]`);
    const [nv, nh] = W.shape;
    if (nv < 1 || nh < 1) fail(`layer${k}_W has shape (${nv}, ${nh}); an RBM has at least one unit on each side`);
    const vector = (name: string, length: number) => {
      const read = array(name);
      if (read.shape.length !== 1 || read.shape[0] !== length) {
        fail(`${name} has shape (${read.shape.join(', ')}); layer${k}_W is (${nv}, ${nh}), so it must be (${length},)`);
      }
      return floats(read, name, fail);
    };
    const shapeRead = array(`layer${k}_visible_shape`);
    if (shapeRead.shape.length !== 1 || shapeRead.shape[0] < 1 || shapeRead.dtype.startsWith('float')) {
      fail(`layer${k}_visible_shape must be a list of integers, e.g. np.array([40, 40])`);
    }
    const visibleShape = Array.from(shapeRead.data as ArrayLike<number | bigint>, Number);
    const units = visibleShape.reduce((a, b) => a * b, 1);
    if (!visibleShape.every((n) => Number.isInteger(n) && n >= 1) || units !== nv) {
      fail(
        `layer${k}_visible_shape is [${visibleShape.join(', ')}]; it must be positive integers whose product is nv = ${nv}`,
      );
    }
    layers.push({
      type: 'rbm',
      nv,
      nh,
      W: floats(W, `layer${k}_W`, fail),
      vbias: vector(`layer${k}_vbias`, nv),
      hbias: vector(`layer${k}_hbias`, nh),
      visibleShape,
      training: training[k],
    });
  }
  for (let k = 0; k + 1 < depth; k++) {
    if (layers[k].nv !== layers[k + 1].nh) {
      fail(
        `layer${k} has ${layers[k].nv} visible units but layer${k + 1} below it has ${layers[k + 1].nh} hidden ` +
          `units: each layer's visible units are the hidden units of the layer below`,
      );
    }
  }
  for (let k = depth - 2; k >= 0; k--) layers[k] = { ...layers[k], below: layers[k + 1] };
  return layers[0];
}

/** A float array as float32, refusing NaN and infinities. */
function floats(read: NpyArrayRead, name: string, fail: (why: string) => never): Float32Array {
  if (read.dtype !== 'float32' && read.dtype !== 'float64') {
    fail(`${name} is ${read.dtype}; weights and biases are float32 (or float64)`);
  }
  const data = read.data instanceof Float32Array ? read.data : Float32Array.from(read.data as Float64Array);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      fail(`${name} holds ${read.data[i]} at index ${i}${read.dtype === 'float64' ? ' (as float32)' : ''}`);
    }
  }
  return data;
}

/** Each layer's training record from training.json, or a note that the file had none. */
function readTraining(
  member: Uint8Array | undefined,
  depth: number,
  fail: (why: string) => never,
): Record<string, unknown>[] {
  if (!member) return Array.from({ length: depth }, () => ({ note: `no ${TRAINING_MEMBER} in the file` }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(member));
  } catch (error) {
    return fail(`its ${TRAINING_MEMBER} is not JSON (${(error as Error).message})`);
  }
  const record = parsed as { format?: unknown; version?: unknown; layers?: unknown };
  const layers = record?.layers;
  const isObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (
    !isObject(record) ||
    record.format !== TRAINING_FORMAT ||
    record.version !== 1 ||
    !Array.isArray(layers) ||
    layers.length !== depth ||
    !layers.every(isObject)
  ) {
    fail(
      `its ${TRAINING_MEMBER} is not a training record of its ${depth} layer${depth === 1 ? '' : 's'} ` +
        `({"format": "${TRAINING_FORMAT}", "version": 1, "layers": [one object per layer]})`,
    );
  }
  return layers as Record<string, unknown>[];
}
