/** rbm.flow — RBM Flow: iterates an RBM's v -> h -> v' map and measures the effective temperature at each step. */
import { z } from 'zod';
import { spinsSize, unitsPerSample } from '../../src/graph/budget';
import { defineNode, type ValueSize } from '../../src/graph/node-definition';
import type { RbmValue, SpinsValue, Value } from '../../src/graph/values';
import { spinsFromStates, visibleFromValue } from '../../src/ml/data';
import { flowSeries, measureFlowPoints, type FlowPoint } from '../../src/physics/flow';
import { spinsGeometry } from '../../src/physics/observables';
import { backendParam } from '../shared/backend-param';

export const rbmFlowParams = z.strictObject({
  steps: z.number().int().min(1).max(10_000).default(10),
  mode: z.enum(['mean', 'sample']).default('sample'),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  backend: backendParam,
});

export const rbmFlowNode = defineNode({
  type: 'rbm.flow',
  version: 1,
  title: 'RBM Flow',
  category: 'Machine learning',
  doc:
    'Iterates v → h → v′ in an RBM from given spins (Iso, Shiba & Yokoo 2018) and tracks their effective temperature. ' +
    "`mode: 'mean'` iterates the map on probabilities, v ← p(v | p(h | v)), deterministically as Iso, Shiba & Yokoo do, drawing spins only to measure them; " +
    "'sample' (the default) draws h and v at every step, a Gibbs chain that relaxes to the RBM's own stationary distribution whatever the map does.",
  inputs: {
    model: { type: 'rbm' },
    init: { type: 'spins', doc: 'configurations to start from, one flow per temperature label' },
  },
  outputs: {
    spins: { type: 'spins', doc: 'the configurations after the last step, with their starting temperatures' },
    flow: {
      type: 'series',
      doc: 'effective temperature per step (0 = the input), one curve per starting temperature',
    },
  },
  params: rbmFlowParams,
  heavy: true,
  resources(_p, inputs) {
    const init = inputs.init as ValueSize | undefined;
    const model = inputs.model as ValueSize | undefined;
    if (!init?.shape || init.shape.length < 2) return {};
    const n = init.shape[0];
    const nv = unitsPerSample(init.shape);
    const nh = model?.shape?.[1] ?? nv;
    // v and h of one step as floats (and the step before), and the spins kept after each step.
    return { outputs: { spins: spinsSize(init.shape) }, working: 2 * 4 * n * (nv + nh) + n * nv };
  },
  async run(inputs, p, ctx) {
    const model = inputs.model as Value | undefined;
    if (!model || model.type !== 'rbm')
      throw new Error(`model: expected an rbm, got ${model ? model.type : 'nothing'}`);
    const init = inputs.init as SpinsValue;
    const geometry = spinsGeometry(init, 'init');
    const visible = visibleFromValue(init, 'init');
    const [{ initBackend }, { rbmFlow }] = await Promise.all([
      import('../../src/ml/backend'),
      import('../../src/ml/flow'),
    ]);
    const backend = await initBackend(p.backend);
    const flow: FlowPoint[][] = [measureFlowPoints(init, 'init')];
    let last = init.data;
    await rbmFlow(model as RbmValue, visible, p, async (step, states) => {
      last = spinsFromStates(states);
      flow.push(measureFlowPoints({ ...init, data: last }));
      ctx.progress(step / p.steps, `step ${step}/${p.steps} · ${backend}`);
      await ctx.checkpoint();
    });
    const provenance = Array.isArray(init.meta.provenance) ? init.meta.provenance : [];
    const spins: SpinsValue = {
      type: 'spins',
      shape: [...init.shape],
      data: last,
      T: new Float64Array(init.T),
      meta: {
        ...init.meta,
        model: 'rbm-flow',
        flowSteps: p.steps,
        provenance: [...provenance, { node: 'rbm.flow', steps: p.steps, mode: p.mode, seed: p.seed }],
      },
    };
    return { spins, flow: flowSeries(flow, geometry.dim, 'RBM flow step', geometry.J) };
  },
});
