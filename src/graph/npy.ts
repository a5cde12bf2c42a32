/**
 * NumPy's .npy format: written (version 1.0) so Python users can `numpy.load` what Blockspin writes, and
 * read (versions 1.0, 2.0 and 3.0) so they can hand Blockspin their own arrays.
 *
 * A file to read comes from someone else, so every field is checked before anything is allocated for it,
 * and each refusal names the file and what is wrong: the magic string, the version, the header (parsed as
 * the small Python literal NumPy writes, never evaluated), the dtype, the memory order, and a shape that
 * does not match the bytes after the header.
 */

type NpyArray = Int8Array | Uint8Array | Int32Array | Float32Array | Float64Array;

const DESCR = new Map<string, string>([
  ['Int8Array', '|i1'],
  ['Uint8Array', '|u1'],
  ['Int32Array', '<i4'],
  ['Float32Array', '<f4'],
  ['Float64Array', '<f8'],
]);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Longest header read. NumPy writes about 128 bytes (its own loader refuses more than 10,000 by default). */
export const MAX_NPY_HEADER_BYTES = 65_536;

export function npyDescr(data: NpyArray): string {
  const descr = DESCR.get(data.constructor.name);
  if (!descr) throw new Error(`cannot write a ${data.constructor.name} as .npy`);
  return descr;
}

/** Encodes a row-major array of the given shape as the bytes of a .npy file. */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array<ArrayBuffer> {
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
  out.set([...MAGIC, 1, 0], 0); // version 1.0
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

// ---- reading -----------------------------------------------------------------------------------

/** The element types Blockspin reads, by NumPy's name for them. */
export type NpyDtype = 'int8' | 'uint8' | 'int32' | 'int64' | 'float32' | 'float64';

const DTYPES: Record<NpyDtype, { code: string; size: number }> = {
  int8: { code: 'i1', size: 1 },
  uint8: { code: 'u1', size: 1 },
  int32: { code: 'i4', size: 4 },
  int64: { code: 'i8', size: 8 },
  float32: { code: 'f4', size: 4 },
  float64: { code: 'f8', size: 8 },
};

const BY_CODE = new Map(Object.entries(DTYPES).map(([dtype, { code }]) => [code, dtype as NpyDtype]));

export type NpyData = Int8Array | Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

const ARRAYS: Record<NpyDtype, new (buffer: ArrayBuffer) => NpyData> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int32: Int32Array,
  int64: BigInt64Array,
  float32: Float32Array,
  float64: Float64Array,
};

export interface NpyHeader {
  version: 1 | 2 | 3;
  dtype: NpyDtype;
  /** The descr as the file has it, e.g. '<f4'. */
  descr: string;
  shape: number[];
  /** Where the data begins. */
  dataOffset: number;
  /** Bytes of data the shape and dtype need. */
  dataBytes: number;
}

export interface NpyArrayRead {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

/** Bytes of element data a shape of this dtype holds. */
export function npyDataBytes(dtype: NpyDtype, shape: readonly number[]): number {
  return DTYPES[dtype].size * shape.reduce((a, b) => a * b, 1);
}

const shapeText = (shape: readonly number[]) => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

/** A tiny reader of the Python literal in a .npy header: a dict of strings, booleans and tuples of ints. */
class HeaderParser {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly fail: (why: string) => never,
  ) {}

  parseDict(): Map<string, unknown> {
    const entries = new Map<string, unknown>();
    this.expect('{');
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') break;
      const key = this.parseString();
      if (entries.has(key)) this.fail(`the header names '${key}' twice`);
      this.expect(':');
      entries.set(key, this.parseValue());
      this.skipSpace();
      if (this.peek() === ',') this.at++;
      else if (this.peek() !== '}') this.fail(`the header is not a Python dict (at character ${this.at})`);
    }
    this.at++;
    this.skipSpace();
    if (this.at !== this.text.length) this.fail('the header has text after its dict');
    return entries;
  }

  private parseValue(): unknown {
    this.skipSpace();
    const c = this.peek();
    if (c === "'" || c === '"') return this.parseString();
    if (c === '(' || c === '[') return this.parseTuple(c === '(' ? ')' : ']');
    for (const [word, value] of [
      ['True', true],
      ['False', false],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    if (c === '{') this.fail('the header holds a nested dict (a structured dtype?), which Blockspin does not read');
    this.fail(`the header holds a value Blockspin does not read (at character ${this.at})`);
  }

  private parseTuple(close: string): unknown[] {
    this.at++;
    const items: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === close) break;
      const match = /^(\d+)L?(?=\s*[,)\]])/.exec(this.text.slice(this.at, this.at + 32));
      if (match) {
        items.push(Number(match[1]));
        this.at += match[0].length;
      } else if (this.peek() === "'" || this.peek() === '"' || this.peek() === '(' || this.peek() === '[') {
        items.push(this.parseValue());
      } else {
        this.fail(`the header's shape holds something other than non-negative integers (at character ${this.at})`);
      }
      this.skipSpace();
      if (this.peek() === ',') this.at++;
      else if (this.peek() !== close) this.fail(`the header has an unclosed tuple (at character ${this.at})`);
    }
    this.at++;
    return items;
  }

  private parseString(): string {
    this.skipSpace();
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail(`the header is not a Python dict (at character ${this.at})`);
    const end = this.text.indexOf(quote, this.at + 1);
    if (end < 0) this.fail('the header has an unclosed string');
    const value = this.text.slice(this.at + 1, end);
    this.at = end + 1;
    return value;
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.peek() !== c) this.fail(`the header is not a Python dict (expected '${c}' at character ${this.at})`);
    this.at++;
  }

  private peek(): string {
    return this.text[this.at] ?? '';
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }
}

/** The dtype a descr names, or a refusal that says which ones are read. */
function dtypeOf(descr: unknown, fail: (why: string) => never): NpyDtype {
  if (typeof descr !== 'string') fail('its dtype is structured (a list of fields), which Blockspin does not read');
  const order = /^[<>|=]/.test(descr) ? descr[0] : '';
  const code = descr.slice(order.length);
  const dtype = BY_CODE.get(code);
  const known = Object.keys(DTYPES).join(', ');
  if (!dtype) fail(`its dtype '${descr}' is not supported (Blockspin reads ${known})`);
  if (order === '>' && DTYPES[dtype].size > 1) {
    fail(`its data is big-endian ('${descr}'): save it little-endian, e.g. a.astype('<${code}')`);
  }
  return dtype;
}

/**
 * Reads and checks a .npy file's header: `file` names it in every error. `total` is the file's whole size
 * when `bytes` holds only its start (the header of a large file, read before the rest of it); the shape
 * must then account for every byte after the header.
 */
export function readNpyHeader(bytes: Uint8Array, file: string, total = bytes.length): NpyHeader {
  const fail = (why: string): never => {
    throw new Error(`${file}: ${why}`);
  };
  if (total < 10 || bytes.length < 10) fail(`it is not a .npy file (${total} bytes, too short for the header)`);
  if (!MAGIC.every((b, i) => bytes[i] === b)) fail('it is not a .npy file (it does not start with \\x93NUMPY)');
  const [major, minor] = [bytes[6], bytes[7]];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    fail(`its .npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) fail('it is not a .npy file (too short for the header)');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER_BYTES) {
    fail(`its header is ${headerLength} bytes long; Blockspin reads headers of at most ${MAX_NPY_HEADER_BYTES}`);
  }
  const dataOffset = start + headerLength;
  if (dataOffset > total) fail(`its header (${headerLength} bytes) runs past the end of the file (${total} bytes)`);
  if (dataOffset > bytes.length) fail('its header was not read whole');
  const raw = bytes.subarray(start, dataOffset);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(raw);
  const entries = new HeaderParser(text, (why) => fail(why)).parseDict();
  const keys = [...entries.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') {
    fail(`its header has the keys ${keys || 'none'}; a .npy header has exactly descr, fortran_order and shape`);
  }
  const descr = entries.get('descr');
  const dtype = dtypeOf(descr, fail);
  const fortran = entries.get('fortran_order');
  if (typeof fortran !== 'boolean') fail("its header's fortran_order is not True or False");
  const shape = entries.get('shape');
  if (!Array.isArray(shape) || !shape.every((n) => typeof n === 'number' && Number.isSafeInteger(n))) {
    fail("its header's shape is not a tuple of non-negative integers");
  }
  const dims = shape as number[];
  // Column-major order differs from row-major only when two axes have more than one element.
  if (fortran && dims.filter((n) => n > 1).length > 1) {
    fail('its array is stored in Fortran (column-major) order: save np.ascontiguousarray(a) instead');
  }
  let count = 1;
  for (const n of dims) {
    count *= n;
    if (!Number.isSafeInteger(count)) fail(`its shape ${shapeText(dims)} holds more values than can be read`);
  }
  const dataBytes = count * DTYPES[dtype].size;
  const after = total - dataOffset;
  if (after !== dataBytes) {
    fail(
      `its shape ${shapeText(dims)} of ${dtype} needs ${dataBytes} bytes of data, but ${after} follow the header` +
        (after < dataBytes ? ' (the file is cut short)' : ''),
    );
  }
  return { version: major as 1 | 2 | 3, dtype, descr: descr as string, shape: dims, dataOffset, dataBytes };
}

/** Reads a whole .npy file into a new, aligned array of its dtype; `file` names it in every error. */
export function decodeNpy(bytes: Uint8Array, file: string): NpyArrayRead {
  const header = readNpyHeader(bytes, file);
  if (!LITTLE_ENDIAN) throw new Error(`${file}: reading .npy assumes a little-endian machine`);
  // A copy: the data after the header need not be aligned for a Float64Array, and the caller owns it.
  const buffer = bytes.slice(header.dataOffset, header.dataOffset + header.dataBytes).buffer;
  const data = new ARRAYS[header.dtype](buffer);
  return { dtype: header.dtype, shape: header.shape, data };
}
