/** measure.correlation: C(r) along the lattice axes per temperature, and the second-moment correlation length. */
import { z } from 'zod';
import { perSampleSeries } from '../../src/graph/budget';
import { defineNode } from '../../src/graph/node-definition';
import type { SeriesValue, SpinsValue, TableValue } from '../../src/graph/values';
import { correlationSteps } from '../../src/physics/correlation';
import { pointCorrelationSteps } from '../../src/physics/point-correlation';
import { isPointSet } from '../../src/physics/point-sets';
import { runStepwise } from '../shared/run-stepwise';
import { mergeByTemperature, splitSpinsByTemperature } from '../shared/temperature-fan-out';

export const correlationNode = defineNode({
  type: 'measure.correlation',
  version: 1,
  title: 'Correlation',
  category: 'Measure',
  doc: 'Spin-spin correlation C(r) along the lattice axes per temperature, and the correlation length; for hidden spins, over distances between their positions.',
  inputs: {
    spins: { type: 'spins', doc: 'Ising samples, grouped by their temperature labels, or hidden spins at positions' },
  },
  outputs: {
    series: {
      type: 'series',
      doc: 'C(r) for r = 0..maxR (in units of the spacing), one curve per temperature, with binning errors',
    },
    table: {
      type: 'table',
      doc: 'Second-moment correlation length per temperature in units of the spacing: T, L, n, xi, xi_err, spacing',
    },
  },
  params: z.strictObject({
    /** Largest distance; default floor(L/2), and at most that. */
    maxR: z.number().int().positive().optional(),
  }),
  heavy: true,
  resources: (_p, inputs) => ({ working: perSampleSeries(inputs.spins) }),
  async run(inputs, params, ctx): Promise<{ series: SeriesValue; table: TableValue }> {
    const spins = inputs.spins as SpinsValue | undefined;
    if (!spins) throw new Error('Correlation: no spins on the input');
    const steps = isPointSet(spins) ? pointCorrelationSteps(spins, params) : correlationSteps(spins, params);
    return await runStepwise(steps, ctx);
  },
  fanOut: {
    split: (params, inputs, parts) => splitSpinsByTemperature(params, inputs, parts),
    merge: (outputs) => mergeByTemperature(outputs, ['T', 'plateau', 'chi', 'F']),
  },
});
