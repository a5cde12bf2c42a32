/**
 * rbm.exact-ising — Exact Ising RBM: the periodic Ising chain or square lattice written exactly as an RBM
 * (Mehta & Schwab 2014). The odd sublattice is visible, the even one hidden; W = 4J/T per bond and
 * vbias = hbias = 2h/T - 4 dim J/T (src/ml/ising-rbm.ts derives them). Its joint distribution is the Ising
 * Boltzmann distribution, so its visible marginal is the lattice decimated to one sublattice: in 1D the
 * chain of L/2 sites with tanh K' = tanh² K. Sampler, Plot and RBM Flow take it as they take a trained one.
 */
import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { isingRbm, isingRbmShape } from '../../src/ml/ising-rbm';

/** Largest weight matrix (dense, nv x nh float32), as for RBM Layer: 1D L <= 23170, 2D L <= 152. */
export const MAX_WEIGHT_BYTES = 512 * 1024 * 1024;
/** The largest float32: the weights and every sum of them the Sampler forms must stay below it. */
const FLOAT32_MAX = 3.4028234663852886e38;
/** The largest L whose (L/2) x (L/2) float32 weights fit in MAX_WEIGHT_BYTES. */
const MAX_L_1D = 23170;

const L_MESSAGE =
  'L must be an even integer >= 2: with periodic boundaries the lattice is bipartite (a visible and a hidden ' +
  'sublattice) only for even L';

export const exactIsingRbmParams = z
  .strictObject({
    dim: z.union([z.literal(1), z.literal(2)], { error: 'dim must be 1 (chain) or 2 (square lattice)' }).default(1),
    L: z
      .number({ error: L_MESSAGE })
      .int({ error: L_MESSAGE })
      .min(2, { error: L_MESSAGE })
      .max(MAX_L_1D, {
        error: `L must be at most ${MAX_L_1D} (dim 1) or 152 (dim 2): the weights are a dense nv x nh matrix, at most 512 MB`,
      })
      .refine((L) => L % 2 === 0, { error: L_MESSAGE })
      .default(64),
    T: z
      .number({ error: 'T must be one positive number (one model per temperature; use one node per T)' })
      .positive({ error: 'T must be > 0 (temperatures are in units of J/k_B)' })
      .default(1),
    J: z.number({ error: 'J must be a finite number' }).default(1),
    h: z.number({ error: 'h must be a finite number' }).default(0),
  })
  .superRefine((p, ctx) => {
    // zod runs this even when a field above was refused: check only what those checks passed.
    if (!Number.isInteger(p.L) || p.L < 2 || p.L > MAX_L_1D || p.L % 2 !== 0 || !(p.T > 0)) return;
    const { nv, nh } = isingRbmShape(p.dim, p.L);
    const bytes = 4 * nv * nh;
    if (bytes > MAX_WEIGHT_BYTES) {
      const largest = p.dim === 1 ? MAX_L_1D : 152;
      ctx.addIssue({
        code: 'custom',
        path: ['L'],
        message:
          `L = ${p.L} in dim ${p.dim} makes ${nv} x ${nh} weights (${Math.round(bytes / 2 ** 20)} MB); the limit ` +
          `is 512 MB, L <= ${largest} for dim ${p.dim}`,
      });
    }
    // The largest hidden or visible input: z bonds of 4K each on top of a bias of 2zK + 2H.
    const K = Math.abs(p.J / p.T);
    const largestInput = 6 * (2 * p.dim) * K + 2 * Math.abs(p.h / p.T);
    if (!(largestInput < FLOAT32_MAX)) {
      ctx.addIssue({
        code: 'custom',
        path: ['T'],
        message: `J/T = ${p.J / p.T} and h/T = ${p.h / p.T} are too large for float32 weights: raise T`,
      });
    }
  });

export type ExactIsingRbmParams = z.output<typeof exactIsingRbmParams>;

export const exactIsingRbmNode = defineNode({
  type: 'rbm.exact-ising',
  version: 1,
  title: 'Exact Ising RBM',
  category: 'Machine learning',
  doc: 'The periodic Ising chain or square lattice as an exact RBM: odd sites visible, even sites hidden, W = 4J/T per bond; its visible marginal is the decimated lattice.',
  inputs: {},
  outputs: {
    model: {
      type: 'rbm',
      doc: 'visible: the odd sites, shape [L/2] (1D) or [L, L/2] (2D, each row keeps its odd sites); hidden: the even sites',
    },
  },
  params: exactIsingRbmParams,
  heavy: false,
  resources(p) {
    const { nv, nh, visibleShape } = isingRbmShape(p.dim, p.L);
    const model = {
      bytes: 4 * (nv * nh + nv + nh),
      shape: [nv, nh],
      stack: { layers: [[nv, nh] as const], visibleShape },
    };
    return { outputs: { model } };
  },
  async run(_inputs, p, ctx) {
    const model = isingRbm(p);
    ctx.progress(1);
    return { model };
  },
});
