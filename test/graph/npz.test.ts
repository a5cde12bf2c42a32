/**
 * The .npz container: members come back as written (and as numpy.savez and savez_compressed write them),
 * and a hostile archive is refused from its directory alone, before anything of it is unpacked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from '../../src/graph/npy';
import { encodeNpz, readNpz } from '../../src/graph/npz';

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const big = { maxBytes: 1e9 };

describe('encodeNpz and readNpz', () => {
  it('read back every member byte for byte, stored uncompressed and always as the same bytes', () => {
    const members = {
      'a.npy': encodeNpy(new Float32Array([1, 2, 3]), [3]),
      'training.json': new TextEncoder().encode('{"x": 1}'),
    };
    const bytes = encodeNpz(members);
    expect(encodeNpz(members)).toEqual(bytes);
    const read = readNpz(bytes, 'm.npz', big);
    expect([...read.keys()]).toEqual(['a.npy', 'training.json']);
    expect(read.get('a.npy')).toEqual(members['a.npy']);
    expect(new TextDecoder().decode(read.get('training.json'))).toBe('{"x": 1}');
  });

  it.runIf(hasNumpy())('reads what numpy.savez and savez_compressed write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npz-'));
    execFileSync('python3', [
      '-c',
      `import numpy as np
np.savez('${dir}/plain.npz', w=np.arange(6, dtype=np.float32).reshape(2, 3), n=np.array([4, 5]))
np.savez_compressed('${dir}/packed.npz', w=np.zeros((50, 40), dtype=np.float32))`,
    ]);
    const plain = readNpz(new Uint8Array(readFileSync(join(dir, 'plain.npz'))), 'plain.npz', big);
    expect(decodeNpy(plain.get('w.npy')!, 'w')).toMatchObject({ dtype: 'float32', shape: [2, 3] });
    expect(decodeNpy(plain.get('n.npy')!, 'n')).toMatchObject({ dtype: 'int64', shape: [2] });
    const packed = readNpz(new Uint8Array(readFileSync(join(dir, 'packed.npz'))), 'packed.npz', big);
    expect(decodeNpy(packed.get('w.npy')!, 'w').shape).toEqual([50, 40]);
  });
});

describe('readNpz refuses hostile archives, naming the file', () => {
  const member = encodeNpy(new Float32Array(1000), [1000]);

  it('a file that is not a zip', () => {
    expect(() => readNpz(encodeNpy(new Float32Array(2), [2]), 'x.npz', big)).toThrow(
      'x.npz: it is not a .npz file (a .npz is a zip archive, and this one does not start with PK)',
    );
    expect(() => readNpz(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), 'cut.npz', big)).toThrow(
      /^cut\.npz: it is not a readable zip archive/,
    );
  });

  it('members that would unpack to more than allowed, from the directory alone (a zip bomb)', () => {
    // 16 MB of zeros deflate to about 16 kB: refused by the sizes the directory declares
    const bomb = zipSync({ 'a.npy': new Uint8Array(16 * 2 ** 20) }, { level: 6 });
    expect(bomb.length).toBeLessThan(50_000);
    expect(() => readNpz(bomb, 'bomb.npz', { maxBytes: 1e6 })).toThrow(
      'bomb.npz: its members unpack to 16777216 bytes, more than the 1000000 expected of it',
    );
  });

  it('a directory that lies about a member size inflates no further than it says', () => {
    const zip = zipSync({ 'a.npy': member }, { level: 6 });
    // the central directory's uncompressed size (offset 24 of its entry) claims 10 bytes
    const at = zip.findLastIndex((_b, i) => zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 1);
    new DataView(zip.buffer).setUint32(at + 24, 10, true);
    const read = readNpz(zip, 'liar.npz', big);
    expect(read.get('a.npy')!.length).toBe(10);
  });

  it('too many members, an unknown compression method, a name used twice, a damaged member', () => {
    const many = zipSync(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`m${i}.npy`, member])));
    expect(() => readNpz(many, 'many.npz', { maxBytes: 1e9, maxEntries: 10 })).toThrow(
      'many.npz: it has more than 10 members',
    );
    const zip = zipSync({ 'a.npy': member }, { level: 0 });
    const central = zip.findLastIndex((_b, i) => zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 1);
    const lzma = zip.slice();
    new DataView(lzma.buffer).setUint16(central + 10, 14, true);
    expect(() => readNpz(lzma, 'lzma.npz', big)).toThrow(
      "lzma.npz: its member 'a.npy' uses compression method 14 (a .npz is stored or deflated)",
    );
    const twice = zipSync({ 'a.npy': member, 'b.npy': member }, { level: 0 });
    const names = [...new TextDecoder('latin1').decode(twice).matchAll(/b\.npy/g)].map((m) => m.index);
    for (const i of names) twice[i] = 'a'.charCodeAt(0);
    expect(() => readNpz(twice, 'twice.npz', big)).toThrow("twice.npz: it has two members named 'a.npy'");
    const deflated = zipSync({ 'a.npy': new Uint8Array(5000).fill(7) }, { level: 6 });
    const local = 30 + 'a.npy'.length;
    deflated.fill(0xff, local, local + 8);
    expect(() => readNpz(deflated, 'damaged.npz', big)).toThrow(/^damaged\.npz: a member is damaged/);
  });
});
