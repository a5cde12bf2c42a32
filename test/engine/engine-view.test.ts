import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { GraphEngine } from '../../src/engine/engine';
import { defineNode } from '../../src/graph/node-definition';
import { NodeRegistry } from '../../src/graph/registry';
import type { FigureValue } from '../../src/graph/values';
import { connectEngineView, EngineView } from '../../src/ui/useEngine';
import { edge, graph, node } from '../helpers/graphs';
import { backendRbmNode, testNodes } from '../helpers/test-nodes';

const figureNode = defineNode({
  type: 'test.figure',
  version: 1,
  title: 'Figure',
  category: 'Test',
  doc: 'A figure naming its input.',
  inputs: { a: { type: 'tensor' } },
  outputs: { figure: { type: 'figure' } },
  params: z.strictObject({}),
  async run(inputs) {
    return { figure: { type: 'figure', spec: { first: (inputs.a as { data: Float32Array }).data[0] } } };
  },
});

const registry = new NodeRegistry([...testNodes, figureNode, backendRbmNode]);

// Node has no animation frames; a timer stands in for one.
beforeAll(() => {
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => setTimeout(callback, 0) as unknown as number);
  vi.stubGlobal('cancelAnimationFrame', (frame: number) => clearTimeout(frame));
});
afterAll(() => vi.unstubAllGlobals());

let engine: GraphEngine;
let disconnect: () => void = () => {};
afterEach(() => {
  disconnect();
  engine.dispose();
});

/** Long enough for the view's batch to be shown (it shows at most one every 100 ms). */
const shown = () => new Promise((resolve) => setTimeout(resolve, 150));

function base() {
  return graph(
    [node('src', 'test.source', { value: 2 }), node('plus', 'test.add', { add: 1 }), node('fig', 'test.figure')],
    [edge('src.out', 'plus.a'), edge('plus.out', 'fig.a')],
  );
}

describe('connectEngineView', () => {
  it('subscribes each node once, and again only for nodes that come or are replaced', async () => {
    engine = new GraphEngine(registry);
    const view = new EngineView();
    const statusCalls = vi.spyOn(engine, 'status$');
    const outputCalls = vi.spyOn(engine, 'output$');
    disconnect = connectEngineView(engine, view);
    const g = base();
    engine.setGraph(g);
    await engine.whenSettled();
    await shown();
    expect(statusCalls.mock.calls.map(([id]) => id)).toEqual(['src', 'plus', 'fig']);
    expect(outputCalls).toHaveBeenCalledTimes(3);
    expect(view.status('fig')).toMatchObject({ state: 'done' });
    expect(view.figure('fig')?.spec).toEqual({ first: 3 });

    // A drag and a param edit: new documents, no new subscriptions, and the view follows.
    const edited = structuredClone(g);
    edited.nodes[0].position = { x: 100, y: 40 };
    engine.setGraph(edited);
    const again = structuredClone(edited);
    again.nodes[1].params = { add: 10 };
    engine.setGraph(again);
    await engine.whenSettled();
    await shown();
    expect(statusCalls).toHaveBeenCalledTimes(3);
    expect(view.figure('fig')?.spec).toEqual({ first: 12 });

    // A new node is subscribed alone; a node whose type changed is subscribed afresh.
    const more = structuredClone(again);
    more.nodes.push(node('extra', 'test.source', { value: 7 }));
    engine.setGraph(more);
    const replaced = structuredClone(more);
    replaced.nodes[1] = node('plus', 'test.source', { value: 40 });
    replaced.edges = [];
    engine.setGraph(replaced);
    await engine.whenSettled();
    await shown();
    expect(statusCalls.mock.calls.slice(3).map(([id]) => id)).toEqual(['extra', 'plus']);
    expect(view.status('fig')).toEqual({ state: 'waiting', message: "input 'a' is not connected" });

    // The replaced node's new runtime reports to the view.
    engine.setParams('plus', { value: 41 });
    engine.addEdge(edge('plus.out', 'fig.a'));
    await engine.whenSettled();
    await shown();
    expect(view.figure('fig')?.spec).toEqual({ first: 41 });
  });

  it('hears nothing more once disconnected', async () => {
    engine = new GraphEngine(registry);
    const view = new EngineView();
    disconnect = connectEngineView(engine, view);
    engine.setGraph(base());
    await engine.whenSettled();
    await shown();
    disconnect();
    const figure: FigureValue | undefined = view.figure('fig');
    engine.setParams('src', { value: 5 });
    await engine.whenSettled();
    await shown();
    expect(view.figure('fig')).toBe(figure);
  });

  it('shows the backend the engine reports and tells only its listeners', async () => {
    engine = new GraphEngine(registry);
    const view = new EngineView();
    const heard: string[] = [];
    view.subscribe('backend', () => heard.push('backend'));
    view.subscribe('figures', () => heard.push('figures'));
    disconnect = connectEngineView(engine, view);
    engine.setGraph(graph([node('rbm', 'test.rbm', { backend: 'wasm' })]));
    await engine.whenSettled();
    await shown();
    expect(view.backend()).toBe('wasm');
    expect(heard).toEqual(['backend']);
  });
});

describe('EngineView with ids from a hostile file', () => {
  it('keeps the figures of nodes named __proto__ and constructor as figures, and invents none', () => {
    const view = new EngineView();
    expect(view.figure('constructor')).toBeUndefined();
    expect(view.figure('toString')).toBeUndefined();
    const figure: FigureValue = { type: 'figure', spec: { first: 1 } };
    view.update(new Map(), new Map([['__proto__', figure]]), null);
    expect(view.figure('__proto__')).toBe(figure);
    expect(Object.keys(view.figures())).toEqual(['__proto__']);
    expect(view.figure('constructor')).toBeUndefined();
  });
});
