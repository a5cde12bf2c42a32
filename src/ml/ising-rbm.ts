/**
 * The Ising model on a bipartite periodic lattice written exactly as an RBM (Mehta & Schwab 2014).
 *
 * The chain and the square lattice with even L are bipartite: every bond joins an "odd" site (i odd in 1D,
 * i + j odd in 2D) to an "even" one. The odd sites are the visible units, the even ones the hidden units,
 * and with 0/1 units (s = 2v - 1, σ = 2u - 1), K = J/T and H = h/T,
 *   K s σ = 4K v u - 2K v - 2K u + K,     H s = 2H v - H,
 * so, with z = 2 dim bonds at every site and dim N bonds in all,
 *   K Σ_bonds s σ + H Σ_sites s = -E_rbm(v, u) + N (dim K - H),
 *   W = 4K per bond (bonds between the same pair add up: L = 2 has two), vbias = hbias = 2H - 2zK.
 * The Ising Boltzmann weight of a configuration is the RBM's joint weight times exp(N (dim K - H)), so the
 * two distributions are equal and ln Z_Ising = ln Z_RBM + N (dim K - H). Summing out the hidden units is
 * decimation of the even sublattice: in 1D the visible marginal is the periodic chain of L/2 sites with
 * tanh K' = tanh² K (for h = 0).
 *
 * Bonds are counted as everywhere else in Blockspin (observables.ts bondSum): from each site to its +1
 * neighbour along every axis, periodic.
 *
 * Unit order: visible unit k is, in 1D, site 2k + 1; in 2D, row i = floor(k / (L/2)), column
 * j = 2 (k mod L/2) + (i + 1 mod 2), the odd site of row i. Hidden unit k is site 2k (1D), or row i, column
 * 2 (k mod L/2) + (i mod 2) (2D). The visible shape is [L/2] in 1D and [L, L/2] in 2D: each row of the
 * lattice keeps its L/2 odd sites, so Plot draws samples and receptive fields as images with the lattice's
 * rows (a flat [L²/2] would be read as a chain of L²/2 sites by the Sampler and Correlation, which it is not;
 * [L, L/2] is not square, so nothing mistakes it for an L x L lattice either).
 */
import type { RbmValue } from '../graph/values';

export interface IsingRbmParams {
  dim: 1 | 2;
  /** Sites per side, even. */
  L: number;
  T: number;
  J: number;
  h: number;
}

/** The layers' sizes and the visible shape for a lattice (no check that L is even). */
export function isingRbmShape(dim: 1 | 2, L: number): { nv: number; nh: number; visibleShape: number[] } {
  const half = Math.floor(L / 2);
  return dim === 1
    ? { nv: half, nh: half, visibleShape: [half] }
    : { nv: L * half, nh: L * half, visibleShape: [L, half] };
}

/**
 * The site index (row-major, i * L + j in 2D) of every visible unit and every hidden unit, in unit order,
 * and, for every site, its unit: `unit[site]` is k for visible unit k and -1 - k for hidden unit k.
 */
export function isingSublattices(dim: 1 | 2, L: number): { visible: Int32Array; hidden: Int32Array; unit: Int32Array } {
  if (!Number.isInteger(L) || L < 2 || L % 2 !== 0) {
    throw new RangeError(`isingSublattices: L must be an even integer >= 2, got ${L}`);
  }
  const { nv, nh } = isingRbmShape(dim, L);
  const visible = new Int32Array(nv);
  const hidden = new Int32Array(nh);
  const N = dim === 1 ? L : L * L;
  const unit = new Int32Array(N);
  const half = L / 2;
  for (let k = 0; k < nv; k++) {
    if (dim === 1) {
      visible[k] = 2 * k + 1;
      hidden[k] = 2 * k;
    } else {
      const i = Math.floor(k / half);
      const c = 2 * (k % half);
      visible[k] = i * L + c + ((i + 1) % 2);
      hidden[k] = i * L + c + (i % 2);
    }
    unit[visible[k]] = k;
    unit[hidden[k]] = -1 - k;
  }
  return { visible, hidden, unit };
}

/** ln Z_Ising - ln Z_RBM = N (dim K - H): the constant the 0/1 conversion leaves over. */
export function isingRbmLogZOffset(p: IsingRbmParams): number {
  const N = p.dim === 1 ? p.L : p.L * p.L;
  return N * ((p.dim * p.J) / p.T - p.h / p.T);
}

/** The RBM whose joint distribution over (visible, hidden) is the Ising Boltzmann distribution. */
export function isingRbm(p: IsingRbmParams): RbmValue {
  const { dim, L, T, J, h } = p;
  const { unit } = isingSublattices(dim, L);
  const { nv, nh, visibleShape } = isingRbmShape(dim, L);
  const K = J / T;
  const H = h / T;
  const z = 2 * dim;
  const W = new Float32Array(nv * nh);
  /** Adds one bond between sites a and b (one of them visible, the other hidden). */
  const bond = (a: number, b: number) => {
    const [v, u] = unit[a] >= 0 ? [unit[a], -1 - unit[b]] : [unit[b], -1 - unit[a]];
    W[v * nh + u] += 4 * K;
  };
  if (dim === 1) {
    for (let i = 0; i < L; i++) bond(i, (i + 1) % L);
  } else {
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < L; j++) {
        bond(i * L + j, i * L + ((j + 1) % L));
        bond(i * L + j, ((i + 1) % L) * L + j);
      }
    }
  }
  const bias = 2 * H - 2 * z * K;
  return {
    type: 'rbm',
    nv,
    nh,
    W,
    vbias: new Float32Array(nv).fill(bias),
    hbias: new Float32Array(nh).fill(bias),
    visibleShape,
    training: { exact: true, dim, L, T, J, h, logZOffset: isingRbmLogZOffset(p) },
  };
}
