/** A periodic Ising lattice: 1D (L sites) or 2D (L x L sites, row-major), spins ±1 in an Int8Array. */
import type { Rng } from './rng';

export interface Lattice {
  dim: 1 | 2;
  L: number;
  data: Int8Array;
}

export function siteCount(dim: 1 | 2, L: number): number {
  return dim === 1 ? L : L * L;
}

export function createLattice(dim: 1 | 2, L: number, init: 'random' | 'ordered', rng: Rng): Lattice {
  const data = new Int8Array(siteCount(dim, L));
  if (init === 'ordered') {
    data.fill(1);
  } else {
    for (let i = 0; i < data.length; i += 32) {
      const bits = rng.nextU32();
      for (let b = 0; b < 32 && i + b < data.length; b++) data[i + b] = (bits >>> b) & 1 ? 1 : -1;
    }
  }
  return { dim, L, data };
}
