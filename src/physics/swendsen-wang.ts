/**
 * Swendsen–Wang (h = 0): bonds between aligned neighbours with probability 1 - exp(-2J/T), clusters
 * by union-find (path halving), each cluster flipped with probability 1/2. One update is one sweep.
 */
import type { Lattice } from './lattice';
import { threshold, type Rng } from './rng';

export class SwendsenWangUpdater {
  private readonly parent: Int32Array;
  private readonly decision: Int8Array;
  private readonly bondThreshold: number;

  constructor(
    readonly lattice: Lattice,
    T: number,
    J: number,
    private readonly rng: Rng,
  ) {
    if (J <= 0) throw new Error('Swendsen–Wang clusters need a ferromagnetic coupling (J > 0)');
    this.parent = new Int32Array(lattice.data.length);
    this.decision = new Int8Array(lattice.data.length);
    this.bondThreshold = threshold(1 - Math.exp((-2 * J) / T));
  }

  sweep(): void {
    const { data, L, dim } = this.lattice;
    const { parent, decision, rng } = this;
    const n = data.length;
    for (let i = 0; i < n; i++) parent[i] = i;
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    };
    const bond = (i: number, j: number) => {
      if (data[i] !== data[j] || rng.nextU32() >= this.bondThreshold) return;
      const a = find(i);
      const b = find(j);
      if (a !== b) parent[a] = b;
    };
    for (let i = 0; i < n; i++) {
      const y = dim === 2 ? (i / L) | 0 : 0;
      const x = i - y * L;
      bond(i, x === L - 1 ? i - L + 1 : i + 1);
      if (dim === 2) bond(i, y === L - 1 ? x : i + L);
    }
    decision.fill(0);
    for (let i = 0; i < n; i++) {
      const root = find(i);
      if (decision[root] === 0) decision[root] = rng.nextU32() & 1 ? 1 : -1;
      data[i] *= decision[root];
    }
  }
}
