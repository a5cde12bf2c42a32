/**
 * rbm.hidden-spins — Hidden Spins: an RBM's hidden units as a coarse lattice. Each unit is placed at the
 * centroid of its receptive field on the torus (src/ml/hidden-geometry.ts), and each data sample is
 * mapped to the hidden configuration drawn from p(h | v) (src/ml/hidden-spins.ts), so Correlation and
 * Compare measure the hidden spins' C(r) and xi in units of their spacing, beside block spins.
 */
import { z } from 'zod';
import { spinsSize } from '../../src/graph/budget';
import { defineNode, type ValueSize } from '../../src/graph/node-definition';
import type { RbmValue, SpinsValue, TableValue, Value } from '../../src/graph/values';
import { visibleFromValue } from '../../src/ml/data';
import { hiddenGeometry, type HiddenGeometry } from '../../src/ml/hidden-geometry';
import { backendParam } from '../shared/backend-param';

export const hiddenSpinsParams = z.strictObject({
  /** Seed of the draws from p(h | v). */
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  backend: backendParam,
});

/** One row per unit: its centroid (x along the row, y down the rows; y = 0 in 1D), spread and orientation. */
export function positionsTable(geometry: HiddenGeometry): TableValue {
  const { dim, L, positions, spread, sign, spacing } = geometry;
  const rows = Array.from(sign, (s, j) =>
    dim === 1 ? [j, positions[j], 0, spread[j], s] : [j, positions[2 * j + 1], positions[2 * j], spread[j], s],
  );
  return { type: 'table', columns: ['unit', 'x', 'y', 'spread', 'sign'], rows, meta: { dim, L, spacing } };
}

export const hiddenSpinsNode = defineNode({
  type: 'rbm.hidden-spins',
  version: 1,
  title: 'Hidden Spins',
  category: 'Machine learning',
  doc: "An RBM's hidden units as a coarse lattice: each at its receptive field's centroid, each sample mapped to hidden spins drawn from p(h | v), for Correlation and Compare beside block spins.",
  inputs: {
    model: { type: 'rbm' },
    data: { type: 'spins', doc: 'visible samples in the model’s visible shape (their temperatures are kept)' },
  },
  outputs: {
    spins: {
      type: 'spins',
      doc: 'hidden spins ±1 per sample, at their positions (oriented with their fields), temperatures of the data',
    },
    positions: { type: 'table', doc: 'per hidden unit: unit, x, y (centroid, lattice units), spread, sign' },
  },
  params: hiddenSpinsParams,
  heavy: true,
  resources(_p, inputs) {
    const stack = (inputs.model as ValueSize | undefined)?.stack;
    const data = inputs.data as ValueSize | undefined;
    if (!stack || !data?.shape) return {};
    const n = data.shape[0];
    const [, nh] = stack.layers[0];
    const [nv] = stack.layers[stack.layers.length - 1];
    const spins = spinsSize([n, nh]);
    // The spins carry their positions; the run holds a float copy of the data and a chunk of probabilities and draws.
    return { outputs: { spins: { ...spins, bytes: spins.bytes + 16 * nh } }, working: 4 * n * nv + 8 * 1024 * nh };
  },
  async run(inputs, p, ctx): Promise<{ spins: SpinsValue; positions: TableValue }> {
    const model = inputs.model as Value | undefined;
    if (!model || model.type !== 'rbm') {
      throw new Error(`model: expected an rbm, got ${model ? model.type : 'nothing'}`);
    }
    const data = inputs.data as Value | undefined;
    if (!data || data.type !== 'spins') throw new Error(`data: expected spins, got ${data ? data.type : 'nothing'}`);
    const rbm = model as RbmValue;
    const geometry = hiddenGeometry(rbm);
    const visible = visibleFromValue(data, 'data');
    let bottom = rbm;
    while (bottom.below) bottom = bottom.below;
    if (visible.visibleShape.join(',') !== bottom.visibleShape.join(',')) {
      throw new Error(
        `data: samples of shape [${visible.visibleShape.join(', ')}], but the model's visible shape is ` +
          `[${bottom.visibleShape.join(', ')}]`,
      );
    }
    const [{ initBackend }, { hiddenSpins }] = await Promise.all([
      import('../../src/ml/backend'),
      import('../../src/ml/hidden-spins'),
    ]);
    const backend = await initBackend(p.backend);
    const spins = await hiddenSpins(rbm, visible, geometry.sign, p.seed, async (rows) => {
      ctx.progress(rows / visible.n, `${rows}/${visible.n} samples · ${backend}`);
      await ctx.checkpoint();
    });
    const units = rbm.nh;
    return {
      spins: {
        type: 'spins',
        shape: [visible.n, units],
        data: spins,
        T: data.T.slice(),
        meta: {
          model: 'rbm-hidden',
          J: 1,
          h: 0,
          units,
          spacing: geometry.spacing,
          provenance: [{ node: 'rbm.hidden-spins', seed: p.seed }],
        },
        sites: { dim: geometry.dim, L: geometry.L, positions: geometry.positions, spacing: geometry.spacing },
      },
      positions: positionsTable(geometry),
    };
  },
});
