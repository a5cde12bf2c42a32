/** RBM training speed: one CD-1 epoch of the Mehta–Schwab first layer on the TensorFlow.js backend in use. */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/ml/backend';
import { trainRbm, type TrainHooks } from '../../src/ml/train';
import { trainRbmInParallel } from '../../src/ml/train-parallel';
import { Rng } from '../../src/physics/rng';
import { median, type BenchResult } from './measure';

const section = 'ml';

export async function mlBench(): Promise<BenchResult[]> {
  const backend = await initBackend();
  const n = 10_000;
  const nv = 1600;
  const nh = 400;
  // Random ±1 spins as 1/0: the cost of a CD step does not depend on the values.
  const rng = new Rng(5);
  const data = Float32Array.from({ length: n * nv }, () => rng.nextU32() & 1);
  const options = {
    hidden: nh,
    epochs: 5,
    batchSize: 100,
    learningRate: 0.05,
    k: 1,
    persistent: false,
    l1: 0,
    l2: 0,
    momentum: 0.5,
    seed: 1,
  };
  const before = tf.memory().numTensors;
  const input = { data, n, nv, visibleShape: [40, 40] };
  const gflop = (8 * nv * nh * n) / 1e9;
  const results: BenchResult[] = [];
  for (const threads of [1, 2]) {
    const epochTimes: number[] = [];
    let last = performance.now();
    const hooks: TrainHooks = {
      afterBatch: () => {},
      afterEpoch: () => {
        const now = performance.now();
        epochTimes.push((now - last) / 1000);
        last = now;
      },
    };
    await (threads === 1 ? trainRbm(input, options, hooks) : trainRbmInParallel(input, options, hooks, 'auto'));
    const seconds = median(epochTimes.slice(1)); // the first epoch includes compiling the kernels; the machine is noisy
    results.push(
      {
        section,
        name: `RBM epoch, CD-1, 1600 x 400, batch 100, ${backend}, ${threads} thread${threads > 1 ? 's' : ''}`,
        value: seconds,
        unit: 's',
        note: '10,000 samples; target ≤ 2',
      },
      {
        section,
        name: `RBM training throughput, ${threads} thread${threads > 1 ? 's' : ''}`,
        value: gflop / seconds,
        unit: 'GFLOP/s',
        note: '8 nv nh per sample',
      },
    );
  }
  results.push({
    section,
    name: 'tensors left after training',
    value: tf.memory().numTensors - before,
    unit: 'tensors',
    note: 'must be 0',
  });
  return results;
}
