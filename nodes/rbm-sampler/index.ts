/** rbm.sampler — Sampler: Gibbs sampling in the top RBM of a stack, then down to the bottom visible units. */
import { z } from 'zod';
import { spinsSize, tensorSize } from '../../src/graph/budget';
import { defineNode, type ValueSize } from '../../src/graph/node-definition';
import type { RbmValue, SpinsValue, TensorValue, Value } from '../../src/graph/values';
import { spinsFromStates, visibleFromValue } from '../../src/ml/data';
import { backendParam } from '../shared/backend-param';

const YIELD_INTERVAL_MS = 40;

export const samplerParams = z.strictObject({
  samples: z.number().int().min(1).max(1_000_000).default(100),
  steps: z.number().int().min(0).max(1_000_000).default(1000),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /**
   * The pass down a stack's lower layers: 'mean' (when absent) passes probabilities, 'sample' draws binary
   * states at each layer. Optional rather than defaulted, so graphs saved without it keep their bytes.
   */
  down: z.enum(['mean', 'sample']).optional(),
  backend: backendParam,
});

export const samplerNode = defineNode({
  type: 'rbm.sampler',
  version: 1,
  title: 'Sampler',
  category: 'Machine learning',
  // One line in the palette; the README says more of `down` ('sample': exact samples of the stack as a
  // generative model; 'mean', the default: probabilities passed down, a mean-field pass, not exact).
  doc: "Samples an RBM stack: Gibbs steps in the top layer, then down to the visible units (`down`: 'mean' or 'sample'); from `init`, one step gives reconstructions.",
  inputs: {
    model: { type: 'rbm' },
    init: { type: 'tensor', optional: true, doc: 'bottom-level visible states to start from (spins or [0, 1] values)' },
  },
  outputs: {
    spins: { type: 'spins', doc: 'samples in the visible shape of the bottom layer; T from `init` spins, else NaN' },
    tensor: { type: 'tensor', doc: 'visible probabilities of those samples' },
  },
  params: samplerParams,
  heavy: true,
  resources(p, inputs) {
    const stack = (inputs.model as ValueSize | undefined)?.stack;
    if (!stack) return {};
    const init = inputs.init as ValueSize | undefined;
    const n = init?.shape?.length ? Math.min(p.samples, init.shape[0]) : p.samples;
    const [nv] = stack.layers[stack.layers.length - 1];
    const units = stack.layers.reduce((sum, [v, h]) => sum + v + h, 0);
    return {
      outputs: { spins: spinsSize([n, ...stack.visibleShape]), tensor: tensorSize([n, nv]) },
      // Visible and hidden states and probabilities of every layer on the way down, and the drawn states.
      working: 2 * 4 * n * units + 4 * n * nv,
    };
  },
  async run(inputs, p, ctx) {
    const model = inputs.model as Value | undefined;
    if (!model || model.type !== 'rbm')
      throw new Error(`model: expected an rbm, got ${model ? model.type : 'nothing'}`);
    const initValue = inputs.init as Value | undefined;
    const init = initValue ? visibleFromValue(initValue, 'init') : undefined;
    const [{ initBackend }, { sampleStack, stackOf }] = await Promise.all([
      import('../../src/ml/backend'),
      import('../../src/ml/sample'),
    ]);
    const layers = stackOf(model as RbmValue);
    const bottom = layers[layers.length - 1];
    const backend = await initBackend(p.backend);
    let lastYield = performance.now();
    const result = await sampleStack(
      model as RbmValue,
      { samples: p.samples, steps: p.steps, seed: p.seed, init, down: p.down ?? 'mean' },
      async (step) => {
        const now = performance.now();
        if (now - lastYield < YIELD_INTERVAL_MS) return;
        lastYield = now;
        ctx.progress((step + 1) / p.steps, `step ${step + 1}/${p.steps} · ${backend}`);
        await ctx.checkpoint();
      },
    );
    const shape = [result.n, ...bottom.visibleShape];
    const lattice = bottom.visibleShape;
    const square = lattice.length === 1 || (lattice.length === 2 && lattice[0] === lattice[1]);
    const spins: SpinsValue = {
      type: 'spins',
      shape,
      data: spinsFromStates(result.states),
      // Reconstructions of given samples keep their temperatures; free samples have none.
      T: initValue?.type === 'spins' ? initValue.T.slice(0, result.n) : new Float64Array(result.n).fill(NaN),
      meta: {
        model: 'rbm-sample',
        ...(square ? { dim: lattice.length, L: lattice[0], J: 1, h: 0, boundary: 'periodic' } : {}),
        layers: layers.length,
        steps: p.steps,
        fromInit: Boolean(init),
        provenance: [
          {
            node: 'rbm.sampler',
            seed: p.seed,
            steps: p.steps,
            ...(layers.length > 1 ? { down: p.down ?? 'mean' } : {}),
          },
        ],
      },
    };
    const tensor: TensorValue = { type: 'tensor', shape, data: result.probabilities, meta: { source: 'rbm.sampler' } };
    return { spins, tensor };
  },
});
