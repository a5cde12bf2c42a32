/**
 * rbm.flow: the v -> h -> v' map iterated, with the effective temperature of every step. The physics
 * (flow toward Tc from both sides) is checked on a trained model in test/graphs/rbm-flow.test.ts; here,
 * models whose flow is known in advance, modes, seeds, cancellation, tensors and refusals.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RbmValue, SeriesValue, SpinsValue, TableValue } from '../../src/graph/values';
import { initBackend } from '../../src/ml/backend';
import type { FlowPoint } from '../../src/physics/flow';
import { rbmFlowNode } from '../../nodes/rbm-flow/index';
import { paramErrors, runNode } from '../helpers/run-node';
import { sample } from '../helpers/sample';

let data: SpinsValue;

function model(nv: number, nh: number, weight: number, visibleShape = [8, 8]): RbmValue {
  return {
    type: 'rbm',
    nv,
    nh,
    W: new Float32Array(nv * nh).fill(weight),
    vbias: new Float32Array(nv),
    hbias: new Float32Array(nh),
    visibleShape,
    training: {},
  };
}

const pointsOf = (flow: SeriesValue) => flow.meta!.points as FlowPoint[][];

beforeAll(async () => {
  await initBackend();
  data = await sample({ L: 8, T: 2.0, algorithm: 'wolff', samples: 400, thin: 2, seed: 5 });
  data.T.fill(2.0, 0, 200).fill(3.5, 200);
});

describe('rbm.flow', () => {
  it('a blank model (fair coins everywhere) flows at once to infinite temperature: e = 0 within errors', async () => {
    const steps = 3;
    const { outputs, progress } = await runNode(rbmFlowNode, { model: model(64, 16, 0), init: data }, { steps });
    const flow = outputs.flow as SeriesValue;
    expect(flow.x).toEqual([0, 1, 2, 3]);
    expect(flow.xLabel).toBe('RBM flow step');
    expect(flow.curves.map((c) => c.name)).toEqual(['T₀ = 2', 'T₀ = 3.5', 'T_c (exact)']);
    const points = pointsOf(flow);
    expect(points[0].map((p) => [p.T0, p.L])).toEqual([
      [2, 8],
      [3.5, 8],
    ]);
    expect(points[0][0].e).toBeLessThan(-1); // the input, ordered-ish at T = 2
    for (const step of points.slice(1)) {
      for (const p of step) expect(Math.abs(p.e) / p.eErr).toBeLessThan(4);
    }
    expect(progress.at(-1)).toBe(1);
    const spins = outputs.spins as SpinsValue;
    expect(spins.shape).toEqual([400, 8, 8]);
    expect(Array.from(spins.T)).toEqual(Array.from(data.T));
    expect(spins.meta).toMatchObject({ model: 'rbm-flow', flowSteps: 3 });
  });

  it('a strongly ferromagnetic model holds an ordered configuration in place (mean mode)', async () => {
    const ordered: SpinsValue = {
      ...data,
      data: new Int8Array(data.data.length).fill(1),
      T: new Float64Array(400).fill(0.5),
    };
    const { outputs } = await runNode(
      rbmFlowNode,
      { model: model(64, 4, 5), init: ordered },
      { steps: 5, mode: 'mean' },
    );
    expect((outputs.spins as SpinsValue).data.every((s) => s === 1)).toBe(true);
    for (const step of pointsOf(outputs.flow as SeriesValue)) expect(step[0].e).toBe(-2);
  });

  it('is reproducible for a seed; the modes differ', async () => {
    const ferro = model(64, 8, 0.05);
    const run = (params: Record<string, unknown>) =>
      runNode(rbmFlowNode, { model: ferro, init: data }, { steps: 4, ...params }).then((r) =>
        Array.from((r.outputs.spins as SpinsValue).data),
      );
    const [a, b, c, d] = await Promise.all([
      run({ seed: 4 }),
      run({ seed: 4 }),
      run({ seed: 5 }),
      run({ seed: 4, mode: 'mean' }),
    ]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
  });

  it('flows through a stack, up to the top hidden units and back down', async () => {
    const top: RbmValue = { ...model(16, 4, 0), below: model(64, 16, 0) };
    const { outputs } = await runNode(rbmFlowNode, { model: top, init: data }, { steps: 2 });
    expect((outputs.spins as SpinsValue).shape).toEqual([400, 8, 8]);
  });

  it('stops on cancellation and leaks no tensors', async () => {
    await runNode(rbmFlowNode, { model: model(64, 16, 0.01), init: data }, { steps: 3 });
    const before = tf.memory().numTensors;
    await runNode(rbmFlowNode, { model: model(64, 16, 0.01), init: data }, { steps: 3 });
    expect(tf.memory().numTensors).toBe(before);
    const controller = new AbortController();
    controller.abort();
    await expect(
      runNode(rbmFlowNode, { model: model(64, 16, 0.01), init: data }, { steps: 10_000 }, controller.signal),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad input with clear messages', async () => {
    const table: TableValue = { type: 'table', columns: ['x'], rows: [[1]] };
    await expect(runNode(rbmFlowNode, { model: table, init: data })).rejects.toThrow(
      'model: expected an rbm, got table',
    );
    await expect(runNode(rbmFlowNode, { model: model(100, 4, 0, [10, 10]), init: data })).rejects.toThrow(
      "init has 64 units per sample, the model's visible layer has 100",
    );
    const broken: SpinsValue = { ...data, data: data.data.map((s, i) => (i === 70 ? 0 : s)) };
    await expect(runNode(rbmFlowNode, { model: model(64, 4, 0), init: broken })).rejects.toThrow(
      'init: sample 1, site 6 has value 0; spins must be ±1',
    );
    expect(paramErrors(rbmFlowNode, { steps: 0 })).toEqual([expect.stringMatching(/^steps: /)]);
    expect(paramErrors(rbmFlowNode, { mode: 'greedy' })).toEqual([expect.stringMatching(/^mode: /)]);
  });
});
