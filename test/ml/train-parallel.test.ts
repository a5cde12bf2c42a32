import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/ml/backend';
import { exactLogLikelihood } from '../../src/ml/exact';
import { trainRbm, type TrainOptions } from '../../src/ml/train';
import { trainRbmInParallel } from '../../src/ml/train-parallel';
import { Rng } from '../../src/physics/rng';
import { appRegistry } from '../../nodes/index';
import { runGraph } from '../../src/cli/run-graph';
import { createAppPool } from '../../src/workers/app-pool';
import { edge, graph, node } from '../helpers/graphs';

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

function correlation(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  a.forEach((x, i) => {
    ab += (x - ma) * (b[i] - mb);
    aa += (x - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}

describe('training on two threads, the hidden units split between them', () => {
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

  it('assembles the whole model and the hidden output from both halves (odd nh, CD-2 and PCD)', async () => {
    const input = chains(400, 3);
    for (const variant of [
      { hidden: 7, k: 2 },
      { hidden: 5, persistent: true },
    ]) {
      const trained = await trainRbmInParallel(input, { ...options, epochs: 10, ...variant }, noHooks, 'auto');
      const { model, hidden } = trained;
      expect([model.nv, model.nh, model.W.length, model.hbias.length]).toEqual([
        10,
        variant.hidden,
        10 * variant.hidden,
        variant.hidden,
      ]);
      expect(model.training).toMatchObject({ threads: 2, epochsDone: 10 });
      // hidden = p(h | v) of the data under the assembled model: a column placed wrongly would show here
      for (const row of [0, 17, 399]) {
        for (let j = 0; j < model.nh; j++) {
          let x = model.hbias[j];
          for (let i = 0; i < 10; i++) x += input.data[row * 10 + i] * model.W[i * model.nh + j];
          expect(hidden[row * model.nh + j]).toBeCloseTo(1 / (1 + Math.exp(-x)), 5);
        }
      }
      // each unit learned what it learns on one thread (same start, same batches): its mean |W| follows
      const single = (await trainRbm(input, { ...options, epochs: 10, ...variant }, noHooks)).model;
      const columns = (W: Float32Array) =>
        Array.from({ length: model.nh }, (_, j) =>
          W.filter((_, k) => k % model.nh === j).reduce((a, w) => a + Math.abs(w), 0),
        );
      expect(correlation(columns(model.W), columns(single.W))).toBeGreaterThan(0.8);
      expect(trained.history.every((h) => Number.isFinite(h.pseudoLogLikelihood) && h.pseudoLogLikelihood < 0)).toBe(
        true,
      );
    }
  }, 60_000);

  it('runs from inside a pool worker (the CLI and the app): the peer is a thread started by a thread', async () => {
    const registry = appRegistry();
    const pool = createAppPool({ size: 1 });
    try {
      const doc = graph(
        [
          node('lattice', 'ising.lattice', { L: 8, T: 3, samples: 200, burnIn: 50 }),
          node('rbm', 'rbm.layer', { hidden: 8, epochs: 2, batchSize: 20, threads: 2 }),
        ],
        [edge('lattice.spins', 'rbm.data')],
      );
      const { summary, failed } = await runGraph(doc, { registry, heavyExecutor: pool.executor });
      expect(failed).toEqual([]);
      const model = summary.nodes.rbm.outputs.model as { training?: Record<string, unknown> };
      expect(model).toMatchObject({ nh: 8, training: { threads: 2, epochsDone: 2 } });
    } finally {
      pool.dispose();
    }
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
