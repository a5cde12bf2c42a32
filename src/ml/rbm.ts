/**
 * Bernoulli–Bernoulli RBM on TensorFlow.js: conditional probabilities, sampling, free energy and the
 * contrastive-divergence gradient. Every function here is meant to run inside tf.tidy.
 *
 * E(v, h) = -vb·v - hb·h - vᵀ W h,  p(h_j = 1 | v) = σ(hb_j + (vW)_j),  p(v_i = 1 | h) = σ(vb_i + (Wh)_i).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface RbmTensors {
  /** [nv, nh] */
  W: tf.Tensor2D;
  /** [nh, nv]: the transpose, kept beside W (an explicit transpose is much faster than a transposed matMul in wasm). */
  Wt: tf.Tensor2D;
  vb: tf.Tensor1D;
  hb: tf.Tensor1D;
}

/** Uniform numbers in [0, 1), drawn by the caller's seeded generator (the same on every backend). */
export type Uniform = (rows: number, cols: number) => tf.Tensor2D;

/** A Uniform from a generator of uint32s: 24 random bits each, exact in float32 and never 1. */
export function uniformFrom(nextU32: () => number): Uniform {
  return (rows, cols) => {
    const values = new Float32Array(rows * cols);
    for (let i = 0; i < values.length; i++) values[i] = (nextU32() >>> 8) * 5.960464477539063e-8;
    return tf.tensor2d(values, [rows, cols]);
  };
}

/** p(h = 1 | v), as one fused matMul + bias + sigmoid. */
export function hiddenProbabilities(v: tf.Tensor2D, rbm: RbmTensors): tf.Tensor2D {
  return tf.fused.matMul({ a: v, b: rbm.W, bias: rbm.hb, activation: 'sigmoid' }) as tf.Tensor2D;
}

export function visibleProbabilities(h: tf.Tensor2D, rbm: RbmTensors): tf.Tensor2D {
  return tf.fused.matMul({ a: h, b: rbm.Wt, bias: rbm.vb, activation: 'sigmoid' }) as tf.Tensor2D;
}

/** Bernoulli samples (0/1) with the given probabilities. */
export function bernoulli(p: tf.Tensor2D, uniform: Uniform): tf.Tensor2D {
  return tf.cast(tf.less(uniform(p.shape[0], p.shape[1]), p), 'float32') as tf.Tensor2D;
}

/** F(v) = -vb·v - Σ_j softplus(hb_j + (vW)_j), one value per row. */
export function freeEnergy(v: tf.Tensor2D, rbm: RbmTensors): tf.Tensor1D {
  const visibleTerm = tf.sum(tf.mul(v, rbm.vb), 1);
  const hiddenTerm = tf.sum(tf.softplus(tf.add(tf.matMul(v, rbm.W), rbm.hb)), 1);
  return tf.neg(tf.add(visibleTerm, hiddenTerm)) as tf.Tensor1D;
}

export interface GibbsResult {
  /** Visible state after the last step (sampled). */
  v: tf.Tensor2D;
  /** p(h | v) for that state. */
  ph: tf.Tensor2D;
  /** p(v | h) of the first step: for the reconstruction error. */
  firstVisibleProbabilities: tf.Tensor2D;
}

/** k steps of block Gibbs sampling, starting from hidden states h. */
export function gibbsFromHidden(h: tf.Tensor2D, rbm: RbmTensors, k: number, uniform: Uniform): GibbsResult {
  let hidden = h;
  let v!: tf.Tensor2D;
  let ph!: tf.Tensor2D;
  let first!: tf.Tensor2D;
  for (let step = 0; step < k; step++) {
    const pv = visibleProbabilities(hidden, rbm);
    if (step === 0) first = pv;
    v = bernoulli(pv, uniform);
    ph = hiddenProbabilities(v, rbm);
    if (step < k - 1) hidden = bernoulli(ph, uniform);
  }
  return { v, ph, firstVisibleProbabilities: first };
}

export interface CdGradient {
  /** Ascent directions for the log-likelihood, averaged over the batch (before penalties). */
  dW: tf.Tensor2D;
  dvb: tf.Tensor1D;
  dhb: tf.Tensor1D;
  /** Mean squared difference between v0 and p(v | h0). */
  reconstructionError: tf.Scalar;
  /** The chain's final visible state (the next persistent state, for PCD). */
  chainEnd: tf.Tensor2D;
}

/**
 * The CD-k gradient on a batch v0: <v hᵀ>_data - <v hᵀ>_chain, with hidden probabilities in both
 * terms. With `chainStart` (PCD) the negative chain starts from those visible states instead of v0.
 * Both outer products are one matMul: [v0, -vk]ᵀ [ph0; phk].
 */
export function cdGradient(
  v0: tf.Tensor2D,
  rbm: RbmTensors,
  k: number,
  uniform: Uniform,
  chainStart?: tf.Tensor2D,
  /** Multiplies the sums: 1 / batch for the mean (default), 1 for sums to be combined across threads. */
  scale = 1 / v0.shape[0],
): CdGradient {
  const batch = v0.shape[0];
  const ph0 = hiddenProbabilities(v0, rbm);
  const startHidden = chainStart ? bernoulli(hiddenProbabilities(chainStart, rbm), uniform) : bernoulli(ph0, uniform);
  const chain = gibbsFromHidden(startHidden, rbm, k, uniform);
  const visible = tf.concat([v0, tf.neg(chain.v)], 0);
  const hidden = tf.concat([ph0, chain.ph], 0);
  const dW = tf.mul(tf.matMul(tf.transpose(visible), hidden), scale) as tf.Tensor2D;
  // Column sums as a matMul with a row of ones: tf.sum over axis 0 is several times slower in wasm.
  const ones = tf.fill([1, 2 * batch], scale);
  const dvb = tf.reshape(tf.matMul(ones, visible), [-1]) as tf.Tensor1D;
  const dhb = tf.reshape(tf.matMul(ones, tf.concat([ph0, tf.neg(chain.ph)], 0)), [-1]) as tf.Tensor1D;
  const reconstruction = chainStart
    ? visibleProbabilities(bernoulli(ph0, uniform), rbm)
    : chain.firstVisibleProbabilities;
  const reconstructionError = tf.mean(tf.squaredDifference(v0, reconstruction)) as tf.Scalar;
  return { dW, dvb, dhb, reconstructionError, chainEnd: chain.v };
}

/**
 * Stochastic pseudo-log-likelihood (as scikit-learn's BernoulliRBM.score_samples): for each row, one
 * visible unit i chosen at random is flipped, and PLL ≈ nv · log σ(F(ṽ) - F(v)). Mean over the rows.
 */
export function pseudoLogLikelihood(v: tf.Tensor2D, flip: tf.Tensor2D, rbm: RbmTensors): tf.Scalar {
  const flipped = tf.abs(tf.sub(v, flip)) as tf.Tensor2D;
  const diff = tf.sub(freeEnergy(flipped, rbm), freeEnergy(v, rbm));
  return tf.mul(tf.mean(tf.logSigmoid(diff)), v.shape[1]) as tf.Scalar;
}
