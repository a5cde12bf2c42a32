/** Heavy test nodes that misbehave in ways only a worker can survive. */
import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { tensor } from './test-nodes';

const crashNode = defineNode({
  type: 'test.crash',
  version: 1,
  title: 'Crash',
  category: 'Test',
  doc: 'Kills its worker mid-job.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({ how: z.enum(['throw', 'exit']).default('throw') }),
  heavy: true,
  run(_inputs, params) {
    return new Promise(() => {
      setTimeout(() => {
        if (params.how === 'exit') process.exit(3);
        throw new Error('kaboom: uncaught in the worker');
      }, 20);
    });
  },
});

const stubbornNode = defineNode({
  type: 'test.stubborn',
  version: 1,
  title: 'Stubborn',
  category: 'Test',
  doc: 'Never checks for cancellation.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({ ms: z.number().default(5000) }),
  heavy: true,
  async run(_inputs, params) {
    const until = Date.now() + params.ms;
    while (Date.now() < until) {
      // ignores ctx.signal on purpose
    }
    return { out: tensor([1]) };
  },
});

const echoNode = defineNode({
  type: 'test.echo',
  version: 1,
  title: 'Echo',
  category: 'Test',
  doc: 'Returns its input tensor, plus 1 in the first element.',
  inputs: { a: { type: 'tensor' } },
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({}),
  heavy: true,
  async run(inputs) {
    const a = inputs.a as ReturnType<typeof tensor>;
    const data = new Float32Array(a.data);
    data[0] += 1;
    return { out: { ...a, data } };
  },
});

/**
 * Works in `steps` steps of `ms` busy milliseconds each; after each step it reports progress and reaches a
 * checkpoint. Its result is the value of every step in order, so a run that skipped or repeated a step,
 * or lost its state while held, gives a different one.
 */
export const checkpointsNode = defineNode({
  type: 'test.checkpoints',
  version: 1,
  title: 'Checkpoints',
  category: 'Test',
  doc: "Busy steps with a checkpoint after each; returns each step's value.",
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({
    steps: z.number().int().min(1).default(50),
    ms: z.number().default(10),
    seed: z.number().int().default(1),
  }),
  heavy: true,
  async run(_inputs, params, ctx) {
    const values = new Float32Array(params.steps);
    let state = params.seed >>> 0;
    for (let step = 1; step <= params.steps; step++) {
      const until = Date.now() + params.ms;
      while (Date.now() < until) {
        // busy work, as a real kernel would do
      }
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      values[step - 1] = state / 2 ** 32 + step;
      ctx.progress(step / params.steps, `step ${step}`);
      await ctx.checkpoint();
    }
    return { out: tensor(values) };
  },
});

export const workerOnlyNodes = [crashNode, stubbornNode, echoNode, checkpointsNode];
