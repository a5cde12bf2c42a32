/**
 * Single-spin-flip Metropolis: in 2D in checkerboard order (even sites, then odd), in 1D at random
 * sites (see metropolis1D). The acceptance
 * probability of every (spin, neighbour sum) pair is precomputed as a uint32 threshold, and the
 * xoshiro128** step is inlined so the inner loop makes no calls.
 */
import type { Lattice } from './lattice';
import { threshold, type Rng } from './rng';

/** Thresholds indexed by s * S + z + (2z + 1) * (s + 1) / 2, with z = 2 dim neighbours. */
function acceptanceTable(dim: 1 | 2, T: number, J: number, h: number): Float64Array {
  const z = 2 * dim;
  const table = new Float64Array(2 * (2 * z + 1));
  for (const s of [-1, 1]) {
    for (let S = -z; S <= z; S++) {
      const dE = 2 * s * (J * S + h);
      table[s * S + z + (2 * z + 1) * ((s + 1) >> 1)] = threshold(Math.exp(-dE / T));
    }
  }
  return table;
}

/** Runs `sweeps` sweeps of L^dim attempted flips each. */
export function metropolisSweeps(lattice: Lattice, T: number, J: number, h: number, rng: Rng, sweeps: number): void {
  const table = acceptanceTable(lattice.dim, T, J, h);
  if (lattice.dim === 1) metropolis1D(lattice.data, lattice.L, table, rng.state, sweeps);
  else metropolis2D(lattice.data, lattice.L, table, rng.state, sweeps);
}

function metropolis2D(data: Int8Array, L: number, table: Float64Array, state: Uint32Array, sweeps: number): void {
  let s0 = state[0] | 0;
  let s1 = state[1] | 0;
  let s2 = state[2] | 0;
  let s3 = state[3] | 0;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let parity = 0; parity < 2; parity++) {
      for (let y = 0; y < L; y++) {
        const row = y * L;
        const up = (y === 0 ? L - 1 : y - 1) * L;
        const down = (y === L - 1 ? 0 : y + 1) * L;
        for (let x = (y + parity) & 1; x < L; x += 2) {
          const i = row + x;
          const left = x === 0 ? row + L - 1 : i - 1;
          const right = x === L - 1 ? row : i + 1;
          const sum = data[left] + data[right] + data[up + x] + data[down + x];
          const s = data[i];
          // xoshiro128**
          const r = Math.imul(s1, 5);
          const u = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
          const t = s1 << 9;
          s2 ^= s0;
          s3 ^= s1;
          s1 ^= s2;
          s0 ^= s3;
          s2 ^= t;
          s3 = (s3 << 11) | (s3 >>> 21);
          const accept = +(u < table[s * sum + 4 + 9 * ((s + 1) >> 1)]);
          data[i] = s - 2 * s * accept;
        }
      }
    }
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/**
 * In 1D the sites are visited in random order, not checkerboard: with a fixed order, the dE = 0 moves
 * (always accepted) carry domain walls along deterministically, and states read at the end of a
 * sweep are biased (the nearest-neighbour correlation of a periodic chain of 25 sites came out 65
 * standard errors off). Random sites make the chain aperiodic. Sites are drawn exactly uniformly
 * (Lemire's method with rejection).
 */
function metropolis1D(data: Int8Array, L: number, table: Float64Array, state: Uint32Array, sweeps: number): void {
  let s0 = state[0] | 0;
  let s1 = state[1] | 0;
  let s2 = state[2] | 0;
  let s3 = state[3] | 0;
  const rejectBelow = (4294967296 - L) % L;
  const attempts = sweeps * L;
  for (let attempt = 0; attempt < attempts; attempt++) {
    let i = -1;
    do {
      const r = Math.imul(s1, 5);
      const u = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const m = u * L;
      if (m % 4294967296 >= rejectBelow) i = Math.floor(m / 4294967296);
    } while (i < 0);
    const r = Math.imul(s1, 5);
    const u = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const sum = data[i === 0 ? L - 1 : i - 1] + data[i === L - 1 ? 0 : i + 1];
    const s = data[i];
    const accept = +(u < table[s * sum + 2 + 5 * ((s + 1) >> 1)]);
    data[i] = s - 2 * s * accept;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}
