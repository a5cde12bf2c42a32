import { describe, expect, it } from 'vitest';
import type { GraphDocument, GraphEdge } from '../../src/graph/document';
import { checkEdge, findCycle, validateGraph } from '../../src/graph/validate';
import { doc, edge, issuesOf, loaded, node, onlyIssue, parse, registry } from './fixtures';

const chain = (ids: string[]): GraphEdge[] => ids.slice(1).map((id, i) => edge(`e${i}`, ids[i], 'out', id, 'a'));

describe('ids', () => {
  it('refuses duplicate node ids, naming the second one', () => {
    const issue = onlyIssue(parse(doc([node('a'), node('b'), node('a', 'test.add')])));
    expect(issue).toMatchObject({ path: 'nodes[2].id', nodeId: 'a' });
    expect(issue.message).toContain("duplicate node id 'a'");
  });

  it('refuses duplicate edge ids, naming the second one', () => {
    const edges = [edge('e1', 'a', 'out', 'b', 'a'), edge('e1', 'a', 'out', 'c', 'a')];
    const issue = onlyIssue(parse(doc([node('a'), node('b', 'test.add'), node('c', 'test.add')], edges)));
    expect(issue).toMatchObject({ path: 'edges[1].id', edgeId: 'e1' });
    expect(issue.message).toContain("duplicate edge id 'e1'");
  });

  it('refuses an empty id', () => {
    expect(onlyIssue(parse(doc([node('')]))).path).toBe('nodes[0].id');
  });
});

describe('edge ends and ports', () => {
  it('refuses an edge from a missing node', () => {
    const issue = onlyIssue(parse(doc([node('b', 'test.add')], [edge('e1', 'ghost', 'out', 'b', 'a')])));
    expect(issue).toMatchObject({ path: 'edges[0]', edgeId: 'e1' });
    expect(issue.message).toContain("source node 'ghost' does not exist");
  });

  it('refuses an edge to a missing node', () => {
    const issue = onlyIssue(parse(doc([node('a')], [edge('e1', 'a', 'out', 'ghost', 'a')])));
    expect(issue).toMatchObject({ path: 'edges[0]', edgeId: 'e1' });
    expect(issue.message).toContain("target node 'ghost' does not exist");
  });

  it('reports both missing ends of an edge', () => {
    const issues = issuesOf(parse(doc([], [edge('e1', 'x', 'out', 'y', 'a')])));
    expect(issues.map((i) => i.message)).toEqual(["source node 'x' does not exist", "target node 'y' does not exist"]);
  });

  it('refuses an edge to a missing input, listing the inputs that exist', () => {
    const issue = onlyIssue(parse(doc([node('a'), node('s', 'test.sum')], [edge('e1', 'a', 'out', 's', 'value')])));
    expect(issue).toMatchObject({ path: 'edges[0]', edgeId: 'e1' });
    expect(issue.message).toContain("node 's' (test.sum) has no input 'value'");
    expect(issue.message).toContain("its inputs are 'values', 'extra'");
  });

  it('refuses an edge from a missing output, listing the outputs that exist', () => {
    const issue = onlyIssue(parse(doc([node('a'), node('b', 'test.add')], [edge('e1', 'a', 'spins', 'b', 'a')])));
    expect(issue.message).toContain("node 'a' (test.source) has no output 'spins'; its outputs are 'out'");
  });

  it('says when a node has no inputs at all', () => {
    const issue = onlyIssue(parse(doc([node('a'), node('b')], [edge('e1', 'a', 'out', 'b', 'in')])));
    expect(issue.message).toContain("has no input 'in'; its inputs are none");
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('does not take %s for a port', (port) => {
    const edges = [edge('e1', 'a', port, 'b', 'a'), edge('e2', 'a', 'out', 'b', port)];
    const issues = issuesOf(parse(doc([node('a'), node('b', 'test.add')], edges)));
    expect(issues.map((i) => i.message)).toEqual([
      `node 'a' (test.source) has no output '${port}'; its outputs are 'out'`,
      `node 'b' (test.add) has no input '${port}'; its inputs are 'a'`,
    ]);
  });

  it('refuses a tensor output into a table input, naming both ends and the types', () => {
    const issue = onlyIssue(
      parse(doc([node('src'), node('sink', 'test.table-sink')], [edge('e1', 'src', 'out', 'sink', 'table')])),
    );
    expect(issue).toMatchObject({ path: 'edges[0]', edgeId: 'e1' });
    expect(issue.message).toContain("cannot connect 'src'.out to 'sink'.table");
    expect(issue.message).toContain('a tensor output cannot feed a table input');
  });

  it('accepts spins into a tensor input', () => {
    const graph = loaded(
      parse(doc([node('s', 'test.spins'), node('b', 'test.add')], [edge('e1', 's', 'spins', 'b', 'a')])),
    );
    expect(graph.edges).toHaveLength(1);
  });

  it('checkEdge lists nothing for a sound edge', () => {
    const nodes = new Map(loaded(parse(doc([node('a'), node('b', 'test.add')]))).nodes.map((n) => [n.id, n]));
    expect(checkEdge(edge('e1', 'a', 'out', 'b', 'a'), nodes, registry)).toEqual([]);
    expect(checkEdge(edge('e1', 'b', 'out', 'a', 'a'), nodes, registry)).toHaveLength(1);
  });
});

describe('how many edges an input takes', () => {
  it('refuses two edges into an input that is not many, naming both', () => {
    const edges = [edge('e1', 'a', 'out', 'c', 'a'), edge('e2', 'b', 'out', 'c', 'a')];
    const issue = onlyIssue(parse(doc([node('a'), node('b'), node('c', 'test.add')], edges)));
    expect(issue).toMatchObject({ path: 'edges[1]', edgeId: 'e2' });
    expect(issue.message).toContain("input 'c'.a takes one edge but has 2 ('e1', 'e2')");
  });

  it('accepts several edges into a many input', () => {
    const edges = ['a', 'b', 'c'].map((id, i) => edge(`e${i}`, id, 'out', 's', 'values'));
    const graph = loaded(parse(doc([node('a'), node('b'), node('c'), node('s', 'test.sum')], edges)));
    expect(graph.edges).toHaveLength(3);
  });

  it('still limits the other, optional input of the same node to one edge', () => {
    const edges = [
      edge('e1', 'a', 'out', 's', 'extra'),
      edge('e2', 'a', 'out', 's', 'values'),
      edge('e3', 'b', 'out', 's', 'extra'),
    ];
    const issue = onlyIssue(parse(doc([node('a'), node('b'), node('s', 'test.sum')], edges)));
    expect(issue).toMatchObject({ path: 'edges[2]', edgeId: 'e3' });
    expect(issue.message).toContain("input 's'.extra takes one edge but has 2 ('e1', 'e3')");
  });
});

describe('cycles', () => {
  it('refuses a cycle, naming it', () => {
    const edges = [edge('e1', 'a', 'out', 'b', 'a'), edge('e2', 'b', 'out', 'a', 'a')];
    const issue = onlyIssue(parse(doc([node('a', 'test.add'), node('b', 'test.add')], edges)));
    expect(issue.path).toBe('edges');
    expect(issue.message).toContain('the graph has a cycle: a → b → a');
  });

  it('names a longer cycle in order, without the node that leads into it', () => {
    const nodes = [
      node('src'),
      node('a', 'test.add'),
      node('b', 'test.add'),
      node('c', 'test.add'),
      node('s', 'test.sum'),
    ];
    const edges = [
      edge('in', 'src', 'out', 's', 'values'),
      ...chain(['a', 'b', 'c']),
      edge('e3', 'c', 'out', 's', 'values'),
      edge('e4', 's', 'out', 'a', 'a'),
    ];
    const issue = onlyIssue(parse(doc(nodes, edges)));
    expect(issue.message).toContain('the graph has a cycle: s → a → b → c → s');
    expect(issue.message).not.toContain('src');
  });

  it('refuses a self-loop', () => {
    const issue = onlyIssue(parse(doc([node('a', 'test.add')], [edge('e1', 'a', 'out', 'a', 'a')])));
    expect(issue.path).toBe('edges');
    expect(issue.message).toContain('cycle: a → a');
  });

  it('accepts a diamond, which is not a cycle', () => {
    const nodes = [node('src'), node('l', 'test.add'), node('r', 'test.add'), node('s', 'test.sum')];
    const edges = [
      edge('e1', 'src', 'out', 'l', 'a'),
      edge('e2', 'src', 'out', 'r', 'a'),
      edge('e3', 'l', 'out', 's', 'values'),
      edge('e4', 'r', 'out', 's', 'values'),
    ];
    expect(loaded(parse(doc(nodes, edges))).edges).toHaveLength(4);
  });

  it('findCycle walks a 5,000-node chain without overflowing the stack', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `n${i}`);
    expect(findCycle(ids, chain(ids))).toBeNull();
    const cycle = findCycle(ids, [...chain(ids), edge('back', 'n4999', 'out', 'n0', 'a')]);
    expect(cycle).toHaveLength(5001);
    expect(cycle?.[0]).toBe('n0');
    expect(cycle?.[4999]).toBe('n4999');
    expect(cycle?.[5000]).toBe('n0');
  });

  it('findCycle finds a cycle reached late in the walk and ignores edges to unknown nodes', () => {
    const edges = [
      edge('e1', 'a', 'out', 'ghost', 'a'),
      edge('e2', 'c', 'out', 'd', 'a'),
      edge('e3', 'd', 'out', 'c', 'a'),
    ];
    expect(findCycle(['a', 'b', 'c', 'd'], edges)).toEqual(['c', 'd', 'c']);
    expect(findCycle(['a', 'b'], edges.slice(0, 1))).toBeNull();
  });
});

describe('validateGraph', () => {
  it('reports every structural problem together', () => {
    const nodes = [node('a', 'test.add'), node('b', 'test.add'), node('a')];
    const edges = [
      edge('e1', 'a', 'out', 'b', 'a'),
      edge('e2', 'b', 'out', 'a', 'a'),
      edge('e3', 'a', 'out', 'nowhere', 'a'),
    ];
    const issues = issuesOf(parse(doc(nodes, edges)));
    expect(issues.map((i) => i.path)).toEqual(['nodes[2].id', 'edges[2]', 'edges']);
    expect(issues[1].message).toContain("target node 'nowhere' does not exist");
    expect(issues[2].message).toContain('a → b → a');
  });

  it('checks a graph built in code, and passes a sound one', () => {
    const graph = loaded(parse(doc([node('a'), node('b', 'test.add')], [edge('e1', 'a', 'out', 'b', 'a')])));
    expect(validateGraph(graph, registry)).toEqual([]);
    const edited: GraphDocument = { ...graph, edges: [...graph.edges, edge('e2', 'a', 'out', 'b', 'a')] };
    expect(validateGraph(edited, registry)).toEqual([
      { path: 'edges[1]', edgeId: 'e2', message: "input 'b'.a takes one edge but has 2 ('e1', 'e2')" },
    ]);
  });
});
