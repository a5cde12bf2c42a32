import { describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { emptyGraph } from '../../src/graph/document';
import { copySelection, readClipboard } from '../../src/editor/clipboard';
import * as edits from '../../src/editor/edits';

const registry = appRegistry();

function twoNodes() {
  let graph = edits.addNode(emptyGraph(), registry, 'ising.lattice', { x: 0, y: 0 }).graph;
  graph = edits.addNode(graph, registry, 'measure.observables', { x: 300, y: 0 }).graph;
  graph = edits.setParams(graph, 'lattice', { ...graph.nodes[0].params, L: 16 });
  return edits.addEdge(graph, { source: 'lattice', sourcePort: 'spins', target: 'observables', targetPort: 'spins' });
}

describe('clipboard', () => {
  it('copies the selection with the edges inside it and reads it back', () => {
    const graph = twoNodes();
    const text = copySelection(graph, new Set(['lattice', 'observables']));
    const read = readClipboard(text, registry);
    expect(read && 'nodes' in read && read.nodes.map((n) => n.id)).toEqual(['lattice', 'observables']);
    expect(read && 'edges' in read && read.edges).toHaveLength(1);
    expect(read && 'nodes' in read && read.nodes[0].params.L).toBe(16);
    const one = readClipboard(copySelection(graph, new Set(['observables'])), registry);
    expect(one && 'edges' in one && one.edges).toEqual([]);
  });

  it('ignores text that is not Blockspin clipboard data and names the problem in damaged data', () => {
    expect(readClipboard('hello', registry)).toBeNull();
    expect(readClipboard('{"format": "something else"}', registry)).toBeNull();
    const bad = copySelection(twoNodes(), new Set(['lattice'])).replace('"L":16', '"L":1');
    expect(readClipboard(bad, registry)).toEqual({ error: expect.stringContaining('nodes[0].params.L') });
  });
});
