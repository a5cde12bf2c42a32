/**
 * Sampling RBM stacks (src/ml/sample.ts): the stack is checked to chain, Gibbs sampling reproduces the
 * model's exact distribution, `init` is carried up and down the stack, and no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RbmValue } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import { visibleDistribution } from '../../src/ml/exact';
import { sampleStack, stackOf } from '../../src/ml/sample';
import { Rng } from '../../src/physics/rng';

function gaussian(rng: Rng): () => number {
  return () => {
    const u = 1 - rng.next();
    const v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

function randomModel(nv: number, nh: number, seed: number, sigma = 1, below?: RbmValue): RbmValue {
  const g = gaussian(new Rng(seed));
  return {
    type: 'rbm',
    nv,
    nh,
    W: Float32Array.from({ length: nv * nh }, () => sigma * g()),
    vbias: Float32Array.from({ length: nv }, () => sigma * g()),
    hbias: Float32Array.from({ length: nh }, () => sigma * g()),
    visibleShape: below ? [nv] : [2, nv / 2],
    training: {},
    ...(below ? { below } : {}),
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Mean-field p(h | v) of one row, in float64. */
function up(model: RbmValue, v: ArrayLike<number>): number[] {
  return Array.from({ length: model.nh }, (_, j) => {
    let x = model.hbias[j];
    for (let i = 0; i < model.nv; i++) x += v[i] * model.W[i * model.nh + j];
    return sigmoid(x);
  });
}

/** Mean-field p(v | h) of one row, in float64. */
function down(model: RbmValue, h: ArrayLike<number>): number[] {
  return Array.from({ length: model.nv }, (_, i) => {
    let x = model.vbias[i];
    for (let j = 0; j < model.nh; j++) x += model.W[i * model.nh + j] * h[j];
    return sigmoid(x);
  });
}

beforeAll(async () => {
  await initBackend();
});

describe('stackOf', () => {
  it('lists the layers from the top down', () => {
    const bottom = randomModel(6, 4, 1);
    const middle = randomModel(4, 3, 2, 1, bottom);
    const top = randomModel(3, 2, 3, 1, middle);
    expect(stackOf(top)).toEqual([top, middle, bottom]);
    expect(stackOf(bottom)).toEqual([bottom]);
  });

  it('refuses a stack whose shapes do not chain, and a layer whose weights do not match its size', () => {
    const bottom = randomModel(6, 4, 1);
    const misfit = randomModel(5, 2, 2, 1, bottom);
    expect(() => stackOf(misfit)).toThrow(
      'the model stack does not chain: a layer with 5 visible units sits on one with 4 hidden units',
    );
    const deep = randomModel(2, 2, 3, 1, misfit);
    expect(() => stackOf(deep)).toThrow(/does not chain/);
    const broken = { ...randomModel(6, 4, 4), W: new Float32Array(23) };
    expect(() => stackOf(broken)).toThrow('model layer 0: W holds 23 values, expected 6 x 4');
  });
});

describe('sampleStack', () => {
  it('draws from the model distribution of a single RBM (chi-square against enumeration)', async () => {
    // 4 visible, 3 hidden, weights ~ N(0, 1): 16 visible states, each chain run 30 Gibbs steps.
    const model = randomModel(4, 3, 7);
    const p = visibleDistribution(model);
    const n = 4000;
    const result = await sampleStack(model, { samples: n, steps: 30, seed: 8 });
    expect(result.n).toBe(n);
    expect(result.states).toHaveLength(n * 4);
    expect(result.probabilities).toHaveLength(n * 4);
    const counts = new Float64Array(16);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let i = 0; i < 4; i++) {
        const x = result.states[r * 4 + i];
        expect(x === 0 || x === 1).toBe(true);
        s |= x << i;
      }
      counts[s]++;
    }
    let chi2 = 0;
    for (let s = 0; s < 16; s++) {
      const expected = n * p[s];
      chi2 += (counts[s] - expected) ** 2 / expected;
      expect(Math.abs(counts[s] - expected)).toBeLessThan(4.5 * Math.sqrt(expected * (1 - p[s])) + 1);
    }
    // 15 degrees of freedom: P(chi2 > 40) is about 5e-4.
    expect(chi2).toBeLessThan(40);
  });

  it('is reproducible for a seed and differs between seeds', async () => {
    const model = randomModel(6, 4, 9);
    const a = await sampleStack(model, { samples: 50, steps: 5, seed: 1 });
    const b = await sampleStack(model, { samples: 50, steps: 5, seed: 1 });
    const c = await sampleStack(model, { samples: 50, steps: 5, seed: 2 });
    expect(Array.from(a.states)).toEqual(Array.from(b.states));
    expect(Array.from(a.probabilities)).toEqual(Array.from(b.probabilities));
    expect(Array.from(a.states)).not.toEqual(Array.from(c.states));
  });

  it('with init and no steps returns init itself for one layer, and the mean-field round trip for a stack', async () => {
    const bottom = randomModel(6, 4, 10);
    const top = randomModel(4, 3, 11, 1, bottom);
    const data = Float32Array.from([1, 0, 1, 1, 0, 0, 0, 1, 0.5, 1, 1, 0]);
    const init = { data, n: 2, nv: 6 };
    const single = await sampleStack(bottom, { samples: 10, steps: 0, seed: 1, init });
    expect(single.n).toBe(2);
    expect(Array.from(single.probabilities)).toEqual(Array.from(data));
    const stacked = await sampleStack(top, { samples: 10, steps: 0, seed: 1, init });
    for (let r = 0; r < 2; r++) {
      const expected = down(bottom, up(bottom, data.subarray(r * 6, r * 6 + 6)));
      for (let i = 0; i < 6; i++) expect(stacked.probabilities[r * 6 + i]).toBeCloseTo(expected[i], 5);
    }
  });

  it('samples a stack down to the bottom visible layer, and uses no more rows than init has', async () => {
    const bottom = randomModel(6, 4, 12);
    const top = randomModel(4, 3, 13, 1, bottom);
    const free = await sampleStack(top, { samples: 7, steps: 3, seed: 1 });
    expect(free.n).toBe(7);
    expect(free.states).toHaveLength(7 * 6);
    const init = { data: new Float32Array(3 * 6).fill(1), n: 3, nv: 6 };
    const fromInit = await sampleStack(top, { samples: 10, steps: 2, seed: 1, init });
    expect(fromInit.n).toBe(3);
    expect(fromInit.probabilities).toHaveLength(3 * 6);
    for (const x of fromInit.probabilities) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('calls afterStep once per step', async () => {
    const steps: number[] = [];
    await sampleStack(randomModel(6, 4, 14), { samples: 5, steps: 4, seed: 1 }, async (step) => {
      steps.push(step);
    });
    expect(steps).toEqual([0, 1, 2, 3]);
  });

  it('refuses an init with the wrong number of units, and a stack that does not chain', async () => {
    const bottom = randomModel(6, 4, 15);
    const init = { data: new Float32Array(2 * 5), n: 2, nv: 5 };
    await expect(sampleStack(bottom, { samples: 2, steps: 1, seed: 1, init })).rejects.toThrow(
      "init has 5 units per sample, the model's visible layer has 6",
    );
    await expect(sampleStack(randomModel(5, 2, 16, 1, bottom), { samples: 2, steps: 1, seed: 1 })).rejects.toThrow(
      /does not chain/,
    );
  });

  it('leaves no tensors behind, with or without init, one layer or a stack, and after an error', async () => {
    const bottom = randomModel(6, 4, 17);
    const top = randomModel(4, 3, 18, 1, bottom);
    const init = { data: new Float32Array(4 * 6).fill(1), n: 4, nv: 6 };
    const before = tf.memory().numTensors;
    for (const model of [bottom, top]) {
      await sampleStack(model, { samples: 4, steps: 3, seed: 1 });
      await sampleStack(model, { samples: 4, steps: 3, seed: 1, init });
      await sampleStack(model, { samples: 4, steps: 0, seed: 1, init });
      await sampleStack(model, { samples: 4, steps: 0, seed: 1 });
    }
    await expect(
      sampleStack(top, { samples: 4, steps: 3, seed: 1 }, async () => {
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(tf.memory().numTensors).toBe(before);
  });
});
