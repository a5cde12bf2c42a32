import { describe, expect, it } from 'vitest';
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

  it('loads an unknown type as a placeholder that keeps its raw JSON, with a warning naming it', () => {
    const result = parse(doc([node('a'), future]));
    const graph = loaded(result);
    const placeholder = graph.nodes[1];
    expect(placeholder).toMatchObject({ id: 'f', type: 'future.node', typeVersion: 7, position: { x: 3, y: 4 } });
    expect(placeholder.params).toEqual(future.params);
    expect(placeholder.placeholder?.raw).toEqual(future);
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
