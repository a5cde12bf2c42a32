/**
 * The RBM flow of Iso, Shiba & Yokoo (2018): the map v -> h -> v' iterated. Up the stack with p(h | v),
 * back down with p(v | h). In 'mean' mode (theirs) the map is deterministic on probabilities:
 * v_{t+1} = p(v | p(h | v_t)); in 'sample' mode both the top hidden and the bottom visible units are
 * sampled, which makes the flow a Gibbs chain: it relaxes to the RBM's stationary distribution, whatever
 * the starting point, so it cannot test a claim about the deterministic map. Either way each step's
 * configurations are spins drawn from p(v | h), so they can be measured like any Monte Carlo sample.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RbmValue } from '../graph/values';
import { Rng } from '../physics/rng';
import { bernoulli, hiddenProbabilities, uniformFrom, visibleProbabilities } from './rbm';
import { assertFitsDevice } from './device';
import { stackArrays, stackOf, tensorsOf } from './sample';

export type FlowMode = 'mean' | 'sample';

export interface FlowOptions {
  steps: number;
  mode: FlowMode;
  seed: number;
}

/**
 * Runs the flow from `init` (n x nv values in [0, 1] at the bottom of the stack) and hands each step's
 * drawn configurations (0/1, n x nv) to `onStep`, for steps 1..options.steps. Every tensor is disposed,
 * also when onStep throws (a cancel).
 */
export async function rbmFlow(
  model: RbmValue,
  init: { data: Float32Array; n: number; nv: number },
  options: FlowOptions,
  onStep: (step: number, states: Float32Array) => Promise<void>,
): Promise<void> {
  const layers = stackOf(model); // top first
  const bottom = layers[layers.length - 1];
  if (init.nv !== bottom.nv) {
    throw new Error(`init has ${init.nv} units per sample, the model's visible layer has ${bottom.nv}`);
  }
  assertFitsDevice(stackArrays(layers, init.n));
  const rng = new Rng(options.seed);
  const uniform = uniformFrom(rng);
  const tensors = layers.map(tensorsOf);
  const upward = [...tensors].reverse(); // bottom first
  let v = tf.tensor2d(init.data, [init.n, init.nv]);
  try {
    for (let step = 1; step <= options.steps; step++) {
      const [next, states] = tf.tidy(() => {
        let h = v;
        for (const layer of upward) h = hiddenProbabilities(h, layer);
        if (options.mode === 'sample') h = bernoulli(h, uniform);
        for (const layer of tensors) h = visibleProbabilities(h, layer);
        const drawn = bernoulli(h, uniform);
        return [options.mode === 'sample' ? drawn : h, drawn];
      });
      v.dispose();
      v = next;
      // Each step's states are read (asynchronously): that also keeps the loop in step with a GPU.
      const values = (await states.data()) as Float32Array;
      if (states !== next) states.dispose();
      await onStep(step, values);
    }
  } finally {
    v.dispose();
    for (const t of tensors) tf.dispose([t.W, t.Wt, t.vb, t.hb]);
  }
}
