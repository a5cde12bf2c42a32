/**
 * Two threads training one RBM with its hidden units split between them (model parallel): each holds the
 * columns of W and the hidden biases of its half. p(h | v) and the gradient of a hidden unit's weights
 * depend on that unit alone, so a Gibbs step exchanges only visible-side arrays (visibleAcross). Both
 * threads see the same mini-batches and end every step with the same visible state; each draws its
 * random numbers from streams of its own.
 *
 * Data parallel (half of every batch each) was tried first: it must swap the whole nv × nh gradient
 * and apply the full update on both threads, and gained little over one thread.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bernoulli, hiddenColumns, outerProducts, type CdGradient, type RbmTensors, type Uniform } from './rbm';

export interface HiddenSplit {
  /** 0 holds the first half of the hidden units and reports; 1 is the peer. */
  role: 0 | 1;
  /** This thread's hidden units, [from, to). */
  from: number;
  to: number;
  /** Sends a copy of this thread's array (a view will do) and resolves with the peer's one of the same step. */
  swap(mine: Float32Array): Promise<Float32Array>;
  /** Ends the exchange: a waiting and every later swap rejects with `error` (the peer is gone). */
  fail(error: Error): void;
}

/** The hidden units of each role: the first thread takes the larger half. */
export function hiddenRange(nh: number, role: 0 | 1): { from: number; to: number } {
  const half = Math.ceil(nh / 2);
  return role === 0 ? { from: 0, to: half } : { from: half, to: nh };
}

interface PortLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
}

/** The split over one end of a MessageChannel. Messages arrive in order, one per swap. */
export function portSplit(port: PortLike, role: 0 | 1, nh: number): HiddenSplit {
  const inbox: Float32Array[] = [];
  const waiting: { resolve(data: Float32Array): void; reject(error: Error): void }[] = [];
  let failure: Error | null = null;
  port.addEventListener('message', (event) => {
    const data = event.data as Float32Array;
    const next = waiting.shift();
    if (next) next.resolve(data);
    else inbox.push(data);
  });
  port.start?.();
  return {
    role,
    ...hiddenRange(nh, role),
    swap(mine) {
      if (failure) return Promise.reject(failure);
      const copy = mine.slice(); // mine may be a view, or storage a backend still uses
      port.postMessage(copy, [copy.buffer as ArrayBuffer]);
      const ready = inbox.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    fail(error) {
      failure ??= error;
      for (const next of waiting.splice(0)) next.reject(error);
    },
  };
}

/** The visible units whose p(v | h) and samples each role computes for both: the first half to role 0. */
export function visibleRange(nv: number, role: 0 | 1): { from: number; to: number } {
  const half = Math.ceil(nv / 2);
  return role === 0 ? { from: 0, to: half } : { from: half, to: nv };
}

/** Fills an array with uniform numbers in [0, 1) (a seeded generator of the thread's own). */
export type FillUniform = (out: Float32Array) => void;

export interface VisibleAcross {
  /** The sampled visible columns over all units, [nv, batch]; only when asked to sample. */
  v?: tf.Tensor2D;
  /** Σ (v0 - p(v | h))² over this thread's visible units and the batch; 0 without v0. */
  squaredError: number;
}

/** Arrays a thread reuses from step to step (not the sampled state: a backend may keep that one). */
export interface VisibleScratch {
  uniform?: Float32Array;
  probabilities?: Float32Array;
}

function reuse(array: Float32Array | undefined, length: number): Float32Array {
  return array && array.length === length ? array : new Float32Array(length);
}

/**
 * p(v | h) over all hidden units, in columns, shared out between the threads: each sends the peer its
 * partial input W·hT for the peer's half of the visible units and receives the peer's for its own half
 * (reduce-scatter), computes p(v | h) and samples that half, and the samples are swapped (all-gather).
 * Both threads end with the same visible state. The sampling runs on plain arrays: the partial inputs
 * are here anyway for the swap, and the element-wise tensor ops (add, sigmoid, compare, cast) over
 * nv × batch cost more than this loop.
 */
export async function visibleAcross(
  hT: tf.Tensor2D,
  W: tf.Tensor2D,
  vbias: Float32Array,
  split: HiddenSplit,
  fillUniform: FillUniform,
  scratch: VisibleScratch,
  options: { sample: boolean; v0Rows?: Float32Array },
): Promise<VisibleAcross> {
  const [nv, batch] = [W.shape[0], hT.shape[1]];
  const partial = tf.matMul(W, hT);
  let input: Float32Array;
  try {
    input = partial.dataSync() as Float32Array;
  } finally {
    partial.dispose();
  }
  const mine = visibleRange(nv, split.role);
  const other = visibleRange(nv, split.role === 0 ? 1 : 0);
  const theirs = await split.swap(input.subarray(other.from * batch, other.to * batch));
  const count = (mine.to - mine.from) * batch;
  const p = (scratch.probabilities = reuse(scratch.probabilities, count));
  for (let unit = mine.from, k = 0; unit < mine.to; unit++) {
    const bias = vbias[unit];
    for (let r = 0; r < batch; r++, k++) p[k] = 1 / (1 + Math.exp(-(input[unit * batch + r] + theirs[k] + bias)));
  }
  let squaredError = 0;
  const v0 = options.v0Rows;
  if (v0) {
    for (let unit = mine.from, k = 0; unit < mine.to; unit++) {
      for (let r = 0; r < batch; r++, k++) {
        const d = v0[r * nv + unit] - p[k];
        squaredError += d * d;
      }
    }
  }
  if (!options.sample) return { squaredError };
  const uniform = (scratch.uniform = reuse(scratch.uniform, count));
  fillUniform(uniform);
  const v = new Float32Array(nv * batch);
  const offset = mine.from * batch;
  for (let k = 0; k < count; k++) v[offset + k] = +(uniform[k] < p[k]); // branch-free: a random branch mispredicts half the time
  const theirSamples = await split.swap(v.subarray(offset, offset + count));
  v.set(theirSamples, other.from * batch);
  return { v: tf.tensor2d(v, [nv, batch]), squaredError };
}

/**
 * The CD-k gradient of this thread's hidden units (as cdGradient in rbm.ts, which one thread uses):
 * dW and dhb for its columns; dvb and the chain's end are the same on both threads, the reconstruction
 * error is this thread's share. v0Rows holds the values of v0 [batch, nv]; vbias those of rbm.vb.
 */
export async function splitCdGradient(
  v0: tf.Tensor2D,
  v0Rows: Float32Array,
  rbm: RbmTensors,
  vbias: Float32Array,
  k: number,
  hiddenUniform: Uniform,
  visibleUniform: FillUniform,
  split: HiddenSplit,
  scratch: VisibleScratch,
  chainStart?: tf.Tensor2D,
): Promise<CdGradient> {
  const [batch, nv] = v0.shape;
  const v0T = tf.transpose(v0);
  const ph0 = tf.tidy(() => hiddenColumns(v0T, rbm));
  const held: tf.Tensor[] = [v0T, ph0];
  try {
    let h = tf.tidy(() => bernoulli(chainStart ? hiddenColumns(tf.transpose(chainStart), rbm) : ph0, hiddenUniform));
    held.push(h);
    let squaredError = 0;
    let v!: tf.Tensor2D;
    let ph!: tf.Tensor2D;
    for (let step = 0; step < k; step++) {
      const measure = step === 0 && !chainStart;
      const next = await visibleAcross(h, rbm.W, vbias, split, visibleUniform, scratch, {
        sample: true,
        ...(measure ? { v0Rows } : {}),
      });
      if (measure) squaredError = next.squaredError;
      v = next.v!;
      held.push(v);
      ph = tf.tidy(() => hiddenColumns(v, rbm));
      held.push(ph);
      if (step < k - 1) {
        h = tf.tidy(() => bernoulli(ph, hiddenUniform));
        held.push(h);
      }
    }
    if (chainStart) {
      // PCD: the reconstruction error is still measured from the data's own hidden sample
      const h0 = tf.tidy(() => bernoulli(ph0, hiddenUniform));
      held.push(h0);
      squaredError = (await visibleAcross(h0, rbm.W, vbias, split, visibleUniform, scratch, { sample: false, v0Rows }))
        .squaredError;
    }
    return tf.tidy(() => ({
      ...outerProducts(v0T, v, ph0, ph, 1 / batch),
      reconstructionError: tf.scalar(squaredError / (nv * batch)),
      ...(chainStart ? { chainEnd: tf.transpose(v) } : {}),
    }));
  } finally {
    tf.dispose(held);
  }
}
