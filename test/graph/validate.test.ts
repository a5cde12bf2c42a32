import { describe, expect, it } from 'vitest';
import type { GraphDocument, GraphEdge } from '../../src/graph/document';
import { checkEdge, edgeProblems, findCycle, validateGraph } from '../../src/graph/validate';
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

describe('edgeProblems', () => {
  // src -> a1 -> a2, and a sum node with a many input and a one-edge optional input
  const base = (): GraphDocument =>
    loaded(
      parse(
        doc(
          [
            node('src'),
            node('a1', 'test.add'),
            node('a2', 'test.add'),
            node('s', 'test.sum'),
            node('t', 'test.table-sink'),
          ],
          [
            edge('e1', 'src', 'out', 'a1', 'a'),
            edge('e2', 'a1', 'out', 'a2', 'a'),
            edge('e3', 'src', 'out', 's', 'extra'),
          ],
        ),
      ),
    );
  const wire = (source: string, sourcePort: string, target: string, targetPort: string, id?: string) => ({
    source,
    sourcePort,
    target,
    targetPort,
    ...(id === undefined ? {} : { id }),
  });

  it('lists nothing for an edge that may be added, with or without an id', () => {
    const graph = base();
    expect(edgeProblems(graph, wire('a2', 'out', 's', 'values'), registry)).toEqual([]);
    expect(edgeProblems(graph, wire('a2', 'out', 's', 'values', 'new'), registry)).toEqual([]);
    expect(edgeProblems(graph, wire('src', 'out', 's', 'values'), registry)).toEqual([]); // many
  });

  it('refuses an id the graph already has', () => {
    expect(edgeProblems(base(), wire('a2', 'out', 's', 'values', 'e1'), registry)).toEqual(["duplicate edge id 'e1'"]);
  });

  it('refuses missing ends, naming both', () => {
    expect(edgeProblems(base(), wire('ghost', 'out', 'phantom', 'a'), registry)).toEqual([
      "source node 'ghost' does not exist",
      "target node 'phantom' does not exist",
    ]);
  });

  it('refuses unknown ports, listing the ones that exist', () => {
    expect(edgeProblems(base(), wire('a2', 'spins', 's', 'value'), registry)).toEqual([
      "node 'a2' (test.add) has no output 'spins'; its outputs are 'out'",
      "node 's' (test.sum) has no input 'value'; its inputs are 'values', 'extra'",
    ]);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('does not take %s for a port', (port) => {
    const graph = base();
    expect(edgeProblems(graph, wire('a2', port, 's', 'values'), registry)).toEqual([
      `node 'a2' (test.add) has no output '${port}'; its outputs are 'out'`,
    ]);
    expect(edgeProblems(graph, wire('a2', 'out', 's', port), registry)).toEqual([
      `node 's' (test.sum) has no input '${port}'; its inputs are 'values', 'extra'`,
    ]);
  });

  it('refuses incompatible port types, saying what the input accepts', () => {
    expect(edgeProblems(base(), wire('a2', 'out', 't', 'table'), registry)).toEqual([
      "cannot connect 'a2'.out to 't'.table: a tensor output cannot feed a table input (it accepts table)",
    ]);
  });

  it('refuses a second edge into a one-edge input, naming the edge that has it', () => {
    const graph = base();
    expect(edgeProblems(graph, wire('a2', 'out', 's', 'extra'), registry)).toEqual([
      "input 's'.extra already has an edge ('e3') and takes only one",
    ]);
    const freed = { ...graph, edges: graph.edges.filter((e) => e.id !== 'e3') };
    expect(edgeProblems(freed, wire('a2', 'out', 's', 'extra'), registry)).toEqual([]);
  });

  it('refuses a self-loop and an edge that closes a cycle, naming the cycle in order', () => {
    const graph = base();
    expect(edgeProblems(graph, wire('s', 'out', 's', 'values'), registry)).toEqual([
      'this edge would make a cycle: s → s',
    ]);
    const looped = edgeProblems(
      { ...graph, edges: [...graph.edges, edge('e4', 'a2', 'out', 's', 'values')] },
      wire('s', 'out', 'a1', 'a'),
      registry,
    );
    expect(looped).toEqual([
      "input 'a1'.a already has an edge ('e1') and takes only one",
      'this edge would make a cycle: a1 → a2 → s → a1',
    ]);
  });

  it('takes no port names, counts or types of a placeholder on trust, but still sees its cycles', () => {
    const graph = base();
    const ghost = { ...graph.nodes[0], id: 'ghost', type: 'future.node', placeholder: { raw: {} } };
    const withGhost = {
      ...graph,
      nodes: [...graph.nodes, ghost],
      edges: [...graph.edges, edge('g1', 'a2', 'out', 'ghost', 'in')],
    };
    expect(edgeProblems(withGhost, wire('ghost', 'anything', 's', 'values'), registry)).toEqual([]);
    expect(edgeProblems(withGhost, wire('ghost', 'anything', 'a1', 'x'), registry)).toEqual([
      "node 'a1' (test.add) has no input 'x'; its inputs are 'a'",
      'this edge would make a cycle: a1 → a2 → ghost → a1',
    ]);
  });

  it('answers in well under a millisecond per call on a 300-node graph with many edges', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `n${i}`);
    const graph = loaded(
      parse(
        doc(
          [node('src'), ...ids.map((id) => node(id, 'test.sum'))],
          [
            ...ids.map((id, i) => edge(`x${i}`, 'src', 'out', id, 'values')),
            ...ids.slice(1).map((id, i) => edge(`c${i}`, ids[i], 'out', id, 'values')),
          ],
        ),
      ),
    );
    expect(edgeProblems(graph, wire('n299', 'out', 'n0', 'values'), registry)).toEqual([
      `this edge would make a cycle: ${[...ids, 'n0'].join(' → ')}`,
    ]);
    const started = performance.now();
    for (let i = 0; i < 200; i++) edgeProblems(graph, wire(`n${i}`, 'out', `n${299 - i}`, 'values'), registry);
    expect((performance.now() - started) / 200).toBeLessThan(1);
  });
});

describe('validateGraph on a large graph', () => {
  it('checks 20,000 edges in linear time, with the same messages', () => {
    // 16,000 edges into one many input, and 2,000 one-edge inputs with two edges each: 20,000, the most allowed
    const n = 2000;
    const ids = Array.from({ length: n }, (_, i) => `n${i}`);
    const edges = [
      ...Array.from({ length: 16_000 }, (_, i) => edge(`m${i}`, 'src', 'out', 'sum', 'values')),
      ...ids.flatMap((id) => [edge(`${id}-1`, 'src', 'out', id, 'a'), edge(`${id}-2`, 'src', 'out', id, 'a')]),
    ];
    const templates = loaded(parse(doc([node('src'), node('sum', 'test.sum'), node('add', 'test.add')]))).nodes;
    const graph: GraphDocument = {
      format: 'blockspin.graph',
      version: 1,
      meta: {},
      nodes: [templates[0], templates[1], ...ids.map((id) => ({ ...templates[2], id }))],
      edges,
    };
    const started = performance.now();
    const issues = validateGraph(graph, registry);
    expect(performance.now() - started).toBeLessThan(300);
    expect(issues).toHaveLength(n);
    expect(issues[0]).toEqual({
      path: 'edges[16001]',
      edgeId: 'n0-2',
      message: "input 'n0'.a takes one edge but has 2 ('n0-1', 'n0-2')",
    });
    expect(issues[n - 1].path).toBe(`edges[${edges.length - 1}]`);
  });

  it('refuses more than 20,000 edges, and an edge added to a graph that has them', () => {
    const edges = Array.from({ length: 20_001 }, (_, i) => edge(`m${i}`, 'src', 'out', 'sum', 'values'));
    const issues = issuesOf(parse(doc([node('src'), node('sum', 'test.sum')], edges)));
    expect(issues).toEqual([{ path: 'edges', message: 'the graph has 20001 edges; at most 20000 are allowed' }]);
    const full = loaded(parse(doc([node('src'), node('sum', 'test.sum')], edges.slice(1))));
    expect(
      edgeProblems(full, { source: 'src', sourcePort: 'out', target: 'sum', targetPort: 'values' }, registry),
    ).toEqual(['the graph has 20000 edges, the most allowed']);
  });
});
