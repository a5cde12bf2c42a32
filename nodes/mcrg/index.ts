/** rg.mcrg — MCRG exponents: y_T and y_H from block-spin operator correlations (Swendsen 1979). */
import { z } from 'zod';
import { defineNode, type ValueSize } from '../../src/graph/node-definition';
import type { SpinsValue, TableValue } from '../../src/graph/values';
import { mcrgSteps, mcrgWorkingBytes } from '../../src/physics/mcrg';
import { runStepwise } from '../shared/run-stepwise';
import { mergeByTemperature, splitSpinsByTemperature } from '../shared/temperature-fan-out';

export const mcrgParams = z.strictObject({
  b: z.number().int().min(2).max(8).default(2),
  levels: z.number().int().min(1).max(8).default(3),
  rule: z.enum(['majority', 'decimation']).default('majority'),
  tieBreak: z.enum(['random', 'keep-first']).default('random'),
  /** Jackknife bins of consecutive samples per temperature. */
  bins: z.number().int().min(2).max(100).default(16),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
});

export const mcrgNode = defineNode({
  type: 'rg.mcrg',
  version: 1,
  title: 'MCRG exponents',
  category: 'Renormalization',
  doc: 'Thermal and magnetic exponents y_T, y_H per blocking level from block-spin correlations (Swendsen MCRG), jackknife errors.',
  inputs: { spins: { type: 'spins', doc: '2D Ising samples, grouped by their temperature labels' } },
  outputs: {
    table: {
      type: 'table',
      doc: 'One row per temperature and level n (the step L/b^(n-1) -> L/b^n): T, level, y_T, y_T_err, y_H, y_H_err',
    },
  },
  params: mcrgParams,
  heavy: true,
  resources(p, inputs) {
    const input = inputs.spins as ValueSize | undefined;
    const n = input?.shape?.[0] ?? 0;
    return { working: mcrgWorkingBytes(n, p.levels) };
  },
  async run(inputs, p, ctx): Promise<{ table: TableValue }> {
    const spins = inputs.spins as SpinsValue | undefined;
    if (!spins) throw new Error('MCRG exponents: no spins on the input');
    const spec = { b: p.b, levels: p.levels, rule: p.rule, tieBreak: p.tieBreak, seed: p.seed };
    return { table: await runStepwise(mcrgSteps(spins, spec, p.bins), ctx) };
  },
  // Random tie-breaks come from one stream over all samples in order, so only runs without them split.
  fanOut: {
    split: (p, inputs, parts) =>
      p.rule === 'majority' && p.b % 2 === 0 && p.tieBreak === 'random'
        ? null
        : splitSpinsByTemperature(p, inputs, parts),
    merge: (outputs) => mergeByTemperature(outputs, ['lambda_T', 'lambda_H']),
  },
});
