/**
 * Sampling down an RBM stack: block Gibbs sampling in the top RBM, then down through each layer below
 * to the bottom visible units. An `init` at the bottom visible level is first carried up the stack with
 * p(h | v), so one step from data gives reconstructions.
 *
 * The pass down has two modes. 'sample' draws binary states at every layer: the top RBM's visible
 * units from its p(v | h), then each lower layer's visible units from p(v | h) of the states drawn
 * above. That is ancestral sampling of the stack as a generative model (a deep belief net): the bottom
 * states are distributed as the top RBM's visible marginal pushed down through each layer's p(v | h).
 * 'mean' passes probabilities instead: each layer's input is the probability vector m from above, and
 * its units come out independent with σ(vb + W m). That mean-field pass is not the stack's law: σ of
 * the mean input is not the mean of σ, and the correlations that sampled states above would give a
 * layer's units are lost (test/ml/sample.test.ts measures the difference by enumeration). For a single
 * RBM there is no pass down and the two modes are the same.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RbmValue } from '../graph/values';
import { Rng } from '../physics/rng';
import { assertFitsDevice, pacerFor } from './device';
import { bernoulli, hiddenProbabilities, uniformFrom, visibleProbabilities, type RbmTensors } from './rbm';

/** The stack from the top model down to the bottom one, checked to chain: each layer's nv is the nh below. */
export function stackOf(model: RbmValue): RbmValue[] {
  const layers: RbmValue[] = [];
  for (let layer: RbmValue | undefined = model; layer; layer = layer.below) {
    if (layer.W.length !== layer.nv * layer.nh) {
      throw new Error(
        `model layer ${layers.length}: W holds ${layer.W.length} values, expected ${layer.nv} x ${layer.nh}`,
      );
    }
    if (layer.below && layer.below.nh !== layer.nv) {
      throw new Error(
        `the model stack does not chain: a layer with ${layer.nv} visible units sits on one with ${layer.below.nh} hidden units`,
      );
    }
    layers.push(layer);
  }
  return layers;
}

/** The float32 arrays of n chains through a stack, for assertFitsDevice: each layer's weights, and the states of its widest layer. */
export function stackArrays(layers: RbmValue[], n: number): { what: string; elements: number }[] {
  const widest = Math.max(...layers.flatMap((layer) => [layer.nv, layer.nh]));
  return [
    ...layers.map((layer, i) => ({
      what: `layer ${i}'s weights (${layer.nv} x ${layer.nh})`,
      elements: layer.nv * layer.nh,
    })),
    { what: `the states of ${n} chains (${widest} units)`, elements: n * widest },
  ];
}

/** One layer's weights as tensors (the caller disposes them). */
export function tensorsOf(layer: RbmValue): RbmTensors {
  const W = tf.tensor2d(layer.W, [layer.nv, layer.nh]);
  return { W, Wt: tf.transpose(W), vb: tf.tensor1d(layer.vbias), hb: tf.tensor1d(layer.hbias) };
}

/** How the pass down the lower layers of a stack goes: binary states drawn at each layer, or probabilities. */
export type DownMode = 'mean' | 'sample';

export interface SampleOptions {
  samples: number;
  /** Gibbs steps in the top RBM. */
  steps: number;
  seed: number;
  /** Rows of bottom visible units (n x nv, values in [0, 1]) to start the chains from. */
  init?: { data: Float32Array; n: number; nv: number };
  /** The pass down the layers below the top: 'mean' (the default) or 'sample'. */
  down?: DownMode;
}

export interface SampleResult {
  /** Bottom visible probabilities, n x nv. */
  probabilities: Float32Array;
  /** Bottom visible states drawn from those probabilities (0/1), n x nv. */
  states: Float32Array;
  n: number;
}

export async function sampleStack(
  model: RbmValue,
  options: SampleOptions,
  afterStep?: (step: number) => Promise<void>,
): Promise<SampleResult> {
  const layers = stackOf(model); // top first
  const bottom = layers[layers.length - 1];
  const rng = new Rng(options.seed);
  const uniform = uniformFrom(rng);
  if (options.init && options.init.nv !== bottom.nv) {
    throw new Error(`init has ${options.init.nv} units per sample, the model's visible layer has ${bottom.nv}`);
  }
  const n = options.init ? Math.min(options.samples, options.init.n) : options.samples;
  assertFitsDevice(stackArrays(layers, n));
  // On a GPU backend, each step waits for the one before it to finish (device.ts).
  const pacer = pacerFor(tf.getBackend());
  const tensors = layers.map(tensorsOf);
  const top = tensors[0];
  let v: tf.Tensor2D;
  if (options.init) {
    v = tf.tensor2d(options.init.data.subarray(0, n * bottom.nv), [n, bottom.nv]);
    for (let i = tensors.length - 1; i > 0; i--) {
      const up = hiddenProbabilities(v, tensors[i]);
      v.dispose();
      v = up;
    }
  } else {
    v = tf.tidy(() => bernoulli(tf.fill([n, layers[0].nv], 0.5) as tf.Tensor2D, uniform));
  }
  // p(v | h) of the latest step (v itself before the first): disposed in `finally` too, if afterStep cancels.
  let pv = v;
  /** The visible probabilities of the layer reached on the way down (none yet at the top). */
  let down: tf.Tensor2D | undefined;
  try {
    for (let step = 0; step < options.steps; step++) {
      const next = tf.tidy(() => {
        const h = bernoulli(hiddenProbabilities(v, top), uniform);
        return visibleProbabilities(h, top);
      });
      if (pv !== v) pv.dispose();
      pv = next;
      const sampled = tf.tidy(() => bernoulli(pv, uniform));
      v.dispose();
      v = sampled;
      await pacer.step(v);
      await afterStep?.(step);
    }
    // Down the stack: p(v | h) of the probabilities from above ('mean') or of states drawn from them ('sample').
    const drawn = options.down === 'sample';
    for (let i = 1; i < tensors.length; i++) {
      const above = down ?? pv;
      const next = tf.tidy(() => visibleProbabilities(drawn ? bernoulli(above, uniform) : above, tensors[i]));
      down?.dispose();
      down = next;
    }
    const bottomProbabilities = down ?? pv;
    const states = tf.tidy(() => bernoulli(bottomProbabilities, uniform));
    try {
      return {
        probabilities: (await bottomProbabilities.data()) as Float32Array,
        states: (await states.data()) as Float32Array,
        n,
      };
    } finally {
      states.dispose();
    }
  } finally {
    pacer.dispose();
    v.dispose();
    pv.dispose();
    down?.dispose();
    for (const t of tensors) tf.dispose([t.W, t.Wt, t.vb, t.hb]);
  }
}
