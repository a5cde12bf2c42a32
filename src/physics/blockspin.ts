/**
 * Kadanoff block spins: each b (1D) or b x b (2D) block of a periodic lattice becomes one spin, by
 * majority rule (the sign of the block sum; ties broken at random or by the block's first spin) or by
 * decimation (the block's first, i.e. top-left, spin).
 */
import type { Rng } from './rng';

export type BlockRule = 'majority' | 'decimation';
export type TieBreak = 'random' | 'keep-first';

export interface BlockSpec {
  dim: 1 | 2;
  /** Sites per side of the input lattice. */
  L: number;
  b: number;
  rule: BlockRule;
  tieBreak: TieBreak;
}

/** Blocks n samples stored back to back in `data`; returns n samples of (L / b)^dim spins. */
export function blockSpins(data: Int8Array, n: number, spec: BlockSpec, rng: Rng): Int8Array {
  const { dim, L, b, rule, tieBreak } = spec;
  if (L % b !== 0) throw new Error(`L = ${L} is not divisible by b = ${b}`);
  const l = L / b;
  const inSize = dim === 1 ? L : L * L;
  const outSize = dim === 1 ? l : l * l;
  if (data.length !== n * inSize)
    throw new Error(`expected ${n} samples of ${inSize} spins, got ${data.length} values`);
  const out = new Int8Array(n * outSize);
  const randomTies = tieBreak === 'random';
  for (let k = 0; k < n; k++) {
    const src = k * inSize;
    const dst = k * outSize;
    for (let by = 0; by < (dim === 1 ? 1 : l); by++) {
      for (let bx = 0; bx < l; bx++) {
        const first = src + by * b * L + bx * b;
        let spin: number;
        if (rule === 'decimation') {
          spin = data[first];
        } else {
          let sum = 0;
          for (let dy = 0; dy < (dim === 1 ? 1 : b); dy++) {
            const row = first + dy * L;
            for (let dx = 0; dx < b; dx++) sum += data[row + dx];
          }
          spin = sum > 0 ? 1 : sum < 0 ? -1 : randomTies ? (rng.nextU32() & 1 ? 1 : -1) : data[first];
        }
        out[dst + by * l + bx] = spin;
      }
    }
  }
  return out;
}
