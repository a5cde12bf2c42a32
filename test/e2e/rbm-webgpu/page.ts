/**
 * The page of test/e2e/rbm-webgpu.test.ts: the RBM's TensorFlow.js code on the page's thread, on the
 * backend a call names, for the same inputs. The test builds it with Vite and calls `window.rbmWebgpu`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  initBackend,
  probeWebGpu,
  type AdapterSummary,
  type BackendChoice,
  type GpuLike,
} from '../../../src/ml/backend';
import { Rng } from '../../../src/physics/rng';
import { cdGradient, uniformFrom, type RbmTensors } from '../../../src/ml/rbm';
import { trainRbm, type TrainOptions } from '../../../src/ml/train';

export interface GradientInput {
  backend: BackendChoice;
  batch: number;
  nv: number;
  nh: number;
  /** batch x nv, 0/1 */
  v0: number[];
  /** nv x nh */
  W: number[];
  vb: number[];
  hb: number[];
  k: number;
  /** The seed of the uniforms of the Gibbs chain (the project's generator: the same numbers on every backend). */
  uniformSeed: number;
}

export interface GradientOutput {
  backend: string;
  dW: number[];
  dvb: number[];
  dhb: number[];
  reconstructionError: number;
  leakedTensors: number;
}

export interface TrainInput {
  backend: BackendChoice;
  /** n x nv */
  data: number[];
  n: number;
  nv: number;
  options: TrainOptions;
}

export interface TrainOutput {
  backend: string;
  history: { epoch: number; reconstructionError: number; pseudoLogLikelihood: number }[];
  /** Wall time of each epoch, ms (the first includes compiling the kernels on webgpu). */
  epochMs: number[];
  leakedTensors: number;
}

async function gradient(input: GradientInput): Promise<GradientOutput> {
  const backend = await initBackend(input.backend);
  const rbm: RbmTensors = tf.tidy(() => {
    const W = tf.tensor2d(input.W, [input.nv, input.nh]);
    return { W, Wt: tf.transpose(W), vb: tf.tensor1d(input.vb), hb: tf.tensor1d(input.hb) };
  });
  const v0 = tf.tensor2d(input.v0, [input.batch, input.nv]);
  const g = tf.tidy(() => ({ ...cdGradient(v0, rbm, input.k, uniformFrom(new Rng(input.uniformSeed))) }));
  try {
    return {
      backend,
      dW: Array.from(await g.dW.data()),
      dvb: Array.from(await g.dvb.data()),
      dhb: Array.from(await g.dhb.data()),
      reconstructionError: (await g.reconstructionError.data())[0],
      leakedTensors: NaN,
    };
  } finally {
    tf.dispose([v0, rbm.W, rbm.Wt, rbm.vb, rbm.hb, g.dW, g.dvb, g.dhb, g.reconstructionError]);
  }
}

/** gradient(), and the tensors it left behind (none, if every one was disposed). */
async function gradientChecked(input: GradientInput): Promise<GradientOutput> {
  await initBackend(input.backend);
  const before = tf.memory().numTensors;
  const out = await gradient(input);
  return { ...out, leakedTensors: tf.memory().numTensors - before };
}

async function train(input: TrainInput): Promise<TrainOutput> {
  const backend = await initBackend(input.backend);
  const before = tf.memory().numTensors;
  const epochMs: number[] = [];
  let last = performance.now();
  const result = await trainRbm(
    { data: Float32Array.from(input.data), n: input.n, nv: input.nv, visibleShape: [input.nv] },
    input.options,
    {
      afterBatch: () => {},
      afterEpoch: () => {
        const now = performance.now();
        epochMs.push(now - last);
        last = now;
      },
    },
  );
  return {
    backend,
    history: result.history,
    epochMs,
    leakedTensors: tf.memory().numTensors - before,
  };
}

async function adapter(): Promise<AdapterSummary | null> {
  const gpu = (navigator as { gpu?: GpuLike }).gpu;
  const found = await probeWebGpu(gpu, 'this page');
  return 'adapter' in found ? found.adapter : null;
}

const api = { gradient: gradientChecked, train, adapter };
export type RbmWebgpuPage = typeof api;
(window as unknown as { rbmWebgpu: RbmWebgpuPage }).rbmWebgpu = api;
