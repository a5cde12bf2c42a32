/** How many threads an RBM trains on: 'auto' splits a large model on a machine with a second core. */
import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RbmValue, TensorValue } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import { machineCores, SPLIT_MIN_WEIGHTS, trainingThreads } from '../../src/ml/threads';
import { rbmLayerNode } from '../../nodes/rbm-layer/index';
import { runNode } from '../helpers/run-node';

beforeAll(async () => {
  await initBackend();
});

describe('training threads', () => {
  it("'auto' takes the second core for models from 256 x 256 weights up", () => {
    expect(trainingThreads('auto', 256, 256, 2)).toBe(2);
    expect(trainingThreads('auto', 1600, 400, 8)).toBe(2);
    expect(trainingThreads('auto', 256, 255, 2)).toBe(1);
    expect(trainingThreads('auto', 64, 64, 16)).toBe(1);
    expect(trainingThreads('auto', 1600, 400, 1)).toBe(1);
    expect(SPLIT_MIN_WEIGHTS).toBe(65536);
  });

  it('keeps an explicit choice, except that one hidden unit cannot be split', () => {
    expect(trainingThreads(1, 1600, 400, 2)).toBe(1);
    expect(trainingThreads(2, 4, 4, 1)).toBe(2);
    expect(trainingThreads(2, 4, 1, 2)).toBe(1);
  });

  it('counts the cores of the machine', async () => {
    expect(await machineCores()).toBe(availableParallelism());
  });

  it("is the layer's default, and the model's training record names the count used", async () => {
    expect(rbmLayerNode.params.parse({}).threads).toBe('auto');
    const rows = 100;
    const values = Float32Array.from({ length: rows * 256 }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : 0));
    const data: TensorValue = { type: 'tensor', shape: [rows, 256], data: values, meta: {} };
    const { outputs } = await runNode(rbmLayerNode, { data }, { hidden: 256, epochs: 1, batchSize: 50 });
    const model = outputs.model as RbmValue;
    expect(model.training).toMatchObject({ threads: availableParallelism() >= 2 ? 2 : 1 });
    const small = await runNode(rbmLayerNode, { data }, { hidden: 8, epochs: 1, batchSize: 50 });
    expect((small.outputs.model as RbmValue).training).toMatchObject({ threads: 1 });
  });
});
