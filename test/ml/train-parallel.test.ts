import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/ml/backend';
import { exactLogLikelihood } from '../../src/ml/exact';
import { trainRbm, type TrainOptions } from '../../src/ml/train';
import { trainRbmInParallel } from '../../src/ml/train-parallel';
import { Rng } from '../../src/physics/rng';

beforeAll(async () => {
  await initBackend();
});

/** Rows of a ferromagnetic chain of 10 units: runs of equal bits, flipped with probability 0.1 per bond. */
function chains(n: number, seed: number) {
  const rng = new Rng(seed);
  const data = new Float32Array(n * 10);
  for (let r = 0; r < n; r++) {
    let bit = rng.next() < 0.5 ? 1 : 0;
    for (let i = 0; i < 10; i++) {
      if (i > 0 && rng.next() < 0.1) bit = 1 - bit;
      data[r * 10 + i] = bit;
    }
  }
  return { data, n, nv: 10, visibleShape: [10] };
}

const options: TrainOptions = {
  hidden: 8,
  epochs: 15,
  batchSize: 40,
  learningRate: 0.1,
  k: 1,
  persistent: false,
  l1: 0,
  l2: 0,
  momentum: 0.5,
  seed: 4,
};
const noHooks = { afterBatch() {} };

describe('data-parallel training on two threads', () => {
  it('is reproducible, learns as one thread does, and leaves no tensors', async () => {
    const input = chains(1000, 1);
    const before = tf.memory().numTensors;
    const a = await trainRbmInParallel(input, options, noHooks, 'auto');
    const b = await trainRbmInParallel(input, options, noHooks, 'auto');
    expect(tf.memory().numTensors).toBe(before);
    expect(Buffer.from(a.model.W.buffer).equals(Buffer.from(b.model.W.buffer))).toBe(true);
    const single = await trainRbm(input, options, noHooks);
    const untrained = { ...a.model, W: new Float32Array(80), hbias: new Float32Array(8), vbias: new Float32Array(10) };
    const [llParallel, llSingle, llUntrained] = [a.model, single.model, untrained].map((m) =>
      exactLogLikelihood(m, input.data, input.n),
    );
    // the same algorithm on the same batches: both far above the untrained model, within 10% of each other
    expect(llParallel).toBeGreaterThan(llUntrained + 1);
    expect(Math.abs(llParallel - llSingle)).toBeLessThan(0.1 * Math.abs(llSingle));
    expect(a.history.length).toBe(15);
  }, 60_000);

  it('stops both threads when cancelled', async () => {
    const input = chains(2000, 2);
    let batches = 0;
    const cancel = {
      afterBatch() {
        if (++batches === 5) {
          const error = new Error('cancelled');
          error.name = 'AbortError';
          throw error;
        }
      },
    };
    const before = tf.memory().numTensors;
    await expect(trainRbmInParallel(input, { ...options, epochs: 1000 }, cancel, 'auto')).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
