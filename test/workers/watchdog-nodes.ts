/** Worker test nodes for the heartbeat and for intermediate values: a worker that hangs, a node that floods. */
import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { tensor } from '../helpers/test-nodes';

/**
 * Never comes back: `spin` loops forever without a checkpoint; `freeze` blocks its thread for good, as a
 * worker the system has stopped or killed without a word (no error or exit event).
 */
export const hangNode = defineNode({
  type: 'test.hang',
  version: 1,
  title: 'Hang',
  category: 'Test',
  doc: 'Hangs its worker.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({ how: z.enum(['spin', 'freeze']).default('spin'), afterMs: z.number().default(100) }),
  heavy: true,
  async run(_inputs, params, ctx) {
    ctx.progress(0.5, 'about to hang');
    await new Promise((resolve) => setTimeout(resolve, params.afterMs));
    if (params.how === 'freeze') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    for (;;) {
      // no checkpoint, ever
    }
  },
});

/**
 * Emits `count` tensors of `size` floats (the i-th filled with i) as fast as it can, with a checkpoint
 * after each; its result is a tensor filled with `count`.
 */
export const floodNode = defineNode({
  type: 'test.flood',
  version: 1,
  title: 'Flood',
  category: 'Test',
  doc: 'Emits many large intermediate values quickly.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({
    count: z.number().int().default(100),
    size: z
      .number()
      .int()
      .default(1 << 20),
  }),
  heavy: true,
  async run(_inputs, params, ctx) {
    for (let i = 1; i <= params.count; i++) {
      ctx.emit({ out: tensor(new Float32Array(params.size).fill(i)) });
      await ctx.checkpoint();
    }
    return { out: tensor(new Float32Array(params.size).fill(params.count)) };
  },
});

/**
 * A growing tensor of `rows` x `width`, one row per step of `ms` milliseconds (row r filled with r), emitted
 * every `every` rows as a view of the rows so far; its result views all of them.
 */
export const growNode = defineNode({
  type: 'test.grow',
  version: 1,
  title: 'Grow',
  category: 'Test',
  doc: 'A growing tensor, emitted as it grows.',
  inputs: {},
  outputs: { out: { type: 'tensor', grows: true } },
  params: z.strictObject({
    rows: z.number().int().default(100),
    width: z.number().int().default(1000),
    every: z.number().int().default(7),
    ms: z.number().default(0),
  }),
  heavy: true,
  async run(_inputs, params, ctx) {
    const data = new Float32Array(params.rows * params.width);
    const view = (rows: number) => ({
      type: 'tensor' as const,
      shape: [rows, params.width],
      data: data.subarray(0, rows * params.width),
      meta: { rows },
    });
    for (let r = 0; r < params.rows; r++) {
      data.fill(r, r * params.width, (r + 1) * params.width);
      if ((r + 1) % params.every === 0) ctx.emit({ out: view(r + 1) });
      if (params.ms > 0) await new Promise((resolve) => setTimeout(resolve, params.ms));
      await ctx.checkpoint();
    }
    return { out: view(params.rows) };
  },
});

/** What its input looks like in the worker: [rows, bytes of its data, bytes of the buffer under them]. */
export const bufferNode = defineNode({
  type: 'test.buffer',
  version: 1,
  title: 'Buffer',
  category: 'Test',
  doc: 'Reports the size of its input and of the buffer under it.',
  inputs: { a: { type: 'tensor' } },
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({}),
  heavy: true,
  async run(inputs) {
    const a = inputs.a as ReturnType<typeof tensor>;
    return { out: tensor([a.shape[0], a.data.byteLength, a.data.buffer.byteLength]) };
  },
});

/** Emits a value that cannot be cloned (a function in its meta), then goes on to a result. */
export const unclonableNode = defineNode({
  type: 'test.unclonable',
  version: 1,
  title: 'Unclonable',
  category: 'Test',
  doc: 'Emits a value that cannot cross a worker boundary.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({}),
  heavy: true,
  async run(_inputs, _params, ctx) {
    ctx.emit({ out: tensor([1], { describe: () => 'a function' }) });
    await ctx.checkpoint();
    await ctx.checkpoint();
    return { out: tensor([2]) };
  },
});

export const watchdogNodes = [hangNode, floodNode, growNode, bufferNode, unclonableNode];
