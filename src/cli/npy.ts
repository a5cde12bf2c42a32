/** NumPy's .npy format (version 1.0), so Python users can `numpy.load` what the CLI writes. */

type NpyArray = Int8Array | Uint8Array | Int32Array | Float32Array | Float64Array;

const DESCR = new Map<string, string>([
  ['Int8Array', '|i1'],
  ['Uint8Array', '|u1'],
  ['Int32Array', '<i4'],
  ['Float32Array', '<f4'],
  ['Float64Array', '<f8'],
]);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function npyDescr(data: NpyArray): string {
  const descr = DESCR.get(data.constructor.name);
  if (!descr) throw new Error(`cannot write a ${data.constructor.name} as .npy`);
  return descr;
}

/** Encodes a row-major array of the given shape as the bytes of a .npy file. */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new Error(`shape [${shape.join(', ')}] holds ${count} values, the array has ${data.length}`);
  if (!LITTLE_ENDIAN) throw new Error('.npy output assumes a little-endian machine');
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${npyDescr(data)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
