/**
 * rbm.sampler: samples from an RBM trained on 2D Ising spins at T = 3.0, L = 8 reproduce the data's
 * energy per spin, specific heat and susceptibility (Torlai & Melko 2016; c and chi with the scatter
 * between training seeds as their tolerance); reconstructions from data; the `down` param for stacks;
 * shapes, seeds, cancellation and refusals.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RbmValue, SpinsValue, TableValue, TensorValue } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import { exactEnergy2D, kaufmanSpecificHeat } from '../../src/physics/exact';
import { analyseGroup, energyMagnetisation } from '../../src/physics/observables';
import { rbmLayerNode } from '../../nodes/rbm-layer/index';
import { samplerNode } from '../../nodes/rbm-sampler/index';
import { noFiles, paramErrors, runNode } from '../helpers/run-node';
import { sample } from '../helpers/sample';

let data: SpinsValue;
/** RBMs trained on `data` with different seeds; the first one serves the other tests. */
let models: RbmValue[];
let model: RbmValue;

/** An RBM with all weights and biases zero: every unit is a fair coin. */
function blankModel(nv: number, nh: number, visibleShape: number[]): RbmValue {
  return {
    type: 'rbm',
    nv,
    nh,
    W: new Float32Array(nv * nh),
    vbias: new Float32Array(nv),
    hbias: new Float32Array(nh),
    visibleShape,
    training: {},
  };
}

beforeAll(async () => {
  await initBackend();
  // 5000 Wolff samples of the 8 x 8 periodic Ising model at T = 3.0, two sweeps apart.
  data = await sample({ L: 8, T: 3.0, algorithm: 'wolff', samples: 5000, thin: 2, seed: 5 });
  // 64 hidden units, CD-1, 300 epochs of 100 batches (about 15 s here), four seeds.
  models = [];
  for (const seed of [2, 3, 4, 5]) {
    const trained = await runNode(
      rbmLayerNode,
      { data },
      { hidden: 64, epochs: 300, batchSize: 50, learningRate: 0.1, k: 1, momentum: 0.5, seed },
    );
    models.push(trained.outputs.model as RbmValue);
  }
  model = models[0];
}, 180_000);

describe('rbm.sampler node', () => {
  it('declares its contract', () => {
    expect(samplerNode.type).toBe('rbm.sampler');
    expect(samplerNode.heavy).toBe(true);
    expect(samplerNode.inputs.model.type).toBe('rbm');
    expect(samplerNode.inputs.init.optional).toBe(true);
    expect(Object.keys(samplerNode.outputs)).toEqual(['spins', 'tensor']);
    expect(samplerNode.params.parse({})).toMatchObject({ samples: 100, steps: 1000, seed: 1, backend: 'auto' });
    expect(paramErrors(samplerNode, { samples: 0 })[0]).toMatch(/^samples: /);
    expect(paramErrors(samplerNode, { steps: -1 })[0]).toMatch(/^steps: /);
    expect(paramErrors(samplerNode, { down: 'median' })[0]).toMatch(/^down: /);
    expect(paramErrors(samplerNode, { down: 'sample' })).toEqual([]);
  });

  it("passes `down` to the pass down a stack ('mean' when absent) and records it", async () => {
    const bottom: RbmValue = { ...blankModel(6, 4, [6]), W: Float32Array.from({ length: 24 }, (_, k) => (k % 5) - 2) };
    const top: RbmValue = {
      ...blankModel(4, 3, [4]),
      W: Float32Array.from({ length: 12 }, (_, k) => (k % 3) - 1),
      below: bottom,
    };
    const run = (params: Record<string, unknown>) =>
      runNode(samplerNode, { model: top }, { samples: 200, steps: 5, seed: 2, ...params });
    const [absent, mean, sampled] = await Promise.all([run({}), run({ down: 'mean' }), run({ down: 'sample' })]);
    const spins = (r: typeof absent) => r.outputs.spins as SpinsValue;
    expect(spins(absent).meta.provenance).toEqual([{ node: 'rbm.sampler', seed: 2, steps: 5, down: 'mean' }]);
    expect(spins(sampled).meta.provenance).toEqual([{ node: 'rbm.sampler', seed: 2, steps: 5, down: 'sample' }]);
    expect(Array.from(spins(absent).data)).toEqual(Array.from(spins(mean).data));
    expect(Array.from(spins(sampled).data)).not.toEqual(Array.from(spins(mean).data));
  });

  it('reproduces the energy, specific heat and susceptibility of the 2D Ising data it was trained on (T = 3.0, L = 8)', async () => {
    const measure = (spins: SpinsValue) => {
      const { e, m } = energyMagnetisation(spins);
      return analyseGroup(3.0, 64, e, m);
    };
    const target = measure(data);
    // The data agree with the exact finite-lattice values (Kaufman: e = -0.8413, c = 0.4840), so they
    // are a fair target.
    expect(Math.abs(target.e.mean - exactEnergy2D(8, 3.0))).toBeLessThan(4 * target.e.error);
    expect(Math.abs(target.c.mean - kaufmanSpecificHeat(8, 3.0))).toBeLessThan(4 * target.c.error);
    const measured: { e: number; c: number; chi: number }[] = [];
    for (const trained of models) {
      const { outputs } = await runNode(samplerNode, { model: trained }, { samples: 1000, steps: 300, seed: 9 });
      const spins = outputs.spins as SpinsValue;
      expect(spins.shape).toEqual([1000, 8, 8]);
      expect(spins.meta).toMatchObject({ dim: 2, L: 8, J: 1, h: 0, boundary: 'periodic', layers: 1, fromInit: false });
      expect(Number.isNaN(spins.T[0])).toBe(true);
      const r = measure(spins);
      measured.push({ e: r.e.mean, c: r.c.mean, chi: r.chi.mean });
    }
    // One trained model's energy scatters by more than its sampling error (±0.009 from 1000 independent
    // chains): the last SGD steps leave the weights noisy, and seeds 2–8 gave -0.78 to -0.88. So the
    // error of the mean over four seeds comes from their spread, which holds both kinds of noise.
    // Observed: -0.8426 ± 0.022 against the data's -0.8420 ± 0.0037. 100 epochs instead of 300 gave
    // -0.777 ± 0.006 (9 standard errors off: too few updates leave the model too disordered), 20 epochs
    // -0.61, so the comparison has teeth.
    const compare = (key: 'e' | 'c' | 'chi', dataError: number) => {
      const values = measured.map((x) => x[key]);
      const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
      const spread = Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1));
      return { mean, combined: Math.hypot(spread / Math.sqrt(values.length), dataError), values };
    };
    const e = compare('e', target.e.error);
    const c = compare('c', target.c.error);
    const chi = compare('chi', target.chi.error);
    expect(e.combined).toBeLessThan(0.03);
    expect(Math.abs(e.mean - target.e.mean)).toBeLessThan(3 * e.combined);
    // c = N var(e) / T² and chi = N (<m²> - <|m|>²) / T, with the same error model. Data: c = 0.474 ±
    // 0.010 (Kaufman: 0.4840), chi = 1.061 ± 0.015. The four models: c = 0.655, 0.376, 0.535, 0.626 ->
    // 0.548 ± 0.064; chi = 1.360, 0.852, 1.094, 1.318 -> 1.156 ± 0.118 (1.2 and 0.8 combined errors off).
    // The honest tolerance is that scatter: each model's own sampling error is about ±0.03 on c and
    // ±0.06 on chi, but the seeds spread by ±0.13 and ±0.24 (about 25% of the value), where e spreads by
    // 5%. Fluctuations are harder to learn than means: Torlai & Melko (2016) need about as many hidden
    // units as spins for c and chi near Tc, and 64 hidden units for 64 spins is just that. So the test
    // asks the four-seed mean to lie within 3 combined errors, and the combined error to stay under 0.1
    // (c) and 0.2 (chi); coin flips (a blank model) would give c = 2/9 = 0.22 and chi = (1 - 2/π)/3 =
    // 0.12, and identical chains 0 for both, all well outside.
    expect(c.combined).toBeLessThan(0.1);
    expect(Math.abs(c.mean - target.c.mean)).toBeLessThan(3 * c.combined);
    expect(Math.abs(c.mean - kaufmanSpecificHeat(8, 3.0))).toBeLessThan(3 * c.combined);
    expect(chi.combined).toBeLessThan(0.2);
    expect(Math.abs(chi.mean - target.chi.mean)).toBeLessThan(3 * chi.combined);
  }, 60_000);

  it('reconstructs its training data from one step: per-site agreement well above chance', async () => {
    const { outputs } = await runNode(samplerNode, { model, init: data }, { samples: 1000, steps: 1, seed: 3 });
    const spins = outputs.spins as SpinsValue;
    expect(spins.shape).toEqual([1000, 8, 8]);
    expect(spins.meta).toMatchObject({ fromInit: true, steps: 1 });
    const agreement = (s: SpinsValue) => {
      let same = 0;
      for (let i = 0; i < s.data.length; i++) same += s.data[i] === data.data[i] ? 1 : 0;
      return same / s.data.length;
    };
    const blank = await runNode(
      samplerNode,
      { model: blankModel(64, 64, [8, 8]), init: data },
      { samples: 1000, steps: 1, seed: 3 },
    );
    // A model that has learnt nothing agrees half the time; observed for the trained one: 0.80 (blank: 0.502).
    expect(Math.abs(agreement(blank.outputs.spins as SpinsValue) - 0.5)).toBeLessThan(0.01);
    expect(agreement(spins)).toBeGreaterThan(0.75);
  });

  it('returns init itself from zero steps, and the visible probabilities beside the spins', async () => {
    const { outputs } = await runNode(samplerNode, { model, init: data }, { samples: 20, steps: 0, seed: 1 });
    const spins = outputs.spins as SpinsValue;
    expect(Array.from(spins.data)).toEqual(Array.from(data.data.subarray(0, 20 * 64)));
    const tensor = outputs.tensor as TensorValue;
    expect(tensor.shape).toEqual([20, 8, 8]);
    expect(tensor.meta).toMatchObject({ source: 'rbm.sampler' });
    expect(Array.from(tensor.data)).toEqual(Array.from(data.data.subarray(0, 20 * 64), (s) => (s > 0 ? 1 : 0)));
  });

  it('is reproducible for a seed and differs between seeds', async () => {
    const run = (seed: number) => runNode(samplerNode, { model }, { samples: 20, steps: 10, seed });
    const [a, b, c] = await Promise.all([run(4), run(4), run(5)]);
    const spins = (r: typeof a) => Array.from((r.outputs.spins as SpinsValue).data);
    expect(spins(a)).toEqual(spins(b));
    expect(spins(a)).not.toEqual(spins(c));
  });

  it('stops on cancellation and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort();
    await expect(
      runNode(samplerNode, { model }, { samples: 10, steps: 1_000_000, seed: 1 }, controller.signal),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad input with clear messages', async () => {
    const table: TableValue = { type: 'table', columns: ['x'], rows: [[1]] };
    const params = samplerNode.params.parse({ samples: 2, steps: 1 });
    const ctx = {
      signal: new AbortController().signal,
      progress: () => {},
      emit: () => {},
      checkpoint: async () => {},
      sources: {},
      readFile: noFiles,
    };
    await expect(samplerNode.run({ model: table }, params, ctx)).rejects.toThrow('model: expected an rbm, got table');
    await expect(samplerNode.run({}, params, ctx)).rejects.toThrow('model: expected an rbm, got nothing');
    // A stack whose shapes do not chain: 5 visible units on top of 64 hidden ones.
    const misfit: RbmValue = { ...blankModel(5, 2, [5]), below: model };
    await expect(runNode(samplerNode, { model: misfit }, { samples: 2, steps: 1 })).rejects.toThrow(
      'the model stack does not chain: a layer with 5 visible units sits on one with 64 hidden units',
    );
    // init with the wrong number of units, and init that is not spins or [0, 1] values.
    const init: TensorValue = { type: 'tensor', shape: [2, 5], data: new Float32Array(10), meta: {} };
    await expect(runNode(samplerNode, { model, init }, { samples: 2, steps: 1 })).rejects.toThrow(
      "init has 5 units per sample, the model's visible layer has 64",
    );
    const badInit: TensorValue = { type: 'tensor', shape: [1, 64], data: new Float32Array(64).fill(2), meta: {} };
    await expect(runNode(samplerNode, { model, init: badInit }, { samples: 2, steps: 1 })).rejects.toThrow(
      'init: value 2 at row 0, unit 0 is outside [0, 1]',
    );
  });
});
