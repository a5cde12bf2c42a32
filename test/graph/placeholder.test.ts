import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/document';
import { serializeGraph } from '../../src/graph/serialize';
import { doc, edge, loaded, node, onlyIssue, parse } from './fixtures';

describe('parseGraph: unknown node types', () => {
  const future = {
    id: 'f',
    type: 'future.node',
    typeVersion: 7,
    position: { x: 3, y: 4 },
    params: { deep: { list: [1, { a: null }] } },
    extra: true,
  };

  it('loads an unknown type as a placeholder that keeps what the app does not know, with a warning', () => {
    const result = parse(doc([node('a'), future]));
    const graph = loaded(result);
    const placeholder = graph.nodes[1];
    expect(placeholder).toMatchObject({ id: 'f', type: 'future.node', typeVersion: 7, position: { x: 3, y: 4 } });
    expect(placeholder.params).toEqual(future.params);
    // id, position and label belong to the GraphNode; raw keeps the rest.
    const { id: _id, position: _position, ...unknown } = future;
    expect(placeholder.placeholder?.raw).toEqual(unknown);
    expect(result.ok && result.warnings).toEqual([
      expect.objectContaining({
        path: 'nodes[1].type',
        nodeId: 'f',
        message: expect.stringContaining("unknown node type 'future.node'"),
      }),
    ]);
  });

  it('gives a placeholder without position or typeVersion safe defaults', () => {
    const graph = loaded(parse(doc([{ id: 'f', type: 'future.node' }])));
    expect(graph.nodes[0]).toMatchObject({ typeVersion: 1, position: { x: 0, y: 0 }, params: {} });
  });

  it('still needs an id on an unknown node', () => {
    const issue = onlyIssue(parse(doc([{ type: 'future.node' }])));
    expect(issue.path).toBe('nodes[0].id');
  });

  it('accepts edges to and from a placeholder, on any port names', () => {
    const edges = [
      edge('e1', 'a', 'out', 'f', 'whatever'),
      edge('e2', 'a', 'out', 'f', 'whatever'),
      edge('e3', 'f', 'thing', 'b', 'a'),
    ];
    const graph = loaded(parse(doc([node('a'), future, node('b', 'test.add')], edges)));
    expect(graph.edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
  });
});

describe('placeholders stay in sync with their GraphNode', () => {
  const future = {
    id: 'f',
    type: 'future.node',
    typeVersion: 7,
    position: { x: 3, y: 4 },
    label: 'from the future',
    params: { deep: { list: [1, { a: null }] }, b: 2, a: 1 },
    ports: { in: 'spins' },
  };
  const file = (nodes: unknown[]) => JSON.stringify({ ...doc(nodes), version: 2 }, null, 2);
  const reopen = (graph: GraphDocument) => loaded(parse(serializeGraph(graph)));

  it('reads, writes and reads back to the same graph, and the same bytes', () => {
    const graph = loaded(parse(file([node('a'), future])));
    expect(reopen(graph)).toEqual(graph);
    expect(serializeGraph(reopen(graph))).toBe(serializeGraph(graph));
  });

  it('round-trips a placeholder with no position, label, typeVersion or params', () => {
    const graph = loaded(parse(file([{ id: 'g', type: 'future.bare' }])));
    expect(reopen(graph)).toEqual(graph);
    const written = JSON.parse(serializeGraph(graph)).nodes[0];
    expect(written).toEqual({ id: 'g', type: 'future.bare', position: { x: 0, y: 0 } });
  });

  it('writes a moved, renamed and relabelled placeholder with its new id, position and label', () => {
    const graph = loaded(parse(file([node('a'), future])));
    graph.nodes[1] = { ...graph.nodes[1], id: 'f2', position: { x: 100, y: -5 }, label: 'moved' };
    const written = JSON.parse(serializeGraph(graph)).nodes[1];
    expect(written).toEqual({ ...future, id: 'f2', position: { x: 100, y: -5 }, label: 'moved' });
    const back = reopen(graph).nodes[1];
    expect(back).toMatchObject({ id: 'f2', position: { x: 100, y: -5 }, label: 'moved', typeVersion: 7 });
    expect(back.params).toEqual(future.params);
  });

  it('writes a placeholder whose label was removed without one', () => {
    const graph = loaded(parse(file([future])));
    const { label: _label, ...unlabelled } = graph.nodes[0];
    graph.nodes[0] = unlabelled;
    expect(JSON.parse(serializeGraph(graph)).nodes[0]).not.toHaveProperty('label');
    expect(reopen(graph).nodes[0]).not.toHaveProperty('label');
  });

  it('writes a duplicated placeholder as two nodes that reopen, each with its own id and place', () => {
    const graph = loaded(parse(file([future])));
    const copy = { ...graph.nodes[0], id: 'f-copy', position: { x: 40, y: 44 } };
    graph.nodes.push(copy);
    const back = reopen(graph);
    expect(back.nodes.map((n) => [n.id, n.position])).toEqual([
      ['f', { x: 3, y: 4 }],
      ['f-copy', { x: 40, y: 44 }],
    ]);
    expect(back.nodes[1].placeholder?.raw).toEqual(back.nodes[0].placeholder?.raw);
  });

  it('keeps its params verbatim, in the order read, not sorted like a known node', () => {
    const graph = loaded(parse(file([future])));
    const params = JSON.parse(serializeGraph(graph)).nodes[0].params;
    expect(Object.keys(params)).toEqual(['deep', 'b', 'a']);
  });
});
