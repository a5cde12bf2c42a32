/**
 * One RBM training configuration of the ML bench, in a worker thread of its own: as in the app, where a
 * node trains in a pool worker, and with a heap no earlier run has filled.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/ml/backend';
import { trainRbm, type TrainHooks, type TrainOptions } from '../../src/ml/train';
import { trainRbmInParallel } from '../../src/ml/train-parallel';
import { Rng } from '../../src/physics/rng';

export interface TrainingRun {
  threads: 1 | 2;
  n: number;
  nv: number;
  options: TrainOptions;
}

export interface TrainingTimes {
  backend: string;
  /** Seconds per epoch, in order. */
  epochs: number[];
  tensorsLeft: number;
}

const run = workerData as TrainingRun;
const backend = await initBackend();
// Random ±1 spins as 1/0: the cost of a CD step does not depend on the values.
const rng = new Rng(5);
const data = Float32Array.from({ length: run.n * run.nv }, () => rng.nextU32() & 1);
const input = { data, n: run.n, nv: run.nv, visibleShape: [Math.sqrt(run.nv), Math.sqrt(run.nv)] };
const before = tf.memory().numTensors;
const epochs: number[] = [];
let last = performance.now();
const hooks: TrainHooks = {
  afterBatch: () => {},
  afterEpoch: () => {
    const now = performance.now();
    epochs.push((now - last) / 1000);
    last = now;
  },
};
await (run.threads === 1 ? trainRbm(input, run.options, hooks) : trainRbmInParallel(input, run.options, hooks, 'auto'));
parentPort!.postMessage({ backend, epochs, tensorsLeft: tf.memory().numTensors - before } satisfies TrainingTimes);
