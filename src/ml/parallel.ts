/**
 * Two threads training one RBM with its hidden units split between them (model parallel): each holds the
 * columns of W and the hidden biases of its half, and every step needs only one swap per Gibbs step of
 * the partial visible input h·Wᵀ (batch × nv), since p(h | v) and the gradient of a hidden unit's
 * weights depend on that unit alone. Both threads see the same mini-batches and draw the visible units
 * from the same random stream, so their visible states stay identical; the hidden units draw from a
 * stream of each thread's own. Messages move by transfer, without copies.
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
  /** Sends this thread's array and resolves with the peer's one of the same step. */
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
      port.postMessage(mine, [mine.buffer as ArrayBuffer]);
      const ready = inbox.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    fail(error) {
      failure ??= error;
      for (const next of waiting.splice(0)) next.reject(error);
    },
  };
}

/** p(v | h) over all hidden units, in columns: this thread's W·hT plus the peer's (a + b = b + a: both get the same). */
export async function visibleColumnsAcross(hT: tf.Tensor2D, rbm: RbmTensors, split: HiddenSplit): Promise<tf.Tensor2D> {
  const partial = tf.matMul(rbm.W, hT);
  try {
    // a copy of our own: a port transfers it, and some backends hand out their storage from dataSync
    const theirs = await split.swap((partial.dataSync() as Float32Array).slice());
    return tf.tidy(
      () =>
        tf.sigmoid(
          tf.add(tf.add(partial, tf.tensor2d(theirs, partial.shape as [number, number])), tf.reshape(rbm.vb, [-1, 1])),
        ) as tf.Tensor2D,
    );
  } finally {
    partial.dispose();
  }
}

/**
 * The CD-k gradient of this thread's hidden units (as cdGradient in rbm.ts, which one thread uses):
 * dW and dhb for its columns; dvb, the reconstruction error and the chain's end are the same on both.
 */
export async function splitCdGradient(
  v0: tf.Tensor2D,
  rbm: RbmTensors,
  k: number,
  hiddenUniform: Uniform,
  visibleUniform: Uniform,
  split: HiddenSplit,
  chainStart?: tf.Tensor2D,
): Promise<CdGradient> {
  const v0T = tf.transpose(v0);
  const ph0 = tf.tidy(() => hiddenColumns(v0T, rbm));
  const held: tf.Tensor[] = [v0T, ph0];
  try {
    let h = tf.tidy(() => bernoulli(chainStart ? hiddenColumns(tf.transpose(chainStart), rbm) : ph0, hiddenUniform));
    held.push(h);
    let reconstruction: tf.Tensor2D | undefined;
    let v!: tf.Tensor2D;
    let ph!: tf.Tensor2D;
    for (let step = 0; step < k; step++) {
      const pv = await visibleColumnsAcross(h, rbm, split);
      held.push(pv);
      if (step === 0 && !chainStart) reconstruction = pv;
      v = tf.tidy(() => bernoulli(pv, visibleUniform));
      held.push(v);
      ph = tf.tidy(() => hiddenColumns(v, rbm));
      held.push(ph);
      if (step < k - 1) {
        h = tf.tidy(() => bernoulli(ph, hiddenUniform));
        held.push(h);
      }
    }
    if (!reconstruction) {
      const h0 = tf.tidy(() => bernoulli(ph0, hiddenUniform));
      held.push(h0);
      reconstruction = await visibleColumnsAcross(h0, rbm, split);
      held.push(reconstruction);
    }
    const recon = reconstruction;
    return tf.tidy(() => ({
      ...outerProducts(v0T, v, ph0, ph, 1 / v0.shape[0]),
      reconstructionError: tf.mean(tf.squaredDifference(v0T, recon)) as tf.Scalar,
      chainEnd: tf.transpose(v),
    }));
  } finally {
    tf.dispose(held);
  }
}
