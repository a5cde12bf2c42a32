/**
 * Training a Bernoulli–Bernoulli RBM by CD-k or persistent CD, on mini-batches shuffled by a seeded
 * generator, with momentum and L1/L2 weight penalties. The weights live in tf.Variables updated in
 * place, so the number of tensors stays flat however long it trains.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RbmValue } from '../graph/values';
import { Rng } from '../physics/rng';
import {
  cdGradient,
  hiddenFreeEnergyChange,
  hiddenProbabilities,
  pseudoLogLikelihood,
  uniformFrom,
  type CdGradient,
  type RbmTensors,
} from './rbm';
import type { VisibleData } from './data';
import { assertFitsDevice, pacerFor, readFloats } from './device';
import { hiddenRange, splitCdGradient, type HiddenSplit, type VisibleScratch } from './parallel';

export interface TrainOptions {
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  k: number;
  persistent: boolean;
  l1: number;
  l2: number;
  momentum: number;
  seed: number;
  /**
   * Annealing: the learning rate holds at `learningRate` for the first half of the epochs, then falls
   * geometrically to this value at the last epoch. Left out, the rate stays constant.
   */
  learningRateEnd?: number;
}

export interface EpochRecord {
  epoch: number;
  reconstructionError: number;
  pseudoLogLikelihood: number;
}

export interface TrainHooks {
  /** After each mini-batch; may await (yield, cancel by throwing). */
  afterBatch(epoch: number, batch: number, batches: number): void | Promise<void>;
  /** After each epoch, with the model so far. */
  afterEpoch?(model: RbmValue, history: EpochRecord[]): void | Promise<void>;
}

export interface TrainResult {
  model: RbmValue;
  /** p(h | v) for every training row, n x nh. */
  hidden: Float32Array;
  history: EpochRecord[];
}

/** Rows on which the pseudo-log-likelihood is estimated each epoch. */
const PLL_ROWS = 1000;
export const HIDDEN_CHUNK_ROWS = 2000;

function shuffled(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * The learning rate of epoch `epoch` (1-based): `learningRate` while (epoch - 1) / (epochs - 1) <= 1/2,
 * then learningRate · (learningRateEnd / learningRate)^(2 (epoch - 1) / (epochs - 1) - 1), which reaches
 * `learningRateEnd` at the last epoch. Constant without `learningRateEnd`. Small steps at the end leave
 * less SGD noise in the final weights than a constant rate, without slowing the first half.
 */
export function learningRateAt(
  options: Pick<TrainOptions, 'learningRate' | 'learningRateEnd' | 'epochs'>,
  epoch: number,
): number {
  const { learningRate, learningRateEnd, epochs } = options;
  if (learningRateEnd === undefined || epochs < 2) return learningRate;
  const progress = (epoch - 1) / (epochs - 1);
  if (progress <= 0.5) return learningRate;
  return learningRate * Math.pow(learningRateEnd / learningRate, 2 * progress - 1);
}

/** Visible biases start at log(p / (1 - p)) of each unit's mean activity (Hinton's practical guide). */
function initialVisibleBias(data: VisibleData): Float32Array {
  const mean = new Float64Array(data.nv);
  for (let r = 0; r < data.n; r++) for (let i = 0; i < data.nv; i++) mean[i] += data.data[r * data.nv + i];
  return Float32Array.from(mean, (sum) => {
    const p = Math.min(1 - 1e-3, Math.max(1e-3, sum / data.n));
    return Math.log(p / (1 - p));
  });
}

export async function trainRbm(
  input: VisibleData,
  options: TrainOptions,
  hooks: TrainHooks,
  below?: RbmValue,
  /** With a peer thread: this thread trains its part of the hidden units (parallel.ts). */
  split?: HiddenSplit,
): Promise<TrainResult> {
  const { n, nv } = input;
  const nh = options.hidden;
  const batchSize = Math.min(options.batchSize, n);
  const role = split?.role ?? 0;
  const { from, to } = split ?? { from: 0, to: nh };
  const width = to - from;
  // The initial weights and the batch order come from the same stream in every thread; hidden units draw
  // from a stream of each thread's own, and so (with a split) do the visible units each thread samples.
  const rng = new Rng(options.seed);
  const nextSeed = () => rng.nextU32();
  const sampleRng = new Rng(options.seed, 1 + role);
  const uniform = uniformFrom(sampleRng);
  const visibleRng = new Rng(options.seed, 3 + role);
  const fillVisibleUniform = (out: Float32Array) => visibleRng.fillUniform24(out);
  const visibleScratch: VisibleScratch = {};
  assertFitsDevice([
    { what: `the weights (${nv} x ${width})`, elements: nv * width },
    {
      what: `p(h | v) of ${Math.min(HIDDEN_CHUNK_ROWS, n)} rows (${nh} hidden units)`,
      elements: Math.min(HIDDEN_CHUNK_ROWS, n) * nh,
    },
  ]);

  const rows = (from: number, count: number) =>
    tf.tensor2d(input.data.slice(from * nv, (from + count) * nv), [count, nv]);
  /**
   * A mini-batch's rows, copied one by one here: tf.gather on the whole data set costs more than the CD
   * step. Into the same array every time (the batch's tensors are disposed within the step): large
   * short-lived arrays make the garbage collector run often, on the cores training needs.
   */
  const batchBuffer = new Float32Array(batchSize * nv);
  const batchRows = (indices: Int32Array) => {
    indices.forEach((row, i) => batchBuffer.set(input.data.subarray(row * nv, (row + 1) * nv), i * nv));
    return batchBuffer;
  };
  // tf.variable keeps its own copy: the initial tensors are freed by the tidy.
  const [W, vb, hb, ...velocity] = tf.tidy(() => [
    tf.variable(tf.slice(tf.randomNormal([nv, nh], 0, 0.01, 'float32', nextSeed()), [0, from], [nv, width])),
    tf.variable(tf.tensor1d(initialVisibleBias(input))),
    tf.variable(tf.zeros([width])),
    tf.variable(tf.zeros([nv, width])),
    tf.variable(tf.zeros([nv])),
    tf.variable(tf.zeros([width])),
  ]);
  const pllRows = Math.min(PLL_ROWS, n);
  const pllData = rows(0, pllRows);
  let persistentChain: tf.Variable | null = null;
  const history: EpochRecord[] = [];
  /** The epoch's running sum of reconstruction errors: disposed in `finally` too, if a hook cancels mid-epoch. */
  let errorSum: tf.Tensor | null = null;

  /**
   * The whole model: with a split, this thread's columns and the peer's, swapped (both threads call it).
   * Read asynchronously: WebGPU has no synchronous read.
   */
  const snapshot = async (epochsDone: number): Promise<RbmValue> => {
    let weights = await readFloats(W);
    let hbias = await readFloats(hb);
    if (split) {
      const mine = new Float32Array(nv * width + width);
      mine.set(weights);
      mine.set(hbias, nv * width);
      const theirs = await split.swap(mine);
      const parts = role === 0 ? [mine, theirs] : [theirs, mine];
      const full = new Float32Array(nv * nh);
      const fullBias = new Float32Array(nh);
      ([0, 1] as const).forEach((r) => {
        const { from: c0, to: c1 } = hiddenRange(nh, r);
        const w = c1 - c0;
        const part = parts[r];
        for (let i = 0; i < nv; i++) full.set(part.subarray(i * w, (i + 1) * w), i * nh + c0);
        fullBias.set(part.subarray(nv * w, nv * w + w), c0);
      });
      weights = full;
      hbias = fullBias;
    }
    return {
      type: 'rbm',
      nv,
      nh,
      W: weights,
      vbias: await readFloats(vb),
      hbias,
      visibleShape: input.visibleShape,
      training: {
        ...options,
        batchSize,
        backend: tf.getBackend(),
        epochsDone,
        samples: n,
        threads: split ? 2 : 1,
      },
      ...(below ? { below } : {}),
    };
  };

  /** The pseudo-log-likelihood of the first rows: this thread's hidden units' part plus, with a split, the peer's. */
  const pseudoLikelihood = async (seed: number): Promise<number> => {
    const rbm: RbmTensors = { W: W as tf.Tensor2D, Wt: W as tf.Tensor2D, vb: vb as tf.Tensor1D, hb: hb as tf.Tensor1D };
    const units = tf.tidy(() => tf.randomUniform([pllRows], 0, nv, 'int32', seed) as tf.Tensor1D);
    let change = tf.tidy(() => hiddenFreeEnergyChange(pllData, units, rbm));
    try {
      if (split) {
        const theirs = await split.swap((await change.data()) as Float32Array);
        const total = tf.tidy(() => tf.add(change, tf.tensor1d(theirs)) as tf.Tensor1D);
        change.dispose();
        change = total;
      }
      const pll = tf.tidy(() => pseudoLogLikelihood(pllData, units, rbm, change));
      const value = (await pll.data())[0];
      pll.dispose();
      return value;
    } finally {
      tf.dispose([units, change]);
    }
  };

  // On a GPU backend, each batch waits for the one before it to finish: progress and cancellation follow
  // what the device has computed, not what this thread has queued (device.ts).
  const pacer = pacerFor(tf.getBackend());
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const rate = learningRateAt(options, epoch);
      const order = shuffled(n, rng);
      const batches = Math.floor(n / batchSize);
      errorSum = tf.scalar(0);
      for (let b = 0; b < batches; b++) {
        const v0Rows = batchRows(order.subarray(b * batchSize, (b + 1) * batchSize));
        const v0 = tf.tensor2d(v0Rows, [batchSize, nv]);
        const Wt = tf.transpose(W) as tf.Tensor2D;
        const rbm: RbmTensors = { W: W as tf.Tensor2D, Wt, vb: vb as tf.Tensor1D, hb: hb as tf.Tensor1D };
        const start = options.persistent ? ((persistentChain ?? v0) as tf.Tensor2D) : undefined;
        let g: CdGradient;
        try {
          // The split reads vb synchronously at every batch: it runs on the CPU backends (and webgl) only.
          g = split
            ? await splitCdGradient(
                v0,
                v0Rows,
                rbm,
                vb.dataSync() as Float32Array,
                options.k,
                uniform,
                fillVisibleUniform,
                split,
                visibleScratch,
                start,
              )
            : tf.tidy(() => ({ ...cdGradient(v0, rbm, options.k, uniform, start) }));
        } finally {
          tf.dispose([v0, Wt]);
        }
        const nextError = tf.tidy(() => {
          let dW: tf.Tensor = g.dW;
          if (options.l2 > 0) dW = tf.sub(dW, tf.mul(W, options.l2));
          if (options.l1 > 0) dW = tf.sub(dW, tf.mul(tf.sign(W), options.l1));
          const grads: tf.Tensor[] = [dW, g.dvb, g.dhb];
          ([W, vb, hb] as tf.Variable[]).forEach((param, i) => {
            const v = tf.add(tf.mul(velocity[i], options.momentum), tf.mul(grads[i], rate));
            velocity[i].assign(v);
            param.assign(tf.add(param, v));
          });
          return tf.add(errorSum!, g.reconstructionError);
        });
        tf.dispose([g.dW, g.dvb, g.dhb, g.reconstructionError, errorSum!]);
        errorSum = nextError;
        if (g.chainEnd) {
          if (persistentChain) persistentChain.assign(g.chainEnd);
          else persistentChain = tf.variable(g.chainEnd);
          g.chainEnd.dispose();
        }
        await pacer.step(errorSum);
        await hooks.afterBatch(epoch, b, batches);
      }
      let reconstructionError = (await errorSum.data())[0] / batches;
      errorSum.dispose();
      // with a split, each thread measured the error on its half of the visible units
      if (split) reconstructionError += (await split.swap(Float32Array.of(reconstructionError)))[0];
      const pllSeed = nextSeed(); // drawn on both threads, so their batch orders stay the same
      const model = await snapshot(epoch);
      const pseudo = await pseudoLikelihood(pllSeed);
      if (!Number.isFinite(reconstructionError) || !Number.isFinite(pseudo)) {
        throw new Error(`training diverged in epoch ${epoch} (NaN in the weights): lower the learning rate`);
      }
      history.push({ epoch, reconstructionError, pseudoLogLikelihood: pseudo });
      await hooks.afterEpoch?.(model, history);
    }
    // p(h | v) of the data, for the next layer: with a split, the peer sends its columns here.
    const hidden = new Float32Array(role === 0 ? n * nh : 0);
    for (let start = 0; start < n; start += HIDDEN_CHUNK_ROWS) {
      const count = Math.min(HIDDEN_CHUNK_ROWS, n - start);
      const chunk = tf.tidy(() =>
        hiddenProbabilities(rows(start, count), {
          W: W as tf.Tensor2D,
          Wt: W as tf.Tensor2D, // not used for p(h | v)
          vb: vb as tf.Tensor1D,
          hb: hb as tf.Tensor1D,
        }),
      );
      const mine = (await chunk.data()) as Float32Array;
      chunk.dispose();
      if (!split) {
        hidden.set(mine, start * nh);
        continue;
      }
      const theirs = await split.swap(role === 0 ? new Float32Array(0) : mine);
      if (role === 1) continue;
      const other = hiddenRange(nh, 1);
      const otherWidth = other.to - other.from;
      for (let r = 0; r < count; r++) {
        hidden.set(mine.subarray(r * width, (r + 1) * width), (start + r) * nh + from);
        hidden.set(theirs.subarray(r * otherWidth, (r + 1) * otherWidth), (start + r) * nh + other.from);
      }
    }
    return { model: await snapshot(options.epochs), hidden, history };
  } finally {
    pacer.dispose();
    tf.dispose([W, vb, hb, pllData, ...velocity]);
    errorSum?.dispose();
    persistentChain?.dispose();
  }
}
