/**
 * The hidden spins of an RBM stack for given visible samples: the coarse-grained configuration that the
 * RBM assigns to each sample, as a stochastic block-spin map (Mehta & Schwab 2014).
 *
 * The data is carried up the stack with probabilities (σ(b + W p), as each layer's `hidden` output was
 * given to the next in training); the top layer's hidden units are then drawn from p(h | ·) with the
 * seeded generator. For a single RBM that is exact conditional sampling: (v, h) is distributed as the
 * RBM's joint law whenever v is distributed as its visible marginal. Each spin is 2h - 1 times the unit's
 * orientation (hidden-geometry.ts), so a unit whose field is negative still points with its region.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RbmValue } from '../graph/values';
import { Rng } from '../physics/rng';
import type { VisibleData } from './data';
import { hiddenProbabilities } from './rbm';
import { stackOf, tensorsOf } from './sample';

/** Rows carried up the stack at once: bounds the tensors alive between progress reports. */
const ROWS_PER_CHUNK = 1024;

/**
 * Hidden spins ±1, n x units row-major, for the visible data; `sign` orients each unit. `afterChunk`
 * is called with the rows done after each chunk (for progress and cancellation).
 */
export async function hiddenSpins(
  model: RbmValue,
  visible: VisibleData,
  sign: Int8Array,
  seed: number,
  afterChunk?: (rows: number) => Promise<void>,
): Promise<Int8Array> {
  const layers = stackOf(model); // top first
  const bottom = layers[layers.length - 1];
  if (visible.nv !== bottom.nv) {
    throw new Error(`data has ${visible.nv} units per sample, the model's visible layer has ${bottom.nv}`);
  }
  const units = model.nh;
  if (sign.length !== units) throw new Error(`hiddenSpins: ${sign.length} orientations for ${units} units`);
  const rng = new Rng(seed);
  const out = new Int8Array(visible.n * units);
  const uniform = new Float32Array(ROWS_PER_CHUNK * units);
  const tensors = layers.map(tensorsOf);
  try {
    for (let from = 0; from < visible.n; from += ROWS_PER_CHUNK) {
      const rows = Math.min(ROWS_PER_CHUNK, visible.n - from);
      const probabilities = tf.tidy(() => {
        let p = tf.tensor2d(visible.data.subarray(from * bottom.nv, (from + rows) * bottom.nv), [rows, bottom.nv]);
        for (let i = tensors.length - 1; i >= 0; i--) p = hiddenProbabilities(p, tensors[i]);
        return p;
      });
      const p = (await probabilities.data()) as Float32Array;
      probabilities.dispose();
      const draws = uniform.subarray(0, rows * units);
      rng.fillUniform24(draws);
      for (let i = 0; i < rows * units; i++) {
        const on = draws[i] < p[i] ? 1 : -1;
        out[from * units + i] = on * sign[i % units];
      }
      await afterChunk?.(from + rows);
    }
  } finally {
    for (const t of tensors) tf.dispose([t.W, t.Wt, t.vb, t.hb]);
  }
  return out;
}
