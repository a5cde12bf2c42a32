/**
 * rbm.per-temperature: one RBM per temperature group of the data, each sampled by free Gibbs chains; the
 * samples come out in the data's group order, labelled with their temperature, with the lattice meta that
 * Observables reads. Seeds follow the temperature, not its place in the list; no tensor outlives a run
 * (finished or cancelled); bad input is refused naming what is wrong.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rbmPerTemperatureNode, temperatureSeeds } from '../../nodes/rbm-per-temperature/index';
import type { RunContext } from '../../src/graph/node-definition';
import { concatSpins, type SeriesValue, type SpinsValue, type TensorValue, type Value } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import { measureObservables } from '../../src/physics/observables';
import { noFiles, paramErrors, runNode } from '../helpers/run-node';
import { sample } from '../helpers/sample';

/** Samples of several temperatures, one group after another, as a Lattice Generator gives them. */
const concat = (parts: SpinsValue[]): SpinsValue => concatSpins(parts);

let hot: SpinsValue;
let cold: SpinsValue;
/** 200 samples of 4 x 4 at T = 3.5, then 200 at T = 1.5: groups in that order. */
let data: SpinsValue;

const small = { hidden: 8, epochs: 4, batchSize: 50, learningRate: 0.1, samples: 40, steps: 20, seed: 3 };

beforeAll(async () => {
  await initBackend();
  hot = await sample({ L: 4, T: 3.5, algorithm: 'wolff', samples: 200, thin: 2, seed: 1 });
  cold = await sample({ L: 4, T: 1.5, algorithm: 'wolff', samples: 200, thin: 2, seed: 2 });
  data = concat([hot, cold]);
  data.meta = { ...data.meta, J: 1, h: 0, provenance: [{ node: 'ising.lattice', seed: 1 }] };
});

describe('rbm.per-temperature node', () => {
  it('declares its contract', () => {
    expect(rbmPerTemperatureNode.type).toBe('rbm.per-temperature');
    expect(rbmPerTemperatureNode.title).toBe('RBM per Temperature');
    expect(rbmPerTemperatureNode.category).toBe('Machine learning');
    expect(rbmPerTemperatureNode.heavy).toBe(true);
    expect(rbmPerTemperatureNode.inputs.data.type).toBe('spins');
    expect(Object.keys(rbmPerTemperatureNode.outputs)).toEqual(['spins', 'history']);
    expect(rbmPerTemperatureNode.outputs.spins.grows).toBe(true);
    expect(rbmPerTemperatureNode.params.parse({})).toEqual({
      hidden: 64,
      epochs: 200,
      batchSize: 500,
      learningRate: 0.3,
      learningRateEnd: 0.005,
      k: 1,
      persistent: false,
      l1: 0,
      l2: 0,
      momentum: 0.9,
      seed: 1,
      samples: 1000,
      steps: 500,
      backend: 'auto',
    });
  });

  it('refuses bad params, naming them', () => {
    expect(paramErrors(rbmPerTemperatureNode, { hidden: 0 })[0]).toMatch(/^hidden: /);
    expect(paramErrors(rbmPerTemperatureNode, { samples: 0 })[0]).toMatch(/^samples: /);
    expect(paramErrors(rbmPerTemperatureNode, { steps: 0 })[0]).toMatch(/^steps: /);
    expect(paramErrors(rbmPerTemperatureNode, { momentum: 1 })[0]).toMatch(/^momentum: /);
    expect(paramErrors(rbmPerTemperatureNode, { learningRate: 0.001 })).toEqual([
      'learningRateEnd: learningRateEnd (0.005) must not exceed learningRate (0.001); set them equal for a constant rate',
    ]);
    expect(paramErrors(rbmPerTemperatureNode, { learningRate: 0.01, learningRateEnd: 0.01 })).toEqual([]);
    expect(paramErrors(rbmPerTemperatureNode, { threads: 2 })[0]).toMatch(/threads/);
  });

  it('trains one RBM per temperature and returns their samples in the data’s order, labelled, in its lattice', async () => {
    const { outputs, emitted, progress } = await runNode(
      rbmPerTemperatureNode,
      { data },
      { ...small, epochs: 40, learningRate: 0.3 },
    );
    const spins = outputs.spins as SpinsValue;
    expect(spins.shape).toEqual([80, 4, 4]);
    expect(Array.from(spins.T.subarray(0, 40))).toEqual(new Array(40).fill(3.5));
    expect(Array.from(spins.T.subarray(40))).toEqual(new Array(40).fill(1.5));
    expect(spins.data.every((s) => s === 1 || s === -1)).toBe(true);
    expect(spins.meta).toMatchObject({
      model: 'rbm-sample',
      dim: 2,
      L: 4,
      J: 1,
      h: 0,
      boundary: 'periodic',
      steps: 20,
    });
    expect(spins.meta.provenance).toEqual([
      { node: 'ising.lattice', seed: 1 },
      { node: 'rbm.per-temperature', seed: 3, hidden: 8, epochs: 40, steps: 20 },
    ]);
    const rbms = spins.meta.rbms as { T: number; trainingSamples: number; seed: number; sampleSeed: number }[];
    expect(rbms.map((r) => [r.T, r.trainingSamples])).toEqual([
      [3.5, 200],
      [1.5, 200],
    ]);
    expect(rbms.map((r) => r.seed)).toEqual([temperatureSeeds(3, 3.5).train, temperatureSeeds(3, 1.5).train]);
    const history = outputs.history as SeriesValue;
    expect(history).toMatchObject({
      x: Array.from({ length: 40 }, (_, i) => i + 1),
      xLabel: 'epoch',
      yLabel: 'pseudo-log-likelihood',
    });
    expect(history.curves.map((c) => c.name)).toEqual(['T = 3.5', 'T = 1.5']);
    for (const c of history.curves) expect(c.y.every((y) => Number.isFinite(y) && y < 0)).toBe(true);
    // Observables measures them as it measures the data: one row per temperature, in the same order.
    const table = measureObservables(spins);
    const col = (name: string) => table.rows.map((r) => r[table.columns.indexOf(name)]);
    expect(col('T')).toEqual([3.5, 1.5]);
    expect(col('L')).toEqual([4, 4]);
    expect(col('n')).toEqual([40, 40]);
    // 40 epochs of 4 batches tell the temperatures apart: the cold RBM's samples are far more ordered.
    // Observed e = -0.34 at T = 3.5 and -1.85 at T = 1.5 (exact: -0.78 and -1.95; far from converged, the
    // torlai-melko-2016 graph test checks trained ones against the exact values).
    const [eHot, eCold] = col('e') as number[];
    expect(eCold).toBeLessThan(eHot - 1);
    // The finished temperature is streamed before the last one is done, as a prefix of the final samples.
    expect(emitted).toHaveLength(1);
    const first = emitted[0].spins as SpinsValue;
    expect(first.shape).toEqual([40, 4, 4]);
    expect(Array.from(first.data)).toEqual(Array.from(spins.data.subarray(0, 40 * 16)));
    expect((emitted[0].history as SeriesValue).curves.map((c) => c.name)).toEqual(['T = 3.5']);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(progress.at(-1)).toBe(1);
  });

  it('is reproducible per seed, and a temperature’s samples do not depend on the others in the data', async () => {
    const run = async (input: SpinsValue, seed: number) =>
      (await runNode(rbmPerTemperatureNode, { data: input }, { ...small, seed })).outputs.spins as SpinsValue;
    const a = await run(data, 3);
    const b = await run(data, 3);
    const c = await run(data, 4);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    expect(Buffer.from(a.data).equals(Buffer.from(c.data))).toBe(false);
    // The cold group alone gives the same samples as the cold half of the two-temperature run.
    const alone = await run(cold, 3);
    expect(Buffer.from(alone.data).equals(Buffer.from(a.data.subarray(40 * 16)))).toBe(true);
    // Temperatures in the other order: the same samples per temperature, in the new order.
    const swapped = await run(concat([cold, hot]), 3);
    expect(Array.from(swapped.T.subarray(0, 1))).toEqual([1.5]);
    expect(Buffer.from(swapped.data.subarray(0, 40 * 16)).equals(Buffer.from(alone.data))).toBe(true);
  });

  it('groups samples by temperature when the labels are interleaved (in order of first appearance)', async () => {
    const mixed = concat([hot, cold]);
    // Swap every other sample between the groups: rows alternate 3.5, 1.5, 3.5, ...
    const order = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? i / 2 : 200 + (i - 1) / 2));
    const interleaved: SpinsValue = {
      ...mixed,
      data: new Int8Array(400 * 16),
      T: Float64Array.from(order, (r) => mixed.T[r]),
    };
    order.forEach((r, i) => interleaved.data.set(mixed.data.subarray(r * 16, (r + 1) * 16), i * 16));
    const { outputs } = await runNode(rbmPerTemperatureNode, { data: interleaved }, small);
    const spins = outputs.spins as SpinsValue;
    expect(Array.from(spins.T.subarray(0, 40))).toEqual(new Array(40).fill(3.5));
    expect(Array.from(spins.T.subarray(40))).toEqual(new Array(40).fill(1.5));
  });

  it('leaves no tensor behind after a run, nor after a run cancelled in training or in sampling', async () => {
    const before = tf.memory().numTensors;
    await runNode(rbmPerTemperatureNode, { data }, { ...small, persistent: true, k: 2, l1: 1e-3, l2: 1e-4 });
    expect(tf.memory().numTensors).toBe(before);
    // Cancelled at the first report of each phase: a training epoch of the first temperature, then its chains.
    for (const phase of [/epoch 1\//, /Gibbs step/]) {
      const controller = new AbortController();
      let seen = '';
      const ctx: RunContext = {
        signal: controller.signal,
        progress: (_f, message) => {
          if (!controller.signal.aborted && message && phase.test(message)) {
            seen = message;
            controller.abort();
          }
        },
        emit: () => {},
        checkpoint: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          controller.signal.throwIfAborted();
        },
        sources: {},
        readFile: noFiles,
      };
      // Enough steps that sampling reports (every 40 ms) before it ends.
      const params = rbmPerTemperatureNode.params.parse({ ...small, steps: 5000 });
      await expect(rbmPerTemperatureNode.run({ data }, params, ctx)).rejects.toMatchObject({ name: 'AbortError' });
      expect(seen).toMatch(/^T = 3\.5 \(1\/2\): /);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('refuses bad input, saying what is wrong', async () => {
    const run = (input: Value | undefined, params: Record<string, unknown> = small) =>
      runNode(rbmPerTemperatureNode, { data: input }, params);
    await expect(run(undefined)).rejects.toThrow('data: nothing is connected');
    const tensor: TensorValue = { type: 'tensor', shape: [2, 3], data: new Float32Array(6), meta: {} };
    await expect(run(tensor)).rejects.toThrow(
      'data: expected spins labelled with their temperatures, got a tensor (a tensor has no temperatures',
    );
    const unlabelled: SpinsValue = { ...hot, T: new Float64Array(200).fill(NaN) };
    await expect(run(unlabelled)).rejects.toThrow('data: 200 of 200 samples have no temperature (T = NaN)');
    await expect(run({ ...hot, T: new Float64Array(3) })).rejects.toThrow(
      'data: expected one temperature per sample (200), got 3',
    );
    await expect(run({ ...hot, shape: [200, 4, 5] })).rejects.toThrow(
      'data: shape [200, 4, 5] holds 4000 spins but the data has 3200',
    );
    const zero = { ...hot, data: hot.data.slice() };
    zero.data[17] = 0;
    await expect(run(zero)).rejects.toThrow('data: spin 0 at sample 1 (T = 3.5), site 1 is not ±1');
    // One group of 200 samples and one of 30: the small one cannot fill a batch of 50.
    const few: SpinsValue = {
      ...cold,
      shape: [30, 4, 4],
      data: cold.data.slice(0, 30 * 16),
      T: new Float64Array(30).fill(2.0),
    };
    await expect(run(concat([hot, few]))).rejects.toThrow(
      'data: T = 2 has 30 samples, fewer than one batch (batchSize = 50): lower batchSize or draw more samples',
    );
    await expect(
      run({ ...hot, shape: [1, 3200], T: new Float64Array(1).fill(2) }, { hidden: 100_000 }),
    ).rejects.toThrow(/3200 x 100000 weights need 1221 MB; the limit is 512 MB/);
  });

  it('estimates no less than its outputs hold', async () => {
    const { outputs } = await runNode(rbmPerTemperatureNode, { data }, small);
    const params = rbmPerTemperatureNode.params.parse(small);
    const estimate = rbmPerTemperatureNode.resources!(params, {
      data: { bytes: 400 * 16 + 8 * 400, shape: [400, 4, 4] },
    });
    const spins = outputs.spins as SpinsValue;
    expect(estimate.trains).toBe(true);
    expect(estimate.outputs!.spins.shape).toEqual([8 * 40, 4, 4]); // at most 400 / 50 groups
    expect(estimate.outputs!.spins.bytes).toBeGreaterThanOrEqual(spins.data.byteLength + spins.T.byteLength);
    expect(rbmPerTemperatureNode.resources!(params, {})).toEqual({ trains: true });
  });
});
