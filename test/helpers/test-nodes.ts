/** Tiny node types for testing the graph format, the engine and the worker pool (no physics). */
import { z } from 'zod';
import { defineNode, type AnyNodeDefinition, type OutputValues } from '../../src/graph/node-definition';
import { NodeRegistry } from '../../src/graph/registry';
import type { RbmValue, SpinsValue, TableValue, TensorValue, Value } from '../../src/graph/values';

/** How many times each node id ran in this thread (params may carry a `tag` to tell runs apart). */
export const runLog: string[] = [];

export function tensor(data: number[] | Float32Array, meta: Record<string, unknown> = {}): TensorValue {
  const array = data instanceof Float32Array ? data : Float32Array.from(data);
  return { type: 'tensor', shape: [array.length], data: array, meta };
}

export const sourceNode = defineNode({
  type: 'test.source',
  version: 1,
  title: 'Source',
  category: 'Test',
  doc: 'A constant tensor.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({
    value: z.number().default(1),
    size: z.number().int().min(1).max(1e8).default(4),
    tag: z.string().default(''),
  }),
  async run(_inputs, params) {
    runLog.push(`source:${params.tag}:${params.value}`);
    return { out: tensor(new Float32Array(params.size).fill(params.value)) };
  },
});

export const addNode = defineNode({
  type: 'test.add',
  version: 1,
  title: 'Add',
  category: 'Test',
  doc: 'Adds a constant to every element.',
  inputs: { a: { type: 'tensor' } },
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({ add: z.number().default(1), tag: z.string().default('') }),
  async run(inputs, params) {
    const a = inputs.a as TensorValue;
    runLog.push(`add:${params.tag}:${a.data[0]}`);
    return { out: tensor(a.data.map((x) => x + params.add)) };
  },
});

export const sumNode = defineNode({
  type: 'test.sum',
  version: 1,
  title: 'Sum',
  category: 'Test',
  doc: 'Sums the first elements of many tensors, and reports where they came from.',
  inputs: { values: { type: 'tensor', many: true }, extra: { type: 'tensor', optional: true } },
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({}),
  async run(inputs, _params, ctx) {
    const values = inputs.values as TensorValue[];
    const extra = inputs.extra as TensorValue | undefined;
    const total = values.reduce((s, v) => s + v.data[0], 0) + (extra ? extra.data[0] : 0);
    return { out: tensor([total], { labels: ctx.sources.values.map((s) => s.label) }) };
  },
});

export const failNode = defineNode({
  type: 'test.fail',
  version: 1,
  title: 'Fail',
  category: 'Test',
  doc: 'Throws.',
  inputs: { a: { type: 'tensor', optional: true } },
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({ message: z.string().default('boom') }),
  async run(_inputs, params) {
    throw new Error(params.message);
  },
});

/** Works for `ms` in chunks, checking for cancellation between them; optionally streams results. */
export const slowNode = defineNode({
  type: 'test.slow',
  version: 1,
  title: 'Slow',
  category: 'Test',
  doc: 'Takes a while, cancellable, streams intermediate results.',
  inputs: { a: { type: 'tensor', optional: true } },
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({
    ms: z.number().default(200),
    steps: z.number().int().default(10),
    emit: z.boolean().default(false),
    tag: z.string().default(''),
  }),
  heavy: true,
  async run(inputs, params, ctx) {
    const a = inputs.a as TensorValue | undefined;
    const base = a ? a.data[0] : 0;
    for (let step = 1; step <= params.steps; step++) {
      const until = Date.now() + params.ms / params.steps;
      while (Date.now() < until) {
        // busy work, as a real kernel would do
      }
      ctx.progress(step / params.steps, `step ${step}`);
      if (params.emit && step < params.steps) ctx.emit({ out: tensor([base + step]) });
      await ctx.checkpoint();
    }
    runLog.push(`slow:${params.tag}:done`);
    return { out: tensor([base + params.steps]) };
  },
});

export const spinsSourceNode = defineNode({
  type: 'test.spins',
  version: 1,
  title: 'Spins source',
  category: 'Test',
  doc: 'All-up spins.',
  inputs: {},
  outputs: { spins: { type: 'spins' } },
  params: z.strictObject({ n: z.number().int().min(1).default(2), L: z.number().int().min(1).default(4) }),
  async run(_inputs, params): Promise<Record<string, SpinsValue>> {
    const data = new Int8Array(params.n * params.L * params.L).fill(1);
    return {
      spins: {
        type: 'spins',
        shape: [params.n, params.L, params.L],
        data,
        T: new Float64Array(params.n).fill(NaN),
        meta: {},
      },
    };
  },
});

export const tableSinkNode = defineNode({
  type: 'test.table-sink',
  version: 1,
  title: 'Table sink',
  category: 'Test',
  doc: 'Wants a table; counts its rows.',
  inputs: { table: { type: 'table' } },
  outputs: { table: { type: 'table' } },
  params: z.strictObject({}),
  async run(inputs): Promise<Record<string, TableValue>> {
    const t = inputs.table as TableValue;
    return { table: { type: 'table', columns: ['rows'], rows: [[t.rows.length]] } };
  },
});

/** Version 3 of a node whose param `size` was called `n` in version 1 and `count` in version 2. */
export const migratedNode = defineNode({
  type: 'test.migrated',
  version: 3,
  title: 'Migrated',
  category: 'Test',
  doc: 'Renamed its param twice.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({ size: z.number().int().min(1).default(3) }),
  migrations: {
    2: ({ n, ...rest }) => ({ ...rest, count: n }),
    3: ({ count, ...rest }) => ({ ...rest, size: count }),
  },
  async run(_inputs, params) {
    return { out: tensor(new Float32Array(params.size)) };
  },
});

/** Returns something that is not what it declares. */
export const liarNode = defineNode({
  type: 'test.liar',
  version: 1,
  title: 'Liar',
  category: 'Test',
  doc: 'Declares a tensor, returns a table.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({}),
  async run() {
    return { out: { type: 'table', columns: [], rows: [] } as Value };
  },
});

/** Slow, in the training lane: as an RBM Layer is. */
export const slowTrainingNode = defineNode({
  ...slowNode,
  type: 'test.slow-training',
  title: 'Slow training',
  lane: 'training',
});

const fileRef = z.strictObject({ name: z.string(), sha256: z.string(), bytes: z.number() });

/** Reads the file its params record (NodeDefinition.files) and outputs its bytes as a tensor; heavy. */
export const readFileNode = defineNode({
  type: 'test.read-file',
  version: 1,
  title: 'Read file',
  category: 'Test',
  doc: 'Outputs the bytes of a stored file.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({ file: fileRef.optional(), other: fileRef.optional() }),
  heavy: true,
  files: (p) => (p.file ? [p.file] : []),
  async run(_inputs, p, ctx) {
    if (p.other) await ctx.readFile(p.other); // a file it did not name: refused
    if (!p.file) throw new Error('no file');
    const bytes = await ctx.readFile(p.file);
    return { out: tensor(Float32Array.from(bytes), { where: typeof window === 'undefined' ? 'node' : 'browser' }) };
  },
});

/** Has the one output its params choose (NodeDefinition.outputsFor); `lie` returns the other instead. */
export const choiceNode = defineNode({
  type: 'test.choice',
  version: 1,
  title: 'Choice',
  category: 'Test',
  doc: 'One of two outputs, by a param.',
  inputs: {},
  outputs: { tensor: { type: 'tensor' }, table: { type: 'table' } },
  params: z.strictObject({ port: z.enum(['tensor', 'table']).default('tensor'), lie: z.boolean().default(false) }),
  outputsFor: (p) => [p.port],
  async run(_inputs, p): Promise<OutputValues> {
    const port = p.lie ? (p.port === 'tensor' ? 'table' : 'tensor') : p.port;
    return port === 'tensor' ? { tensor: tensor([1, 2]) } : { table: { type: 'table', columns: ['x'], rows: [[1]] } };
  },
});

export const testNodes: AnyNodeDefinition[] = [
  sourceNode,
  addNode,
  sumNode,
  failNode,
  slowNode,
  slowTrainingNode,
  spinsSourceNode,
  tableSinkNode,
  migratedNode,
  liarNode,
  readFileNode,
  choiceNode,
];

export function testRegistry(): NodeRegistry {
  return new NodeRegistry(testNodes);
}

/** A one-unit RBM that says which backend "trained" it, once as an intermediate value and once final. */
export const backendRbmNode = defineNode({
  type: 'test.rbm',
  version: 1,
  title: 'RBM',
  category: 'Test',
  doc: 'A stand-in trained model.',
  inputs: {},
  outputs: { rbm: { type: 'rbm' } },
  params: z.strictObject({ backend: z.string().default('cpu'), first: z.string().default('') }),
  async run(_inputs, params, ctx) {
    const model = (backend: string): RbmValue => ({
      type: 'rbm',
      nv: 1,
      nh: 1,
      W: new Float32Array(1),
      vbias: new Float32Array(1),
      hbias: new Float32Array(1),
      visibleShape: [1],
      training: { backend },
    });
    if (params.first) ctx.emit({ rbm: model(params.first) });
    return { rbm: model(params.backend) };
  },
});
