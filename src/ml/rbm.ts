/**
 * Bernoulli–Bernoulli RBM on TensorFlow.js: conditional probabilities, sampling, free energy and the
 * contrastive-divergence gradient. Every function here is meant to run inside tf.tidy.
 *
 * E(v, h) = -vb·v - hb·h - vᵀ W h,  p(h_j = 1 | v) = σ(hb_j + (vW)_j),  p(v_i = 1 | h) = σ(vb_i + (Wh)_i).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../physics/rng';

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

/** A Uniform from the project's generator (or any source of uint32s): 24 random bits each, exact in float32 and never 1. */
export function uniformFrom(source: Rng | (() => number)): Uniform {
  return (rows, cols) => {
    const values = new Float32Array(rows * cols);
    if (source instanceof Rng) source.fillUniform24(values);
    else for (let i = 0; i < values.length; i++) values[i] = (source() >>> 8) * 5.960464477539063e-8;
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

/*
 * Training works in column layout: states are [units x batch]. The wasm backend's matMul (XNNPACK) packs
 * its second operand and keeps the packing per tensor; the weights change at every step, so putting them
 * first and the small state matrices second saves a repacking of W per product (measured at 1600 x 400,
 * batch 100: p(v | h) 4.6 ms instead of 8.3).
 */

/** p(h = 1 | v) for visible columns vT [nv, batch]: σ(Wᵀ vT + hb), [nh, batch]. */
export function hiddenColumns(vT: tf.Tensor2D, rbm: RbmTensors): tf.Tensor2D {
  return tf.sigmoid(tf.add(tf.matMul(rbm.Wt, vT), tf.reshape(rbm.hb, [-1, 1]))) as tf.Tensor2D;
}

/** p(v = 1 | h) for hidden columns hT [nh, batch]: σ(W hT + vb), [nv, batch]. */
export function visibleColumns(hT: tf.Tensor2D, rbm: RbmTensors): tf.Tensor2D {
  return tf.sigmoid(tf.add(tf.matMul(rbm.W, hT), tf.reshape(rbm.vb, [-1, 1]))) as tf.Tensor2D;
}

export interface GibbsResult {
  /** Visible state after the last step (sampled), [nv, batch]. */
  v: tf.Tensor2D;
  /** p(h | v) for that state, [nh, batch]. */
  ph: tf.Tensor2D;
  /** p(v | h) of the first step, [nv, batch]: for the reconstruction error. */
  firstVisibleProbabilities: tf.Tensor2D;
}

/** k steps of block Gibbs sampling in column layout, starting from hidden states hT [nh, batch]. */
export function gibbsFromHidden(hT: tf.Tensor2D, rbm: RbmTensors, k: number, uniform: Uniform): GibbsResult {
  let hidden = hT;
  let v!: tf.Tensor2D;
  let ph!: tf.Tensor2D;
  let first!: tf.Tensor2D;
  for (let step = 0; step < k; step++) {
    const pv = visibleColumns(hidden, rbm);
    if (step === 0) first = pv;
    v = bernoulli(pv, uniform);
    ph = hiddenColumns(v, rbm);
    if (step < k - 1) hidden = bernoulli(ph, uniform);
  }
  return { v, ph, firstVisibleProbabilities: first };
}

export interface CdGradient {
  /** Ascent directions for the log-likelihood, averaged over the batch (before penalties). */
  dW: tf.Tensor2D;
  dvb: tf.Tensor1D;
  dhb: tf.Tensor1D;
  /**
   * Mean squared difference between v0 and p(v | h0). With the hidden units split between threads, this
   * thread's share: the sum over its visible units, divided by all of them (parallel.ts).
   */
  reconstructionError: tf.Scalar;
  /** The chain's final visible state, [batch, nv]: the next persistent state, so only with PCD. */
  chainEnd?: tf.Tensor2D;
}

/**
 * scale · (<v hᵀ>_data - <v hᵀ>_chain) and the bias terms, from columns of the data's visible states and
 * hidden probabilities and the chain's: two matMuls, with the sign and scale on the hidden side, the
 * smaller one (one matMul of the concatenated states costs more: concatenating columns is a slow copy).
 */
export function outerProducts(
  v0T: tf.Tensor2D,
  vkT: tf.Tensor2D,
  ph0T: tf.Tensor2D,
  phkT: tf.Tensor2D,
  scale: number,
): { dW: tf.Tensor2D; dvb: tf.Tensor1D; dhb: tf.Tensor1D } {
  const batch = v0T.shape[1];
  const data = tf.mul(ph0T, scale);
  const chain = tf.mul(phkT, -scale);
  const dW = tf.add(tf.matMul(v0T, tf.transpose(data)), tf.matMul(vkT, tf.transpose(chain))) as tf.Tensor2D;
  const column = (value: number) => tf.fill([batch, 1], value);
  const dvb = tf.reshape(tf.add(tf.matMul(v0T, column(scale)), tf.matMul(vkT, column(-scale))), [-1]) as tf.Tensor1D;
  const dhb = tf.add(tf.sum(data, 1), tf.sum(chain, 1)) as tf.Tensor1D;
  return { dW, dvb, dhb };
}

/**
 * The CD-k gradient on a batch v0 [batch, nv]: <v hᵀ>_data - <v hᵀ>_chain, with hidden probabilities in
 * both terms. With `chainStart` (PCD) the negative chain starts from those visible states instead of v0.
 */
export function cdGradient(
  v0: tf.Tensor2D,
  rbm: RbmTensors,
  k: number,
  uniform: Uniform,
  chainStart?: tf.Tensor2D,
): CdGradient {
  const v0T = tf.transpose(v0);
  const ph0 = hiddenColumns(v0T, rbm);
  const startHidden = chainStart
    ? bernoulli(hiddenColumns(tf.transpose(chainStart), rbm), uniform)
    : bernoulli(ph0, uniform);
  const chain = gibbsFromHidden(startHidden, rbm, k, uniform);
  const { dW, dvb, dhb } = outerProducts(v0T, chain.v, ph0, chain.ph, 1 / v0.shape[0]);
  const reconstruction = chainStart ? visibleColumns(bernoulli(ph0, uniform), rbm) : chain.firstVisibleProbabilities;
  const reconstructionError = tf.mean(tf.squaredDifference(v0T, reconstruction)) as tf.Scalar;
  return { dW, dvb, dhb, reconstructionError, ...(chainStart ? { chainEnd: tf.transpose(chain.v) } : {}) };
}

/**
 * Per row r, the hidden part of F(ṽ) - F(v) when unit units[r] of v is flipped: Σ_j softplus(x_j) -
 * softplus(x̃_j), with x = vW + hb and x̃ = x + (1 - 2 v_i) W_i. One matMul instead of two free energies;
 * a sum over hidden units, so threads that hold different hidden units add their parts.
 */
export function hiddenFreeEnergyChange(v: tf.Tensor2D, units: tf.Tensor1D, rbm: RbmTensors): tf.Tensor1D {
  const x = tf.fused.matMul({ a: v, b: rbm.W, bias: rbm.hb });
  const sign = flipSign(v, units);
  const flipped = tf.add(x, tf.mul(tf.reshape(sign, [-1, 1]), tf.gather(rbm.W, units)));
  return tf.sum(tf.sub(tf.softplus(x), tf.softplus(flipped)), 1) as tf.Tensor1D;
}

/** ṽ_i - v_i = 1 - 2 v_i for the flipped unit of each row. */
function flipSign(v: tf.Tensor2D, units: tf.Tensor1D): tf.Tensor1D {
  const [rows, nv] = v.shape;
  const flat = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(nv, 'int32')), tf.cast(units, 'int32'));
  const vi = tf.gather(tf.reshape(v, [-1]), flat);
  return tf.sub(1, tf.mul(vi, 2)) as tf.Tensor1D;
}

/**
 * Stochastic pseudo-log-likelihood (as scikit-learn's BernoulliRBM.score_samples): for each row, the
 * visible unit units[r] is flipped, and PLL ≈ nv · log σ(F(ṽ) - F(v)). Mean over the rows. With hidden
 * units split between threads, `hiddenChange` is the sum of every thread's hiddenFreeEnergyChange.
 */
export function pseudoLogLikelihood(
  v: tf.Tensor2D,
  units: tf.Tensor1D,
  rbm: RbmTensors,
  hiddenChange: tf.Tensor1D = hiddenFreeEnergyChange(v, units, rbm),
): tf.Scalar {
  const visibleChange = tf.neg(tf.mul(tf.gather(rbm.vb, units), flipSign(v, units)));
  return tf.mul(tf.mean(tf.logSigmoid(tf.add(visibleChange, hiddenChange))), v.shape[1]) as tf.Scalar;
}
