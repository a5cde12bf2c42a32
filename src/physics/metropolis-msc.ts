/**
 * Multi-spin-coded Metropolis for the 2D model with h = 0 and J > 0: n spins (lanes) in each 32-bit word,
 * every one with its own random decision, so the chain is exactly the checkerboard Metropolis chain.
 *
 * Layout: row y holds W = L / n words; bit j of word w is the site x = j W + w. With W even, the
 * sites of word (y, w) all have parity (y + w) mod 2, so a checkerboard half-sweep updates the words
 * of one parity, and no two sites in a word are neighbours. Left/right neighbours of a word are the
 * words w - 1 and w + 1, rotated by one bit within the n lanes where the row wraps. n is 32 where L is
 * divisible by 64, else the largest divisor of L up to 32 that leaves W even (L = 40: 20 lanes in 2 words),
 * and at least MIN_LANES; the bits above the n lanes stay 0.
 *
 * For each lane, c = number of anti-aligned neighbours gives dE = 8J - 4Jc: c >= 2 always flips,
 * c = 1 flips with probability exp(-4J/T), c = 0 with exp(-8J/T). Those Bernoulli decisions are made
 * for all lanes at once by comparing a lane-wise uniform number, drawn one bit-plane at a time from the
 * most significant bit, with the binary digits of p: a lane is decided at the first plane where its
 * random bit differs from p's, so about log2(32) + 2 random words decide the whole word, exactly.
 */
import type { Rng } from './rng';

/** Binary digits of p in [0, 1) as lane masks (-1 for a 1 digit, 0 for a 0 digit), most significant first. */
function digitMasks(p: number, count: number): Int32Array {
  const masks = new Int32Array(count);
  let rest = p;
  for (let k = 0; k < count; k++) {
    rest *= 2;
    if (rest >= 1) {
      masks[k] = -1;
      rest -= 1;
    }
  }
  return masks;
}

/** Planes after which a still-undecided lane counts as rejected: probability 2^-64 per lane. */
const MAX_PLANES = 64;

/** Fewer lanes than this are no faster than the scalar kernel (L = 16: 8 lanes). */
export const MIN_LANES = 8;

/** Spins per word for an L x L lattice: the largest n <= 32 dividing L with L / n even; null if below MIN_LANES. */
export function lanesFor(L: number): number | null {
  for (let n = 32; n >= MIN_LANES; n--) if (L % n === 0 && (L / n) % 2 === 0) return n;
  return null;
}

export function canUseMultiSpin(dim: 1 | 2, L: number, J: number, h: number): boolean {
  return dim === 2 && h === 0 && J > 0 && lanesFor(L) !== null;
}

export class MultiSpinMetropolis {
  /** L rows of W words. Bit set = spin -1. */
  readonly words: Int32Array;
  /** Spins per word. */
  readonly lanes: number;
  private readonly W: number;
  private readonly p4: Int32Array;
  private readonly p8: Int32Array;

  constructor(
    readonly L: number,
    T: number,
    J: number,
    private readonly rng: Rng,
  ) {
    const lanes = lanesFor(L);
    if (lanes === null) {
      throw new Error(
        `multi-spin coding needs an even L with a divisor of ${MIN_LANES} to 32 leaving L / n even, got ${L}`,
      );
    }
    this.lanes = lanes;
    this.W = L / lanes;
    this.words = new Int32Array(L * this.W);
    this.p4 = digitMasks(Math.exp((-4 * J) / T), MAX_PLANES);
    this.p8 = digitMasks(Math.exp((-8 * J) / T), MAX_PLANES);
  }

  /** Packs an L x L lattice of ±1 (row-major) into words. */
  load(spins: Int8Array, offset = 0): void {
    const { L, W, words } = this;
    words.fill(0);
    for (let y = 0; y < L; y++) {
      for (let x = 0; x < L; x++) {
        if (spins[offset + y * L + x] < 0) words[y * W + (x % W)] |= 1 << ((x / W) | 0);
      }
    }
  }

  /** Unpacks into an L x L lattice of ±1 (row-major). */
  store(out: Int8Array, offset = 0): void {
    const { L, W, words } = this;
    for (let y = 0; y < L; y++) {
      for (let x = 0; x < L; x++) {
        out[offset + y * L + x] = (words[y * W + (x % W)] >>> ((x / W) | 0)) & 1 ? -1 : 1;
      }
    }
  }

  sweeps(count: number): void {
    const { L, W, words, p4, p8, lanes } = this;
    const mask = lanes === 32 ? -1 : (1 << lanes) - 1;
    const top = lanes - 1;
    const state = this.rng.state;
    let s0 = state[0] | 0;
    let s1 = state[1] | 0;
    let s2 = state[2] | 0;
    let s3 = state[3] | 0;
    for (let sweep = 0; sweep < count; sweep++) {
      for (let parity = 0; parity < 2; parity++) {
        for (let y = 0; y < L; y++) {
          const row = y * W;
          const up = (y === 0 ? L - 1 : y - 1) * W;
          const down = (y === L - 1 ? 0 : y + 1) * W;
          for (let w = (y + parity) & 1; w < W; w += 2) {
            const i = row + w;
            const s = words[i];
            const lw = words[w === 0 ? row + W - 1 : i - 1];
            const rw = words[w === W - 1 ? row : i + 1];
            const left = w === 0 ? ((lw << 1) | (lw >>> top)) & mask : lw;
            const right = w === W - 1 ? (rw >>> 1) | ((rw & 1) << top) : rw;
            const a1 = s ^ left;
            const a2 = s ^ right;
            const a3 = s ^ words[up + w];
            const a4 = s ^ words[down + w];
            const s12 = a1 ^ a2;
            const s34 = a3 ^ a4;
            const atLeastTwo = (a1 & a2) | (a3 & a4) | (s12 & s34);
            const any = a1 | a2 | a3 | a4;
            const one = any & ~atLeastTwo;
            const zero = ~any & mask; // lanes above the n in use read as 0 with 0 neighbours: never touch them
            let flip = atLeastTwo;
            let undecided = one | zero;
            for (let k = 0; undecided !== 0 && k < MAX_PLANES; k++) {
              const r = Math.imul(s1, 5);
              const u = Math.imul((r << 7) | (r >>> 25), 9);
              const t = s1 << 9;
              s2 ^= s0;
              s3 ^= s1;
              s1 ^= s2;
              s0 ^= s3;
              s2 ^= t;
              s3 = (s3 << 11) | (s3 >>> 21);
              const digit = (one & p4[k]) | (zero & p8[k]);
              // lane's random bit 0 where p's digit is 1: uniform < p, accept
              flip |= undecided & ~u & digit;
              undecided &= ~(u ^ digit);
            }
            words[i] = s ^ flip;
          }
        }
      }
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
  }
}
