import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/cli/npy';

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
