/**
 * Training a Bernoulli–Bernoulli RBM by CD-k or persistent CD, on mini-batches shuffled by a seeded
 * generator, with momentum and L1/L2 weight penalties. The weights live in tf.Variables updated in
 * place, so the number of tensors stays flat however long it trains.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RbmValue } from '../graph/values';
import { Rng } from '../physics/rng';
import { cdGradient, hiddenProbabilities, pseudoLogLikelihood, uniformFrom, type RbmTensors } from './rbm';
import type { VisibleData } from './data';
import type { GradientExchange } from './parallel';

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
const HIDDEN_CHUNK_ROWS = 2000;

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
  /** With a peer thread: this thread takes its half of every mini-batch and swaps gradient sums (parallel.ts). */
  parallel?: GradientExchange,
): Promise<TrainResult> {
  const { n, nv } = input;
  const nh = options.hidden;
  const batchSize = Math.min(options.batchSize, n);
  const role = parallel?.role ?? 0;
  // The initial weights and the batch order come from the same stream in every thread; Gibbs sampling
  // draws from a stream of each thread's own.
  const rng = new Rng(options.seed);
  const nextSeed = () => rng.nextU32();
  const sampleRng = new Rng(options.seed, 1 + role);
  const uniform = uniformFrom(() => sampleRng.nextU32());

  const rows = (from: number, count: number) =>
    tf.tensor2d(input.data.slice(from * nv, (from + count) * nv), [count, nv]);
  /** A mini-batch, copied row by row here: tf.gather on the whole data set costs more than the CD step. */
  const batchOf = (indices: Int32Array) => {
    const values = new Float32Array(indices.length * nv);
    indices.forEach((row, i) => values.set(input.data.subarray(row * nv, (row + 1) * nv), i * nv));
    return tf.tensor2d(values, [indices.length, nv]);
  };
  // tf.variable keeps its own copy: the initial tensors are freed by the tidy.
  const [W, vb, hb, ...velocity] = tf.tidy(() => [
    tf.variable(tf.randomNormal([nv, nh], 0, 0.01, 'float32', nextSeed())),
    tf.variable(tf.tensor1d(initialVisibleBias(input))),
    tf.variable(tf.zeros([nh])),
    tf.variable(tf.zeros([nv, nh])),
    tf.variable(tf.zeros([nv])),
    tf.variable(tf.zeros([nh])),
  ]);
  const pllRows = Math.min(PLL_ROWS, n);
  const pllData = rows(0, pllRows);
  let persistentChain: tf.Variable | null = null;
  const history: EpochRecord[] = [];
  /** The epoch's running sum of reconstruction errors: disposed in `finally` too, if a hook cancels mid-epoch. */
  let errorSum: tf.Tensor | null = null;

  const snapshot = (): RbmValue => ({
    type: 'rbm',
    nv,
    nh,
    W: W.dataSync() as Float32Array,
    vbias: vb.dataSync() as Float32Array,
    hbias: hb.dataSync() as Float32Array,
    visibleShape: input.visibleShape,
    training: { ...options, batchSize, backend: tf.getBackend(), epochsDone: history.length, samples: n },
    ...(below ? { below } : {}),
  });

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const order = shuffled(n, rng);
      const batches = Math.floor(n / batchSize);
      errorSum = tf.scalar(0);
      for (let b = 0; b < batches; b++) {
        const batch = order.subarray(b * batchSize, (b + 1) * batchSize);
        const half = Math.ceil(batch.length / 2);
        const v0 = batchOf(parallel ? (role === 0 ? batch.subarray(0, half) : batch.subarray(half)) : batch);
        const local = tf.tidy(() => {
          const Wt = tf.transpose(W) as tf.Tensor2D;
          const rbm: RbmTensors = { W: W as tf.Tensor2D, Wt, vb: vb as tf.Tensor1D, hb: hb as tf.Tensor1D };
          const start = options.persistent ? ((persistentChain ?? v0) as tf.Tensor2D) : undefined;
          // Sums (scale 1) when they are to be added to the peer's, else means.
          const g = cdGradient(v0, rbm, options.k, uniform, start, parallel ? 1 : undefined);
          return { dW: g.dW, dvb: g.dvb, dhb: g.dhb, reconstructionError: g.reconstructionError, chainEnd: g.chainEnd };
        });
        const rows = v0.shape[0];
        v0.dispose();
        let gradients: tf.Tensor[] = [local.dW, local.dvb, local.dhb];
        let batchError: tf.Tensor = local.reconstructionError;
        if (parallel) {
          // dataSync copies out of the wasm heap; a second copy travels to the peer by transfer.
          const mine = [local.dW, local.dvb, local.dhb].map((t) => t.dataSync() as Float32Array);
          const error = local.reconstructionError.dataSync()[0] * rows;
          tf.dispose([local.dW, local.dvb, local.dhb, local.reconstructionError]);
          const theirs = await parallel.exchange({
            dW: mine[0].slice(),
            dvb: mine[1].slice(),
            dhb: mine[2].slice(),
            error,
          });
          // Means of the two halves' sums, computed the same way on both threads (a + b = b + a).
          const scale = 1 / batch.length;
          [theirs.dW, theirs.dvb, theirs.dhb].forEach((other, k) => {
            const sum = mine[k];
            for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] + other[i]) * scale;
          });
          gradients = [tf.tensor2d(mine[0], [nv, nh]), tf.tensor1d(mine[1]), tf.tensor1d(mine[2])];
          batchError = tf.scalar((error + theirs.error) * scale);
        }
        const nextError = tf.tidy(() => {
          let dW = gradients[0];
          if (options.l2 > 0) dW = tf.sub(dW, tf.mul(W, options.l2));
          if (options.l1 > 0) dW = tf.sub(dW, tf.mul(tf.sign(W), options.l1));
          const grads: tf.Tensor[] = [dW, gradients[1], gradients[2]];
          ([W, vb, hb] as tf.Variable[]).forEach((param, i) => {
            const v = tf.add(tf.mul(velocity[i], options.momentum), tf.mul(grads[i], options.learningRate));
            velocity[i].assign(v);
            param.assign(tf.add(param, v));
          });
          return tf.add(errorSum!, batchError);
        });
        tf.dispose([...gradients, batchError, errorSum!]);
        errorSum = nextError;
        if (options.persistent) {
          if (persistentChain) persistentChain.assign(local.chainEnd);
          else persistentChain = tf.variable(local.chainEnd);
        }
        local.chainEnd.dispose();
        await hooks.afterBatch(epoch, b, batches);
      }
      const reconstructionError = (await errorSum.data())[0] / batches;
      errorSum.dispose();
      const pll = tf.tidy(() => {
        const rbm: RbmTensors = {
          W: W as tf.Tensor2D,
          Wt: tf.transpose(W) as tf.Tensor2D,
          vb: vb as tf.Tensor1D,
          hb: hb as tf.Tensor1D,
        };
        const units = tf.randomUniform([pllRows], 0, nv, 'int32', nextSeed()) as tf.Tensor1D;
        return pseudoLogLikelihood(pllData, tf.cast(tf.oneHot(units, nv), 'float32') as tf.Tensor2D, rbm);
      });
      const pseudo = (await pll.data())[0];
      pll.dispose();
      if (!Number.isFinite(reconstructionError) || !Number.isFinite(pseudo)) {
        throw new Error(`training diverged in epoch ${epoch} (NaN in the weights): lower the learning rate`);
      }
      history.push({ epoch, reconstructionError, pseudoLogLikelihood: pseudo });
      await hooks.afterEpoch?.(snapshot(), history);
    }
    // p(h | v) of the data, for the next layer; a peer thread's copy would be thrown away.
    const hidden = new Float32Array(role === 0 ? n * nh : 0);
    for (let start = 0; role === 0 && start < n; start += HIDDEN_CHUNK_ROWS) {
      const count = Math.min(HIDDEN_CHUNK_ROWS, n - start);
      const chunk = tf.tidy(() =>
        hiddenProbabilities(rows(start, count), {
          W: W as tf.Tensor2D,
          Wt: W as tf.Tensor2D, // not used for p(h | v)
          vb: vb as tf.Tensor1D,
          hb: hb as tf.Tensor1D,
        }),
      );
      hidden.set(await chunk.data(), start * nh);
      chunk.dispose();
    }
    return { model: snapshot(), hidden, history };
  } finally {
    tf.dispose([W, vb, hb, pllData, ...velocity]);
    errorSum?.dispose();
    persistentChain?.dispose();
  }
}
