/**
 * Wolff single-cluster updates (h = 0). A "sweep" is a FIXED number of clusters, chosen from the
 * mean cluster size: ending a sweep when a flip count is reached would favour large last clusters
 * and bias every average (NODES.md).
 */
import type { Lattice } from './lattice';
import { threshold, type Rng } from './rng';

export class WolffUpdater {
  private readonly stack: Int32Array;
  private readonly addThreshold: number;

  constructor(
    readonly lattice: Lattice,
    T: number,
    J: number,
    private readonly rng: Rng,
  ) {
    if (J <= 0) throw new Error('Wolff clusters need a ferromagnetic coupling (J > 0)');
    this.stack = new Int32Array(lattice.data.length);
    this.addThreshold = threshold(1 - Math.exp((-2 * J) / T));
  }

  /** Grows and flips one cluster from a random seed site; returns its size. */
  cluster(): number {
    const { data, L, dim } = this.lattice;
    const stack = this.stack;
    const thr = this.addThreshold;
    const state = this.rng.state;
    const seed = this.rng.below(data.length);
    let s0 = state[0] | 0;
    let s1 = state[1] | 0;
    let s2 = state[2] | 0;
    let s3 = state[3] | 0;
    const spin = data[seed];
    data[seed] = -spin; // flipped on entry, so a site joins at most once
    stack[0] = seed;
    let top = 1;
    let size = 1;
    const degree = 2 * dim;
    const last = L - 1;
    const wrap = last * L;
    while (top > 0) {
      const i = stack[--top];
      const y = dim === 2 ? (i / L) | 0 : 0;
      const x = i - y * L;
      for (let k = 0; k < degree; k++) {
        // One expression of selects (not an if chain): about 10 % faster per flipped spin here.
        const j =
          k === 0
            ? x === 0
              ? i + last
              : i - 1
            : k === 1
              ? x === last
                ? i - last
                : i + 1
              : k === 2
                ? y === 0
                  ? i + wrap
                  : i - L
                : y === last
                  ? x
                  : i + L;
        if (data[j] !== spin) continue;
        const r = Math.imul(s1, 5);
        const u = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        if (u < thr) {
          data[j] = -spin;
          stack[top++] = j;
          size++;
        }
      }
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
    return size;
  }

  /** Runs `count` clusters; returns the number of spins flipped. */
  clusters(count: number): number {
    let flipped = 0;
    for (let c = 0; c < count; c++) flipped += this.cluster();
    return flipped;
  }
}
