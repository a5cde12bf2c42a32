/**
 * The .npy codec: what Blockspin writes NumPy reads, what NumPy writes (versions 1.0, 2.0 and 3.0, every
 * dtype Blockspin reads) comes back exactly, and every hostile file is refused with its name and what is
 * wrong, before anything is allocated for it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NPY_HEADER_BYTES, decodeNpy, encodeNpy, readNpyHeader } from '../../src/graph/npy';

/** A small independent .npy reader: header fields and the raw data bytes. */
function readNpy(bytes: Uint8Array): {
  descr: string;
  shape: number[];
  fortran: boolean;
  data: Uint8Array;
  headerLength: number;
} {
  expect(Array.from(bytes.slice(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
  const headerLength = bytes[8] | (bytes[9] << 8);
  const header = new TextDecoder('latin1').decode(bytes.slice(10, 10 + headerLength));
  const descr = /'descr': '([^']+)'/.exec(header)![1];
  const fortran = /'fortran_order': (True|False)/.exec(header)![1] === 'True';
  const shape = /'shape': \(([^)]*)\)/
    .exec(header)![1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  return { descr, shape, fortran, data: bytes.slice(10 + headerLength), headerLength };
}

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('encodeNpy', () => {
  it('writes the header NumPy writes, padded to 64 bytes and ending in a newline', () => {
    const bytes = encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    // numpy.save(f, np.zeros((2, 3), np.float32)) writes exactly this 128-byte preamble
    const expected = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + ' '.repeat(58) + '\n';
    expect(new TextDecoder('latin1').decode(bytes.slice(10, 128))).toBe(expected);
    expect((10 + expected.length) % 64).toBe(0);
    const read = readNpy(bytes);
    expect(read).toMatchObject({ descr: '<f4', shape: [2, 3], fortran: false });
    expect(Array.from(new Float32Array(read.data.buffer.slice(read.data.byteOffset)))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes one-dimensional shapes as a 1-tuple and int8 spins as |i1', () => {
    const read = readNpy(encodeNpy(new Int8Array([1, -1, 1]), [3]));
    expect(read).toMatchObject({ descr: '|i1', shape: [3] });
    expect(Array.from(new Int8Array(read.data.buffer.slice(read.data.byteOffset)))).toEqual([1, -1, 1]);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float64Array(5), [2, 3])).toThrow('shape [2, 3] holds 6 values, the array has 5');
  });

  it.runIf(hasNumpy())('is read back by numpy.load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const spins = new Int8Array([1, -1, -1, 1, 1, 1, -1, -1]);
    writeFileSync(join(dir, 's.npy'), encodeNpy(spins, [2, 2, 2]));
    writeFileSync(join(dir, 't.npy'), encodeNpy(new Float64Array([2.269, NaN]), [2]));
    const out = execFileSync('python3', [
      '-c',
      `import numpy as np; s = np.load('${dir}/s.npy'); t = np.load('${dir}/t.npy'); print(s.dtype, s.shape, int(s.sum()), int(s[1,0,1]), t.dtype, t[0], np.isnan(t[1]))`,
    ]).toString();
    expect(out.trim()).toBe('int8 (2, 2, 2) 0 1 float64 2.269 True');
  });
});

/** A .npy file with the given header text (version 1.0, padded as NumPy pads) followed by `data`. */
function npyWith(header: string, data: Uint8Array = new Uint8Array(0), version: [number, number] = [1, 0]): Uint8Array {
  const start = version[0] === 1 ? 10 : 12;
  let text = header;
  text += ' '.repeat((64 - ((start + text.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(start + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, ...version]);
  const view = new DataView(out.buffer);
  if (version[0] === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(new TextEncoder().encode(text), start);
  out.set(data, start + text.length);
  return out;
}

const header = (descr: string, shape: string, fortran = 'False') =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

describe('decodeNpy', () => {
  it('reads back what encodeNpy writes, for every dtype it writes', () => {
    const arrays = [
      new Int8Array([1, -1, -1, 1, 1, -1]),
      new Uint8Array([0, 1, 255, 3, 4, 5]),
      new Int32Array([1, -2, 3, 2 ** 31 - 1, -(2 ** 31), 0]),
      new Float32Array([0, 0.5, 1, -1.5, NaN, Infinity]),
      new Float64Array([Math.PI, -0, 1e-300, NaN, 2.269185, 7]),
    ];
    for (const data of arrays) {
      const read = decodeNpy(encodeNpy(data, [2, 3]), 'x.npy');
      expect(read.shape).toEqual([2, 3]);
      expect(read.data.constructor).toBe(data.constructor);
      expect(Array.from(read.data as ArrayLike<number>)).toEqual(Array.from(data));
    }
  });

  it('reads a one-dimensional shape, a scalar and an empty array', () => {
    expect(decodeNpy(encodeNpy(new Float64Array([1, 2, 3]), [3]), 'x.npy').shape).toEqual([3]);
    expect(decodeNpy(npyWith(header('<f8', '()'), new Uint8Array(8)), 'x.npy').shape).toEqual([]);
    expect(decodeNpy(npyWith(header('<f4', '(0, 5)')), 'x.npy').data).toHaveLength(0);
  });

  it('returns aligned copies that do not share the file bytes', () => {
    const bytes = encodeNpy(new Float64Array([1, 2]), [2]);
    const read = decodeNpy(bytes, 'x.npy');
    bytes.fill(0);
    expect(Array.from(read.data as Float64Array)).toEqual([1, 2]);
    expect(read.data.byteOffset).toBe(0);
  });

  it('reads version 2.0 and 3.0 headers, the old long-integer shape and a header in any key order', () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
    for (const version of [
      [2, 0],
      [3, 0],
    ] as [number, number][]) {
      expect(decodeNpy(npyWith(header('<f4', '(2, 2)'), data, version), 'v.npy').shape).toEqual([2, 2]);
    }
    const reordered = "{'shape': (2L, 2L), 'fortran_order': False, 'descr': '<f4'}";
    expect(Array.from(decodeNpy(npyWith(reordered, data), 'x.npy').data as Float32Array)).toEqual([1, 2, 3, 4]);
  });

  it('reads int64 as BigInt64Array and accepts Fortran order when at most one axis is longer than 1', () => {
    const read = decodeNpy(
      npyWith(header('<i8', '(2,)'), new Uint8Array(new BigInt64Array([3n, -4n]).buffer)),
      'i.npy',
    );
    expect(Array.from(read.data as BigInt64Array)).toEqual([3n, -4n]);
    const column = decodeNpy(npyWith(header('<f8', '(1, 2)', 'True'), new Uint8Array(16)), 'c.npy');
    expect(column.shape).toEqual([1, 2]);
  });

  it.runIf(hasNumpy())('reads what numpy.save writes, in every version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-read-'));
    execFileSync('python3', [
      '-c',
      `
import numpy as np
from numpy.lib import format as f
np.save('${dir}/spins.npy', np.array([[1, -1, 1], [-1, -1, 1]], dtype=np.int8))
np.save('${dir}/probs.npy', np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4))
np.save('${dir}/T.npy', np.array([2.0, 2.269, np.nan]))
for v in [(2, 0), (3, 0)]:
    with open('${dir}/v%d.npy' % v[0], 'wb') as out:
        f.write_array(out, np.arange(6, dtype=np.int32).reshape(2, 3), version=v)
`,
    ]);
    const read = (name: string) => decodeNpy(new Uint8Array(readFileSync(join(dir, name))), name);
    expect(read('spins.npy')).toMatchObject({ dtype: 'int8', shape: [2, 3] });
    expect(Array.from(read('spins.npy').data as Int8Array)).toEqual([1, -1, 1, -1, -1, 1]);
    const probs = read('probs.npy');
    expect(probs).toMatchObject({ dtype: 'float32', shape: [3, 4] });
    expect((probs.data as Float32Array)[11]).toBe(1);
    const T = read('T.npy');
    expect(T.dtype).toBe('float64');
    expect(Array.from(T.data as Float64Array)).toEqual([2.0, 2.269, NaN]);
    for (const name of ['v2.npy', 'v3.npy']) {
      expect(Array.from(read(name).data as Int32Array)).toEqual([0, 1, 2, 3, 4, 5]);
    }
  });
});

describe('decodeNpy refuses hostile files, naming the file and what is wrong', () => {
  const data = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
  const cases: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /^bad\.npy: it is not a \.npy file \(0 bytes/],
    ['a short file', Uint8Array.from([0x93, 0x4e, 0x55]), /too short/],
    ['bad magic', new TextEncoder().encode('PK\u0003\u0004 this is a zip file'), /does not start with \\x93NUMPY/],
    ['version 4.0', npyWith(header('<f4', '(4,)'), data, [4, 0]), /format version 4\.0 is not supported/],
    ['version 1.1', npyWith(header('<f4', '(4,)'), data, [1, 1]), /format version 1\.1 is not supported/],
    [
      'a header past the end',
      (() => {
        const b = npyWith(header('<f4', '(4,)'), data);
        new DataView(b.buffer).setUint16(8, 60_000, true);
        return b;
      })(),
      /header \(60000 bytes\) runs past the end of the file/,
    ],
    [
      'a header over the limit',
      (() => {
        const b = npyWith(header('<f4', '(4,)'), data, [2, 0]);
        new DataView(b.buffer).setUint32(8, 2 ** 32 - 1, true);
        return b;
      })(),
      new RegExp(`header is 4294967295 bytes long; Blockspin reads headers of at most ${MAX_NPY_HEADER_BYTES}`),
    ],
    ['a header that is not a dict', npyWith("__import__('os').system('x')", data), /header is not a Python dict/],
    ['a missing key', npyWith("{'descr': '<f4', 'shape': (4,)}", data), /keys descr, shape; a \.npy header has/],
    [
      'an extra key',
      npyWith("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'x': True}", data),
      /keys descr, fortran_order, shape, x/,
    ],
    [
      'a structured dtype',
      npyWith("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", data),
      /dtype is structured/,
    ],
    [
      'an unsupported dtype',
      npyWith(header('<c8', '(2,)'), data),
      /dtype '<c8' is not supported \(Blockspin reads int8,/,
    ],
    ['an object dtype', npyWith(header('|O', '(4,)'), data), /dtype '\|O' is not supported/],
    ['big-endian floats', npyWith(header('>f4', '(4,)'), data), /big-endian \('>f4'\): save it little-endian/],
    ['Fortran order', npyWith(header('<f4', '(2, 2)', 'True'), data), /Fortran \(column-major\) order/],
    ['a shape that is not integers', npyWith(header('<f4', '(2.5,)'), data), /shape holds something other than/],
    ['a negative shape', npyWith(header('<f4', '(-4,)'), data), /shape holds something other than/],
    [
      'a shape with too few bytes',
      npyWith(header('<f4', '(2, 3)'), data),
      /shape \(2, 3\) of float32 needs 24 bytes of data, but 16 follow the header \(the file is cut short\)/,
    ],
    [
      'a shape with too many bytes',
      npyWith(header('<f4', '(3,)'), data),
      /shape \(3,\) of float32 needs 12 bytes of data, but 16 follow the header$/,
    ],
    [
      'a shape too large to count',
      npyWith(header('<f4', '(4294967296, 4294967296)'), data),
      /holds more values than can be read/,
    ],
    ['a duplicated key', npyWith("{'descr': '<f4', 'descr': '<f4', 'shape': (4,)}", data), /names 'descr' twice/],
    ['an unclosed string', npyWith("{'descr: '<f4'", data), /header/],
  ];
  it.each(cases)('%s', (_what, bytes, message) => {
    expect(() => decodeNpy(bytes, 'bad.npy')).toThrow(message);
    expect(() => decodeNpy(bytes, 'bad.npy')).toThrow(/^bad\.npy: /);
  });

  it('checks a large file by its header and its size, before the rest is read', () => {
    const start = npyWith(header('|i1', '(1000, 32, 32)'));
    expect(readNpyHeader(start, 'big.npy', start.length + 1000 * 32 * 32)).toMatchObject({
      dtype: 'int8',
      shape: [1000, 32, 32],
      dataOffset: start.length,
    });
    expect(() => readNpyHeader(start, 'big.npy', start.length + 5)).toThrow('big.npy: its shape (1000, 32, 32)');
  });
});
