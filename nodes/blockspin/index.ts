/** rg.blockspin — Block-Spin RG: coarse-grains spins by b (1D) or b x b (2D) blocks, `levels` times. */
import { z } from 'zod';
import { spinsSize } from '../../src/graph/budget';
import { defineNode, type ValueSize } from '../../src/graph/node-definition';
import type { SpinsValue } from '../../src/graph/values';
import { blockSpins } from '../../src/physics/blockspin';
import { flowSeries, measureFlowPoints, type FlowPoint } from '../../src/physics/flow';
import { Rng } from '../../src/physics/rng';

export const blockspinParams = z.strictObject({
  rule: z.enum(['majority', 'decimation']).default('majority'),
  b: z.number().int().min(2).max(16).default(2),
  levels: z.number().int().min(1).max(12).default(1),
  tieBreak: z.enum(['random', 'keep-first']).default('random'),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
});

/** The lattice dimension and side of a spins value, checked. */
export function latticeOf(spins: SpinsValue): { dim: 1 | 2; L: number; n: number } {
  const [n, ...lattice] = spins.shape;
  if (lattice.length === 1) return { dim: 1, L: lattice[0], n };
  if (lattice.length === 2 && lattice[0] === lattice[1]) return { dim: 2, L: lattice[0], n };
  throw new Error(`expected spins of shape [n, L] or [n, L, L], got [${spins.shape.join(', ')}]`);
}

export const blockspinNode = defineNode({
  type: 'rg.blockspin',
  version: 1,
  title: 'Block-Spin RG',
  category: 'Renormalization',
  doc: 'Coarse-grains spins by b x b blocks (majority rule or decimation), level after level; keeps the temperatures.',
  inputs: { spins: { type: 'spins' } },
  outputs: {
    spins: { type: 'spins' },
    flow: {
      type: 'series',
      doc: 'effective temperature per level (0 = the input), one curve per temperature: the RG flow away from Tc',
    },
  },
  params: blockspinParams,
  heavy: true,
  resources(p, inputs) {
    const input = inputs.spins as ValueSize | undefined;
    if (!input?.shape || input.shape.length < 2) return {};
    const [n, ...lattice] = input.shape;
    const shrink = (levels: number) => lattice.map((side) => Math.max(1, Math.floor(side / p.b ** levels)));
    // Level k is made from level k - 1, so two levels are held at once; the first is the largest.
    return {
      outputs: { spins: spinsSize([n, ...shrink(p.levels)]) },
      working: p.levels > 1 ? spinsSize([n, ...shrink(1)]).bytes : 0,
    };
  },
  async run(inputs, p, ctx) {
    const input = inputs.spins as SpinsValue;
    const { dim, n } = latticeOf(input);
    let L = latticeOf(input).L;
    let data = input.data;
    const rng = new Rng(p.seed);
    const atLevel = (levelData: Int8Array, side: number): SpinsValue => ({
      ...input,
      shape: [n, ...(dim === 1 ? [side] : [side, side])],
      data: levelData,
    });
    const flow: FlowPoint[][] = [measureFlowPoints(input)];
    for (let level = 1; level <= p.levels; level++) {
      if (L % p.b !== 0) {
        throw new Error(
          `level ${level}: L = ${L} is not divisible by b = ${p.b} (the input has L = ${latticeOf(input).L})`,
        );
      }
      data = blockSpins(data, n, { dim, L, b: p.b, rule: p.rule, tieBreak: p.tieBreak }, rng);
      L /= p.b;
      if (L >= 2) flow.push(measureFlowPoints(atLevel(data, L)));
      ctx.progress(level / p.levels, `level ${level}: L = ${L}`);
      await ctx.checkpoint();
    }
    const factor = p.b ** p.levels;
    const meta = input.meta;
    const provenance = Array.isArray(meta.provenance) ? meta.provenance : [];
    const spins: SpinsValue = {
      type: 'spins',
      shape: [n, ...(dim === 1 ? [L] : [L, L])],
      data,
      T: new Float64Array(input.T),
      meta: {
        ...meta,
        L,
        blockFactor: (typeof meta.blockFactor === 'number' ? meta.blockFactor : 1) * factor,
        provenance: [...provenance, { node: 'rg.blockspin', rule: p.rule, b: p.b, levels: p.levels }],
      },
    };
    return { spins, flow: flowSeries(flow, dim, 'block-spin level', typeof meta.J === 'number' ? meta.J : 1) };
  },
});
