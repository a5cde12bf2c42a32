import { filter, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GraphEngine } from '../../src/engine/engine';
import type { NodeOutput, NodeStatus } from '../../src/engine/status';
import { GraphError } from '../../src/graph/errors';
import { defineNode } from '../../src/graph/node-definition';
import { NodeRegistry } from '../../src/graph/registry';
import type { TensorValue } from '../../src/graph/values';
import { edge, graph, node } from '../helpers/graphs';
import { backendRbmNode, runLog, tensor, testNodes } from '../helpers/test-nodes';

/** Each step it logs, reports progress and reaches a checkpoint; it runs in this thread. */
const stepsNode = defineNode({
  type: 'test.steps',
  version: 1,
  title: 'Steps',
  category: 'Test',
  doc: 'Counts steps, one checkpoint each.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({
    steps: z.number().int().default(20),
    ms: z.number().default(5),
    tag: z.string().default(''),
  }),
  async run(_inputs, params, ctx) {
    for (let step = 1; step <= params.steps; step++) {
      await new Promise((resolve) => setTimeout(resolve, params.ms));
      runLog.push(`steps:${params.tag}:${step}`);
      ctx.progress(step / params.steps, `step ${step}`);
      await ctx.checkpoint();
    }
    return { out: tensor([params.steps]) };
  },
});

const registry = new NodeRegistry([...testNodes, stepsNode, backendRbmNode]);

const until = (engine: GraphEngine, id: string, test: (status: NodeStatus) => boolean) =>
  firstValueFrom(engine.status$(id).pipe(filter(test)));
let engine: GraphEngine;

beforeEach(() => {
  runLog.length = 0;
  engine = new GraphEngine(registry, { throttleMs: 20 });
});
afterEach(() => engine.dispose());

function first(id: string, port = 'out'): number {
  const out = engine.output(id);
  if (out?.kind !== 'value') throw new Error(`node ${id} has no value: ${JSON.stringify(out)}`);
  return (out.outputs[port] as TensorValue).data[0];
}

function chain() {
  return graph(
    [
      node('src', 'test.source', { value: 1, tag: 'src' }),
      node('a1', 'test.add', { add: 10, tag: 'a1' }),
      node('a2', 'test.add', { add: 100, tag: 'a2' }),
      node('other', 'test.source', { value: 5, tag: 'other' }),
      node('a3', 'test.add', { add: 1, tag: 'a3' }),
    ],
    [edge('src.out', 'a1.a'), edge('a1.out', 'a2.a'), edge('other.out', 'a3.a')],
  );
}

describe('GraphEngine', () => {
  it('runs a graph and reports every node done', async () => {
    engine.load(chain());
    await engine.whenSettled();
    expect(first('a2')).toBe(111);
    expect(first('a3')).toBe(6);
    for (const id of engine.nodeIds()) expect(engine.status(id)).toMatchObject({ state: 'done', cached: false });
  });

  it('re-runs only what depends on a changed param', async () => {
    engine.load(chain());
    await engine.whenSettled();
    runLog.length = 0;
    engine.setParams('a1', { add: 20, tag: 'a1' });
    await engine.whenSettled();
    expect(first('a2')).toBe(121);
    expect(runLog).toEqual(['add:a1:1', 'add:a2:21']);
  });

  it('never runs an unchanged node twice: same params and a param set back both come from the cache', async () => {
    engine.load(chain());
    await engine.whenSettled();
    runLog.length = 0;
    engine.setParams('a1', { add: 10, tag: 'a1' });
    await engine.whenSettled();
    expect(runLog).toEqual([]);
    engine.setParams('src', { value: 2, tag: 'src' });
    await engine.whenSettled();
    engine.setParams('src', { value: 1, tag: 'src' });
    await engine.whenSettled();
    expect(runLog).toEqual(['source:src:2', 'add:a1:2', 'add:a2:12']);
    expect(engine.status('a2')).toMatchObject({ state: 'done', cached: true });
    expect(first('a2')).toBe(111);
  });

  it('fills in defaults and refuses invalid params with their place', () => {
    engine.load(graph([node('src', 'test.source')]));
    expect(() => engine.setParams('src', { value: 'high' })).toThrow(GraphError);
    try {
      engine.setParams('src', { value: 'high' });
    } catch (error) {
      expect((error as GraphError).issues[0]).toMatchObject({ path: 'params.value', nodeId: 'src' });
    }
  });

  it('keeps an error at its node: downstream says which upstream failed, other branches finish', async () => {
    engine.load(
      graph(
        [node('bad', 'test.fail', { message: 'no such file' }), node('after', 'test.add'), node('ok', 'test.source')],
        [edge('bad.out', 'after.a')],
      ),
    );
    await engine.whenSettled();
    expect(engine.status('bad')).toMatchObject({ state: 'error', message: 'no such file', origin: 'bad' });
    expect(engine.status('after')).toMatchObject({ state: 'error', origin: 'bad' });
    expect((engine.status('after') as { message: string }).message).toContain("upstream node 'bad' failed");
    expect(engine.status('ok')).toMatchObject({ state: 'done' });
  });

  it('reports a node that returns the wrong type for a port', async () => {
    engine.load(graph([node('liar', 'test.liar')]));
    await engine.whenSettled();
    expect(engine.status('liar')).toMatchObject({
      state: 'error',
      message: "output 'out' should be tensor but run() returned table",
    });
  });

  it('waits, without running, while a required input is unconnected', async () => {
    engine.load(graph([node('a', 'test.add')]));
    await engine.whenSettled();
    expect(engine.status('a')).toEqual({ state: 'waiting', message: "input 'a' is not connected" });
    expect(runLog).toEqual([]);
  });

  it('gives a many input its values in edge order, with their sources, and an optional input may stay empty', async () => {
    engine.load(
      graph(
        [
          node('x', 'test.source', { value: 1 }, 'first'),
          node('y', 'test.source', { value: 2 }, 'second'),
          node('s', 'test.sum'),
        ],
        [edge('y.out', 's.values'), edge('x.out', 's.values')],
      ),
    );
    await engine.whenSettled();
    const out = engine.output('s') as Extract<NodeOutput, { kind: 'value' }>;
    expect((out.outputs.out as TensorValue).data[0]).toBe(3);
    expect((out.outputs.out as TensorValue).meta.labels).toEqual(['second', 'first']);
    engine.setLabel('x', 'renamed');
    await engine.whenSettled();
    const relabelled = engine.output('s') as Extract<NodeOutput, { kind: 'value' }>;
    expect((relabelled.outputs.out as TensorValue).meta.labels).toEqual(['second', 'renamed']);
  });

  it('applies incremental edits: add and remove nodes and edges', async () => {
    engine.load(chain());
    await engine.whenSettled();
    runLog.length = 0;
    engine.addNode(node('s', 'test.sum'));
    engine.addEdge(edge('a2.out', 's.values', 'into-sum'));
    engine.addEdge(edge('a3.out', 's.values'));
    await engine.whenSettled();
    expect(first('s')).toBe(117);
    expect(runLog).toEqual([]); // test.sum does not log; nothing upstream re-ran
    engine.removeEdge('into-sum');
    await engine.whenSettled();
    expect(first('s')).toBe(6);
    engine.removeNode('a3');
    await engine.whenSettled();
    expect(engine.status('s')).toEqual({ state: 'waiting', message: "input 'values' is not connected" });
    expect(engine.nodeIds()).not.toContain('a3');
    expect(runLog).toEqual([]);
  });

  it('refuses an edge that would make a cycle, mismatch types, or miss a port, saying why', () => {
    const g = chain();
    engine.load(g);
    const problems = (e: ReturnType<typeof edge>) => {
      try {
        engine.addEdge(e);
        return [];
      } catch (error) {
        return (error as GraphError).issues.map((issue) => issue.message);
      }
    };
    expect(problems(edge('a3.out', 'a1.a'))).toEqual([expect.stringContaining("already has an edge ('")]);
    engine.addNode(node('s', 'test.sum'));
    expect(problems(edge('src.out', 's.values', g.edges[0].id))).toEqual([`duplicate edge id '${g.edges[0].id}'`]);
    engine.removeEdge(g.edges[0].id);
    expect(() => engine.addEdge(edge('a2.out', 'a1.a'))).toThrow('cycle: a1 → a2 → a1');
    engine.addNode(node('t', 'test.table-sink'));
    expect(problems(edge('src.out', 't.table'))[0]).toContain('a tensor output cannot feed a table input');
    expect(problems(edge('src.nope', 'a1.a'))[0]).toContain("has no output 'nope'");
    expect(problems(edge('src.constructor', 'a1.a'))[0]).toContain("has no output 'constructor'");
    expect(problems(edge('src.out', 'a1.__proto__'))[0]).toContain("has no input '__proto__'");
    expect(engine.document().edges).toHaveLength(2);
    expect(engine.document().nodes.map((n) => n.id)).toEqual(['src', 'a1', 'a2', 'other', 'a3', 's', 't']);
  });

  it('cancels a stale run when a param changes, and never emits its result', async () => {
    engine.load(graph([node('slow', 'test.slow', { ms: 400, steps: 20, tag: 'first' })]));
    const seen: NodeOutput[] = [];
    const subscription = engine.output$('slow').subscribe((o) => seen.push(o));
    await new Promise((r) => setTimeout(r, 100));
    engine.setParams('slow', { ms: 50, steps: 5, tag: 'second' });
    await engine.whenSettled();
    await new Promise((r) => setTimeout(r, 500));
    subscription.unsubscribe();
    expect(runLog).toEqual(['slow:second:done']);
    const values = seen.filter((o) => o.kind === 'value');
    expect(values).toHaveLength(1);
    expect(((values[0] as Extract<NodeOutput, { kind: 'value' }>).outputs.out as TensorValue).data[0]).toBe(5);
  });

  it('streams intermediate values downstream, throttled, then the final value', async () => {
    const streaming = new GraphEngine(registry, { throttleMs: 50 });
    try {
      streaming.load(
        graph(
          [
            node('slow', 'test.slow', { ms: 300, steps: 30, emit: true }),
            node('plus', 'test.add', { add: 1000, tag: 'plus' }),
          ],
          [edge('slow.out', 'plus.a')],
        ),
      );
      const seen: NodeOutput[] = [];
      streaming.output$('plus').subscribe((o) => seen.push(o));
      await streaming.whenSettled();
      const values = seen.filter((o): o is Extract<NodeOutput, { kind: 'value' }> => o.kind === 'value');
      const partial = values.filter((v) => !v.final);
      expect(partial.length).toBeGreaterThanOrEqual(2);
      expect(partial.length).toBeLessThan(29); // throttled: not every one of the 29 intermediate values
      expect(values.at(-1)!.final).toBe(true);
      expect((values.at(-1)!.outputs.out as TensorValue).data[0]).toBe(1030);
      expect(streaming.status('plus')).toMatchObject({ state: 'done', partial: false });
    } finally {
      streaming.dispose();
    }
  });

  it('can wait for final values only, as a headless run does', async () => {
    const headless = new GraphEngine(registry, { followIntermediate: false });
    try {
      headless.load(
        graph(
          [
            node('slow', 'test.slow', { ms: 200, steps: 20, emit: true }),
            node('plus', 'test.add', { add: 1, tag: 'plus' }),
          ],
          [edge('slow.out', 'plus.a')],
        ),
      );
      await headless.whenSettled();
      expect(runLog.filter((entry) => entry.startsWith('add:plus'))).toEqual(['add:plus:20']);
    } finally {
      headless.dispose();
    }
  });

  it('paused, starts no new run until resumed', async () => {
    engine.setPaused(true);
    engine.load(chain());
    await new Promise((r) => setTimeout(r, 50));
    expect(runLog).toEqual([]);
    expect(engine.status('src')).toEqual({ state: 'waiting', message: 'paused' });
    engine.setPaused(false);
    await engine.whenSettled();
    expect(first('a2')).toBe(111);
    expect(engine.isPaused).toBe(false);
  });

  it('paused, holds a running job at its next checkpoint and lets it go on when resumed', async () => {
    engine.load(graph([node('n', 'test.steps', { steps: 20, ms: 5, tag: 'x' })]));
    await until(engine, 'n', (s) => s.state === 'running' && s.progress >= 0.15);
    engine.setPaused(true);
    const held = await until(engine, 'n', (s) => s.state === 'running' && s.message === 'paused');
    const stepsAtPause = runLog.length;
    expect(stepsAtPause).toBeLessThan(20);
    expect(held).toEqual({ state: 'running', progress: stepsAtPause / 20, message: 'paused' });
    await new Promise((r) => setTimeout(r, 100)); // ~20 steps' worth of time
    expect(runLog).toHaveLength(stepsAtPause);
    expect(engine.status('n')).toMatchObject({ message: 'paused' });
    engine.setPaused(false);
    await engine.whenSettled();
    expect(runLog).toHaveLength(20);
    expect(first('n')).toBe(20);
    expect(engine.status('n')).toMatchObject({ state: 'done' });
  });

  it('a job held by pause is still cancelled by an edit, and the new run waits for resume', async () => {
    engine.load(graph([node('n', 'test.steps', { steps: 20, ms: 5, tag: 'old' })]));
    await until(engine, 'n', (s) => s.state === 'running' && s.progress > 0);
    engine.setPaused(true);
    await until(engine, 'n', (s) => s.state === 'running' && s.message === 'paused');
    engine.setParams('n', { steps: 3, ms: 1, tag: 'new' });
    await until(engine, 'n', (s) => s.state === 'waiting' && s.message === 'paused');
    await new Promise((r) => setTimeout(r, 50));
    expect(runLog.filter((entry) => entry.startsWith('steps:new'))).toEqual([]);
    const oldSteps = runLog.length;
    engine.setPaused(false);
    await engine.whenSettled();
    expect(first('n')).toBe(3);
    expect(runLog.slice(oldSteps)).toEqual(['steps:new:1', 'steps:new:2', 'steps:new:3']); // the old run never went on
  });

  it('publishes its node ids when nodes come, go or are replaced, and not for other edits', async () => {
    const seen: (readonly string[])[] = [];
    const subscription = engine.nodeIds$.subscribe((ids) => seen.push(ids));
    const g = chain();
    engine.load(g);
    expect(seen).toEqual([[], ['src', 'a1', 'a2', 'other', 'a3']]);
    const moved = structuredClone(g);
    moved.nodes[1].position = { x: 50, y: 60 };
    moved.nodes[1].params = { add: 20, tag: 'a1' };
    moved.nodes[2].label = 'renamed';
    moved.edges.pop();
    engine.setGraph(moved);
    engine.setParams('src', { value: 3, tag: 'src' });
    engine.setLabel('src', 'source');
    engine.addEdge(edge('other.out', 'a3.a'));
    expect(seen).toHaveLength(2);
    engine.addNode(node('s', 'test.sum'));
    engine.removeNode('other');
    expect(seen.slice(2)).toEqual([
      ['src', 'a1', 'a2', 'other', 'a3', 's'],
      ['src', 'a1', 'a2', 'a3', 's'],
    ]);
    // One list for a whole setGraph, even when it removes, adds and replaces several nodes.
    const edited = structuredClone(g);
    edited.nodes = edited.nodes.filter((n) => n.id !== 'other' && n.id !== 'a3');
    edited.nodes[2] = node('a2', 'test.source', { value: 9 }); // a new type: a new runtime
    edited.nodes.push(node('more', 'test.source'));
    edited.edges = [edited.edges[0]];
    const before = engine.status$('a2');
    let oldCompleted = false;
    before.subscribe({ complete: () => (oldCompleted = true) });
    engine.setGraph(edited);
    expect(seen.slice(4)).toEqual([['src', 'a1', 'a2', 'more']]);
    expect(oldCompleted).toBe(true);
    await engine.whenSettled();
    expect(first('a2')).toBe(9);
    subscription.unsubscribe();
  });

  it('setGraph refuses a bad graph before changing anything', async () => {
    const g = chain();
    engine.load(g);
    await engine.whenSettled();
    const bad = structuredClone(g);
    bad.nodes.push(node('new', 'test.add'));
    bad.nodes[1].params = { add: 50, tag: 'a1' };
    bad.edges.push(edge('a2.out', 'new.a'), edge('new.out', 'a1.a'));
    expect(() => engine.setGraph(bad)).toThrow(GraphError);
    const badParams = structuredClone(g);
    badParams.nodes.push(node('new', 'test.add', { add: 'lots' }));
    expect(() => engine.setGraph(badParams)).toThrow(GraphError);
    expect(engine.nodeIds()).toEqual(['src', 'a1', 'a2', 'other', 'a3']);
    expect(engine.document().edges).toHaveLength(3);
    await engine.whenSettled();
    expect(first('a2')).toBe(111);
  });

  it('reports the TensorFlow.js backend of the latest trained model', async () => {
    const seen: (string | null)[] = [];
    const subscription = engine.backend$.subscribe((b) => seen.push(b));
    expect(engine.backend()).toBeNull();
    engine.load(graph([node('src', 'test.source')]));
    await engine.whenSettled();
    engine.addNode(node('rbm', 'test.rbm', { backend: 'wasm', first: 'cpu' }));
    await engine.whenSettled();
    expect(seen).toEqual([null, 'cpu', 'wasm']);
    expect(engine.backend()).toBe('wasm');
    engine.setParams('rbm', { backend: 'wasm', first: 'wasm' });
    await engine.whenSettled();
    expect(seen).toEqual([null, 'cpu', 'wasm']); // the same name is not published again
    subscription.unsubscribe();
  });

  it('keeps the cache within its memory bound', async () => {
    const small = new GraphEngine(registry, { cacheBytes: 1_000_000 });
    try {
      for (let v = 0; v < 10; v++) {
        small.load(graph([node('big', 'test.source', { value: v, size: 100_000 })])); // 400 kB each
        await small.whenSettled();
      }
      expect(small.cache.bytes).toBeLessThanOrEqual(1_000_000);
      expect(small.cache.size).toBeLessThanOrEqual(2);
    } finally {
      small.dispose();
    }
  });

  it('shows an unknown node type as failed and its downstream as blocked by it', async () => {
    engine.load(
      graph(
        [
          { ...node('ghost', 'future.node'), placeholder: { raw: { id: 'ghost', type: 'future.node' } } },
          node('a', 'test.add'),
        ],
        [edge('ghost.out', 'a.a')],
      ),
    );
    await engine.whenSettled();
    expect(engine.status('ghost')).toMatchObject({ state: 'error', origin: 'ghost' });
    expect((engine.status('ghost') as { message: string }).message).toContain("unknown node type 'future.node'");
    expect(engine.status('a')).toMatchObject({ state: 'error', origin: 'ghost' });
  });

  it('setGraph touches only what differs', async () => {
    const g = chain();
    engine.load(g);
    await engine.whenSettled();
    runLog.length = 0;
    const edited = structuredClone(g);
    edited.nodes[4].params = { add: 2, tag: 'a3' };
    edited.nodes.push(node('new', 'test.add', { tag: 'new' }));
    edited.edges.push(edge('a3.out', 'new.a'));
    engine.setGraph(edited);
    await engine.whenSettled();
    expect(runLog.sort()).toEqual(['add:a3:5', 'add:new:7']);
    expect(first('new')).toBe(8);
  });

  it('dispose aborts running work and completes every stream', async () => {
    engine.load(graph([node('slow', 'test.slow', { ms: 1000, steps: 50, tag: 'x' })]));
    let completed = false;
    let outputCompleted = false;
    let idsCompleted = false;
    engine.nodeIds$.subscribe({ complete: () => (idsCompleted = true) });
    engine.status$('slow').subscribe({ complete: () => (completed = true) });
    engine.output$('slow').subscribe({ complete: () => (outputCompleted = true) });
    await new Promise((r) => setTimeout(r, 50));
    engine.dispose();
    await new Promise((r) => setTimeout(r, 1100));
    expect(completed).toBe(true);
    expect(outputCompleted).toBe(true);
    expect(idsCompleted).toBe(true);
    expect(runLog).toEqual([]);
    expect(() => engine.status('slow')).toThrow('disposed');
  });
});

describe('intermediate values of a training', () => {
  it('feed light nodes as they come, while heavy ones wait for the trained model', async () => {
    runLog.length = 0;
    const engine = new GraphEngine(new NodeRegistry(testNodes), { throttleMs: 0 });
    try {
      engine.load(
        graph(
          [
            node('train', 'test.slow-training', { ms: 400, steps: 8, emit: true }),
            node('light', 'test.add', { tag: 'light' }),
            node('heavy', 'test.slow', { ms: 10, steps: 1, tag: 'heavy' }),
            node('stream', 'test.slow', { ms: 400, steps: 8, emit: true }),
            node('follower', 'test.slow', { ms: 10, steps: 1, tag: 'follower' }),
          ],
          [edge('train.out', 'light.a'), edge('train.out', 'heavy.a'), edge('stream.out', 'follower.a')],
        ),
      );
      await engine.whenSettled();
      const lightRuns = runLog.filter((line) => line.startsWith('add:light:'));
      expect(lightRuns.length).toBeGreaterThan(1); // on intermediate values and on the final one
      expect(lightRuns.at(-1)).toBe('add:light:8');
      // the heavy node ran once, on the final model; a heavy node after a node that is not training follows
      expect(runLog.filter((line) => line === 'slow:heavy:done')).toHaveLength(1);
      expect(runLog.filter((line) => line === 'slow:follower:done').length).toBeGreaterThan(1);
    } finally {
      engine.dispose();
    }
  });
});
