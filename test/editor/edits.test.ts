import { describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { emptyGraph } from '../../src/graph/document';
import { parseGraph } from '../../src/graph/parse';
import { serializeGraph } from '../../src/graph/serialize';
import * as edits from '../../src/editor/edits';

const registry = appRegistry();

describe('graph edits', () => {
  it('adds nodes with fresh ids and default params, wires, moves, relabels and removes them', () => {
    let graph = emptyGraph('t');
    const a = edits.addNode(graph, registry, 'ising.lattice', { x: 10.4, y: 20.6 });
    graph = a.graph;
    const b = edits.addNode(graph, registry, 'ising.lattice', { x: 0, y: 0 });
    graph = b.graph;
    expect([a.id, b.id]).toEqual(['lattice', 'lattice-2']);
    expect(graph.nodes[0]).toMatchObject({ position: { x: 10, y: 21 }, params: { L: 32, algorithm: 'wolff' } });
    const c = edits.addNode(graph, registry, 'measure.observables', { x: 300, y: 0 });
    graph = edits.addEdge(c.graph, { source: 'lattice', sourcePort: 'spins', target: c.id, targetPort: 'spins' });
    graph = edits.moveNodes(graph, new Map([[c.id, { x: 400, y: 50 }]]));
    graph = edits.setLabel(graph, c.id, 'measured');
    graph = edits.setParams(graph, 'lattice', { ...graph.nodes[0].params, L: 16 });
    // what the editor builds is a valid file
    const reparsed = parseGraph(serializeGraph(graph), registry);
    expect(reparsed.ok).toBe(true);
    expect(graph.nodes.find((n) => n.id === c.id)).toMatchObject({ label: 'measured', position: { x: 400, y: 50 } });
    const removed = edits.removeNodes(graph, new Set(['lattice']));
    expect(removed.nodes.map((n) => n.id)).toEqual(['lattice-2', 'observables']);
    expect(removed.edges).toEqual([]);
    expect(edits.setLabel(graph, c.id, '  ').nodes.find((n) => n.id === c.id)!.label).toBeUndefined();
  });

  it('duplicates a selection with its inner edges and fresh ids, leaving the original untouched', () => {
    let graph = edits.addNode(emptyGraph(), registry, 'ising.lattice', { x: 0, y: 0 }).graph;
    graph = edits.addNode(graph, registry, 'rg.blockspin', { x: 300, y: 0 }).graph;
    graph = edits.addEdge(graph, { source: 'lattice', sourcePort: 'spins', target: 'blockspin', targetPort: 'spins' });
    const before = serializeGraph(graph);
    const { graph: copied, ids } = edits.duplicate(graph, graph.nodes, graph.edges);
    expect(serializeGraph(graph)).toBe(before);
    expect(ids).toEqual(['lattice-2', 'blockspin-2']);
    expect(copied.edges.at(-1)).toMatchObject({ source: 'lattice-2', target: 'blockspin-2' });
    expect(copied.nodes.at(-1)!.position).toEqual({ x: 340, y: 40 });
    expect(parseGraph(serializeGraph(copied), registry).ok).toBe(true);
  });

  it('refuses an unknown node type', () => {
    expect(() => edits.addNode(emptyGraph(), registry, 'no.such', { x: 0, y: 0 })).toThrow(
      "unknown node type 'no.such'",
    );
  });
});
