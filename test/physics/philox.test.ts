/** Philox4x32-10 against Random123's known-answer vectors, and its 16-bit-halves multiply against BigInt. */
import { describe, expect, it } from 'vitest';
import { mulhi32, philox4x32 } from '../../src/physics/philox';
import { Rng } from '../../src/physics/rng';

const hex = (words: Uint32Array) => Array.from(words, (w) => w.toString(16).padStart(8, '0')).join(' ');

describe('Philox4x32-10', () => {
  // Random123 tests/kat_vectors: counter (4 words), key (2 words) -> output (4 words).
  it.each([
    [[0, 0, 0, 0], [0, 0], '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], '408f276d 41c83b0e a20bc7c6 6d5451fd'],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], 'd16cfe09 94fdcceb 5001e420 24126ea1'],
  ])('counter %j, key %j gives the known answer', (counter, key, expected) => {
    const [c0, c1, c2, c3] = counter;
    expect(hex(philox4x32(c0, c1, c2, c3, key[0], key[1]))).toBe(expected);
  });

  it('writes into the array it is given and reads uint32 or int32 words alike', () => {
    const out = new Uint32Array(4);
    expect(philox4x32(-1, -1, -1, -1, -1, -1, out)).toBe(out);
    expect(hex(out)).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
  });

  it('multiplies 32 x 32 -> 64 bits from 16-bit halves exactly (the kernel does the same)', () => {
    const rng = new Rng(9);
    const cases = [
      [0, 0],
      [0xffffffff, 0xffffffff],
      [0xd2511f53, 0xffffffff],
      [0xcd9e8d57, 0x10000],
      [0xffff, 0xffff],
      ...Array.from({ length: 2000 }, () => [rng.nextU32(), rng.nextU32()]),
    ];
    for (const [a, b] of cases) expect(mulhi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
  });
});

/** Philox4x32-10 on BigInt, straight from the definition (Random123's philox4x32_R). */
function philoxBigInt(counter: number[], key: number[]): string {
  const mask = 0xffffffffn;
  let [x0, x1, x2, x3] = counter.map(BigInt);
  let [k0, k1] = key.map(BigInt);
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + 0x9e3779b9n) & mask;
      k1 = (k1 + 0xbb67ae85n) & mask;
    }
    const p0 = 0xd2511f53n * x0;
    const p1 = 0xcd9e8d57n * x2;
    [x0, x1, x2, x3] = [(p1 >> 32n) ^ x1 ^ k0, p1 & mask, (p0 >> 32n) ^ x3 ^ k1, p0 & mask];
  }
  return [x0, x1, x2, x3].map((w) => w.toString(16).padStart(8, '0')).join(' ');
}

describe('Philox4x32-10 on any counter and key', () => {
  it('equals the BigInt definition', () => {
    const rng = new Rng(4);
    for (let n = 0; n < 300; n++) {
      const c = [rng.nextU32(), rng.nextU32(), rng.nextU32(), rng.nextU32()];
      const k = [rng.nextU32(), rng.nextU32()];
      expect(hex(philox4x32(c[0], c[1], c[2], c[3], k[0], k[1]))).toBe(philoxBigInt(c, k));
    }
  });
});
