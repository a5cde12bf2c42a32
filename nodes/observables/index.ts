/** measure.observables: energy, magnetisation, susceptibility, specific heat and Binder cumulant per temperature. */
import { z } from 'zod';
import { perSampleSeries } from '../../src/graph/budget';
import { defineNode } from '../../src/graph/node-definition';
import type { SpinsValue, TableValue } from '../../src/graph/values';
import { observablesSteps } from '../../src/physics/observables';
import { runStepwise } from '../shared/run-stepwise';
import { mergeByTemperature, splitSpinsByTemperature } from '../shared/temperature-fan-out';

export const observablesNode = defineNode({
  type: 'measure.observables',
  version: 1,
  title: 'Observables',
  category: 'Measure',
  doc: 'Energy, magnetisation, |m|, chi, c and the Binder cumulant per temperature, with binning error bars, autocorrelation times and a thermalisation check.',
  inputs: { spins: { type: 'spins', doc: 'Ising samples, grouped by their temperature labels' } },
  outputs: {
    table: {
      type: 'table',
      doc: 'One row per temperature: T, L, n, e, e_err, m, m_err, absm, absm_err, m2, m4, chi, c, binder, chi_err, c_err, binder_err, tau_e, tau_absm (autocorrelation times in stored samples), drift_sigma (last minus first third of the energy, in standard errors; above 3 the status warns)',
    },
  },
  params: z.strictObject({}),
  heavy: true,
  resources: (_p, inputs) => ({ working: perSampleSeries(inputs.spins) }),
  async run(inputs, _params, ctx): Promise<{ table: TableValue }> {
    const spins = inputs.spins as SpinsValue | undefined;
    if (!spins) throw new Error('Observables: no spins on the input');
    return { table: await runStepwise(observablesSteps(spins), ctx) };
  },
  fanOut: {
    split: (params, inputs, parts) => splitSpinsByTemperature(params, inputs, parts),
    merge: (outputs) => mergeByTemperature(outputs, ['chi_err', 'c_err', 'binder_err', 'plateau', 'warnings']),
  },
});
