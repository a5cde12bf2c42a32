/** rbm.layer — RBM Layer: a Bernoulli–Bernoulli RBM trained with TensorFlow.js (CD-k or PCD). */
import { z } from 'zod';
import { tensorSize, unitsPerSample } from '../../src/graph/budget';
import { defineNode, type ValueSize } from '../../src/graph/node-definition';
import type { RbmValue, SeriesValue, TensorValue, Value } from '../../src/graph/values';
import { visibleFromValue } from '../../src/ml/data';
import type { BackendName } from '../../src/ml/backend';
import type { EpochRecord } from '../../src/ml/train';
import { machineCores, trainingThreads } from '../../src/ml/threads';
import { backendParam } from '../shared/backend-param';

/** Largest weight matrix, so a typo in `hidden` is refused before anything is allocated. */
const MAX_WEIGHT_BYTES = 512 * 1024 * 1024;

export const rbmLayerParams = z
  .strictObject({
    hidden: z.number().int().min(1).max(100_000).default(400),
    epochs: z.number().int().min(1).max(100_000).default(20),
    batchSize: z.number().int().min(1).max(1_000_000).default(100),
    learningRate: z.number().positive().max(100).default(0.05),
    k: z.number().int().min(1).max(10_000).default(1),
    persistent: z.boolean().default(false),
    l1: z.number().min(0).default(0),
    l2: z.number().min(0).default(0),
    momentum: z.number().min(0).lt(1).default(0.5),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    backend: backendParam,
    /**
     * 2: a peer thread trains half of the hidden units (model parallel; results differ from 1 thread's,
     * reproducibly). 'auto': 2 on a machine with a second core for 256 x 256 weights and up (src/ml/threads.ts).
     * The split runs on wasm (or webgl): 'auto' gives 1 on webgpu, and backend 'auto' leaves WebGPU out for 2.
     */
    threads: z.union([z.literal('auto'), z.literal(1), z.literal(2)]).default('auto'),
  })
  .superRefine((p, ctx) => {
    if (p.backend === 'webgpu' && p.threads === 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['threads'],
        message:
          "threads: 2 (two threads splitting the hidden units) runs on wasm; on backend 'webgpu' an RBM trains on one thread: set threads to 1 or 'auto'",
      });
    }
  });

/** The RBM whose hidden units produced this value, if it came from an RBM Layer's `hidden` output. */
function modelBelow(value: Value): RbmValue | undefined {
  const rbm = value.type === 'tensor' ? value.meta.rbm : undefined;
  return rbm && typeof rbm === 'object' && (rbm as RbmValue).type === 'rbm' ? (rbm as RbmValue) : undefined;
}

function historySeries(
  history: { epoch: number; reconstructionError: number; pseudoLogLikelihood: number }[],
): SeriesValue {
  return {
    type: 'series',
    x: history.map((h) => h.epoch),
    xLabel: 'epoch',
    curves: [
      { name: 'reconstruction error', y: history.map((h) => h.reconstructionError) },
      { name: 'pseudo-log-likelihood', y: history.map((h) => h.pseudoLogLikelihood) },
    ],
    // Two quantities on different scales: a plot draws each in its own panel.
    meta: { panels: 'separate' },
  };
}

export const rbmLayerNode = defineNode({
  type: 'rbm.layer',
  version: 1,
  title: 'RBM Layer',
  category: 'Machine learning',
  doc: 'A Bernoulli–Bernoulli RBM trained by contrastive divergence; stack layers by feeding one’s hidden output to the next.',
  inputs: { data: { type: 'tensor', doc: 'spins (±1 -> 1/0) or a tensor of values in [0, 1], shape [n, ...units]' } },
  outputs: {
    model: { type: 'rbm' },
    hidden: { type: 'tensor', doc: 'p(h | v) of every training row: the input of the next layer' },
    history: { type: 'series', doc: 'reconstruction error and pseudo-log-likelihood per epoch' },
  },
  params: rbmLayerParams,
  heavy: true,
  lane: 'training',
  resources(p, inputs) {
    const data = inputs.data as ValueSize | undefined;
    if (!data?.shape || data.shape.length < 2) return { trains: true };
    const n = data.shape[0];
    const nv = unitsPerSample(data.shape);
    const weights = nv * p.hidden + nv + p.hidden;
    const below = data.stack;
    const stack = {
      layers: [[nv, p.hidden] as const, ...(below?.layers ?? [])],
      visibleShape: below?.visibleShape ?? data.shape.slice(1),
    };
    const belowBytes = below ? below.layers.reduce((sum, [v, h]) => sum + 4 * (v * h + v + h), 0) : 0;
    const model = { bytes: 4 * weights + belowBytes, shape: [nv, p.hidden], stack };
    return {
      outputs: {
        model,
        // p(h | v) of every row, with the model that made it in its meta (the next layer's `below`).
        hidden: { ...tensorSize([n, p.hidden]), bytes: 4 * n * p.hidden + model.bytes, stack },
      },
      // A float copy of the data in each training thread, the weights' velocity and a snapshot per epoch.
      // (threads as on a machine with a second core: the larger of the two footprints)
      working: 4 * n * nv * trainingThreads(p.threads, nv, p.hidden, 2, p.backend) + 2 * 4 * weights,
      trains: true,
    };
  },
  async run(inputs, p, ctx) {
    const value = inputs.data as Value;
    const visible = visibleFromValue(value);
    const weightBytes = 4 * visible.nv * p.hidden;
    if (weightBytes > MAX_WEIGHT_BYTES) {
      throw new Error(
        `${visible.nv} x ${p.hidden} weights need ${Math.round(weightBytes / 2 ** 20)} MB; the limit is 512 MB`,
      );
    }
    const below = modelBelow(value);
    // TensorFlow.js loads here, in the worker, never with the app's main bundle.
    const [{ initBackend }, { trainRbm }, { trainRbmInParallel }] = await Promise.all([
      import('../../src/ml/backend'),
      import('../../src/ml/train'),
      import('../../src/ml/train-parallel'),
    ]);
    // threads: 2 is the wasm split: 'auto' then leaves WebGPU out (src/ml/backend.ts).
    const backend = await initBackend(p.backend, { twoThreads: p.threads === 2 });
    const threads = trainingThreads(p.threads, visible.nv, p.hidden, await machineCores(), backend);
    const engine = `${backend} · ${threads} thread${threads > 1 ? 's' : ''}`;
    const batches = Math.floor(visible.n / Math.min(p.batchSize, visible.n));
    const hooks = {
      afterBatch: async (epoch: number, batch: number) => {
        ctx.progress(
          ((epoch - 1) * batches + batch + 1) / (p.epochs * batches),
          `epoch ${epoch}/${p.epochs} · ${engine}`,
        );
        await ctx.checkpoint();
      },
      afterEpoch: (model: RbmValue, history: EpochRecord[]) => ctx.emit({ model, history: historySeries(history) }),
    };
    const result =
      threads === 2
        ? await trainRbmInParallel(visible, p, hooks, backend as BackendName, below)
        : await trainRbm(visible, p, hooks, below);
    const hidden: TensorValue = {
      type: 'tensor',
      shape: [visible.n, p.hidden],
      data: result.hidden,
      meta: { source: 'rbm.hidden', rbm: result.model },
    };
    return { model: result.model, hidden, history: historySeries(result.history) };
  },
});
