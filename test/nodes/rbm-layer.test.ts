/** rbm.layer: trains an RBM from spins or a tensor, streams a model per epoch, stacks, cancels, refuses bad input. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/graph/node-definition';
import type { RbmValue, SeriesValue, SpinsValue, TableValue, TensorValue, Value } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import { rbmLayerNode } from '../../nodes/rbm-layer/index';
import { samplerNode } from '../../nodes/rbm-sampler/index';
import { noFiles, paramErrors, runNode } from '../helpers/run-node';
import { sample } from '../helpers/sample';

let chain: SpinsValue;

beforeAll(async () => {
  await initBackend();
  // 200 samples of a periodic chain of 10 spins at T = 1.
  chain = await sample({ dim: 1, L: 10, T: 1.0, algorithm: 'metropolis', samples: 200, thin: 2, seed: 3 });
});

const small = { hidden: 6, epochs: 4, batchSize: 20, learningRate: 0.1, seed: 7 };

function tensor(shape: number[], values: ArrayLike<number>): TensorValue {
  return { type: 'tensor', shape, data: Float32Array.from(values), meta: {} };
}

describe('rbm.layer node', () => {
  it('declares its contract', () => {
    expect(rbmLayerNode.type).toBe('rbm.layer');
    expect(rbmLayerNode.category).toBe('Machine learning');
    expect(rbmLayerNode.heavy).toBe(true);
    expect(rbmLayerNode.inputs.data.type).toBe('tensor');
    expect(Object.keys(rbmLayerNode.outputs)).toEqual(['model', 'hidden', 'history']);
    expect(rbmLayerNode.params.parse({})).toMatchObject({
      hidden: 400,
      epochs: 20,
      batchSize: 100,
      k: 1,
      persistent: false,
      l1: 0,
      momentum: 0.5,
      backend: 'auto',
    });
  });

  it('trains on spins and returns the model, p(h | v) of every row and the history', async () => {
    const { outputs } = await runNode(rbmLayerNode, { data: chain }, small);
    const model = outputs.model as RbmValue;
    expect(model).toMatchObject({ type: 'rbm', nv: 10, nh: 6, visibleShape: [10] });
    expect(model.W).toHaveLength(60);
    expect(model.below).toBeUndefined();
    expect(model.training).toMatchObject({ epochsDone: 4, samples: 200, batchSize: 20, seed: 7 });
    const hidden = outputs.hidden as TensorValue;
    expect(hidden.shape).toEqual([200, 6]);
    expect(hidden.meta).toMatchObject({ source: 'rbm.hidden' });
    expect(hidden.meta.rbm).toBe(model);
    for (const x of hidden.data) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
    }
    const history = outputs.history as SeriesValue;
    expect(history.x).toEqual([1, 2, 3, 4]);
    expect(history.xLabel).toBe('epoch');
    expect(history.curves.map((c) => c.name)).toEqual(['reconstruction error', 'pseudo-log-likelihood']);
    expect(history.curves.every((c) => c.y.length === 4 && c.y.every(Number.isFinite))).toBe(true);
  });

  it('emits the model and the history after every epoch, and reports progress up to 1', async () => {
    const { outputs, emitted, progress } = await runNode(rbmLayerNode, { data: chain }, small);
    expect(emitted).toHaveLength(4);
    emitted.forEach((e, i) => {
      expect(Object.keys(e).sort()).toEqual(['history', 'model']);
      expect((e.model as RbmValue).training.epochsDone).toBe(i + 1);
      expect((e.history as SeriesValue).x).toEqual(Array.from({ length: i + 1 }, (_, k) => k + 1));
    });
    expect(Array.from((emitted[3].model as RbmValue).W)).toEqual(Array.from((outputs.model as RbmValue).W));
    // 200 rows in batches of 20: 10 batches a epoch, 40 progress reports.
    expect(progress).toHaveLength(40);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);
    expect(progress.at(-1)).toBeCloseTo(1, 12);
  });

  it('trains on a tensor of values in [0, 1] and clamps a batch size larger than the data to the data', async () => {
    const rows = 30;
    const values = Array.from({ length: rows * 5 }, (_, k) => ((k * 7919) % 11) / 10);
    const { outputs, progress } = await runNode(
      rbmLayerNode,
      { data: tensor([rows, 5], values) },
      { hidden: 3, epochs: 3, batchSize: 1000, seed: 1 },
    );
    const model = outputs.model as RbmValue;
    // Clamped, not refused: one batch of all 30 rows per epoch.
    expect(model.training.batchSize).toBe(rows);
    expect(progress).toEqual([1 / 3, 2 / 3, 1]);
    expect(model.visibleShape).toEqual([5]);
  });

  it('stacks: its hidden output fed into a second layer gives a model whose `below` is the first', async () => {
    const first = await runNode(rbmLayerNode, { data: chain }, small);
    const second = await runNode(rbmLayerNode, { data: first.outputs.hidden }, { ...small, hidden: 3 });
    const top = second.outputs.model as RbmValue;
    expect(top).toMatchObject({ nv: 6, nh: 3, visibleShape: [6] });
    expect(top.below).toBe(first.outputs.model);
    expect(((second.outputs.hidden as TensorValue).meta.rbm as RbmValue).below).toBe(first.outputs.model);
    // Sampling the stack gives spins in the bottom layer's visible shape.
    const sampled = await runNode(samplerNode, { model: top }, { samples: 12, steps: 5, seed: 1 });
    const spins = sampled.outputs.spins as SpinsValue;
    expect(spins.shape).toEqual([12, 10]);
    expect(spins.meta).toMatchObject({ layers: 2, dim: 1, L: 10 });
    expect(spins.data.every((s) => s === 1 || s === -1)).toBe(true);
    expect((sampled.outputs.tensor as TensorValue).shape).toEqual([12, 10]);
  });

  it('cancels within one batch: a signal aborted before the run stops it after the first batch', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort();
    await expect(runNode(rbmLayerNode, { data: chain }, small, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels within one batch when aborted mid-epoch, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const progress: number[] = [];
    const emitted: Record<string, Value>[] = [];
    // As runNode's context, aborting at the 15th batch (epoch 2, batch 5 of 10).
    const ctx: RunContext = {
      signal: controller.signal,
      progress: (f) => {
        progress.push(f);
        if (progress.length === 15) controller.abort();
      },
      emit: (o) => emitted.push(o),
      checkpoint: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        controller.signal.throwIfAborted();
      },
      sources: {},
      readFile: noFiles,
    };
    await expect(
      rbmLayerNode.run({ data: chain }, rbmLayerNode.params.parse({ ...small, persistent: true }), ctx),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toHaveLength(15);
    expect(emitted).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad input with clear messages', async () => {
    await expect(runNode(rbmLayerNode, { data: tensor([2, 3], [0, 1, 0, 1, 1.5, 0]) }, small)).rejects.toThrow(
      'data: value 1.5 at row 1, unit 1 is outside [0, 1]',
    );
    await expect(runNode(rbmLayerNode, { data: tensor([2, 3], [0, 1, 0, 1, NaN, 0]) }, small)).rejects.toThrow(
      'data: NaN at row 1, unit 1',
    );
    const table: TableValue = { type: 'table', columns: ['x'], rows: [[1]] };
    await expect(runNode(rbmLayerNode, { data: table }, small)).rejects.toThrow(
      'data: expected spins or a tensor, got table',
    );
    await expect(runNode(rbmLayerNode, {}, small)).rejects.toThrow('data: expected spins or a tensor, got nothing');
    // 2000 x 100000 float32 weights (800 MB) are refused before anything is allocated.
    await expect(
      runNode(rbmLayerNode, { data: tensor([1, 2000], new Float32Array(2000)) }, { hidden: 100_000 }),
    ).rejects.toThrow(/2000 x 100000 weights need 763 MB; the limit is 512 MB/);
  });

  it('refuses bad params: hidden = 0 and friends', () => {
    const [hidden] = paramErrors(rbmLayerNode, { hidden: 0 });
    expect(hidden).toMatch(/^hidden: /);
    expect(hidden).toMatch(/>=\s*1/);
    expect(paramErrors(rbmLayerNode, { hidden: 2.5 })[0]).toMatch(/^hidden: /);
    expect(paramErrors(rbmLayerNode, { learningRate: 0 })[0]).toMatch(/^learningRate: /);
    expect(paramErrors(rbmLayerNode, { momentum: 1 })[0]).toMatch(/^momentum: /);
    expect(paramErrors(rbmLayerNode, { k: 0 })[0]).toMatch(/^k: /);
    expect(paramErrors(rbmLayerNode, { l1: -1 })[0]).toMatch(/^l1: /);
    expect(paramErrors(rbmLayerNode, { backend: 'gpu' })[0]).toMatch(/^backend: /);
    expect(paramErrors(rbmLayerNode, { hiddden: 3 })[0]).toMatch(/hiddden/);
    expect(paramErrors(rbmLayerNode, small)).toEqual([]);
  });
});
