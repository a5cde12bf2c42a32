import { describe, expect, it } from 'vitest';
import type { GraphDocument, GraphFrame, GraphNode } from '../../src/graph/document';
import { emptyGraph } from '../../src/graph/document';
import { canvasIdIssues, itemsInFrame, nodesInFrame } from '../../src/graph/frames';

const at = (id: string, x: number, y: number): GraphNode => ({
  id,
  type: 'test.source',
  typeVersion: 1,
  position: { x, y },
  params: {},
});

const box = (id: string, x: number, y: number, width: number, height: number): GraphFrame => ({
  id,
  title: id,
  color: '#dbeafe',
  position: { x, y },
  size: { width, height },
});

function graph(nodes: GraphNode[], frames: GraphFrame[]): GraphDocument {
  return { ...emptyGraph(), nodes, frames };
}

describe('nodesInFrame', () => {
  const rg = box('rg', 0, 0, 200, 100);
  const rbm = box('rbm', 200, 0, 200, 100);

  it('lists the nodes whose position lies in the frame, in graph order', () => {
    const g = graph([at('c', 150, 90), at('out', 500, 50), at('a', 10, 10), at('above', 10, -1)], [rg, rbm]);
    expect(nodesInFrame(g, 'rg')).toEqual(['c', 'a']);
  });

  it('counts the top and left edges in, the bottom and right edges out, so shared edges are not shared', () => {
    const g = graph([at('corner', 0, 0), at('right', 200, 50), at('bottom', 50, 100), at('far', 200, 100)], [rg, rbm]);
    expect(nodesInFrame(g, 'rg')).toEqual(['corner']);
    expect(nodesInFrame(g, 'rbm')).toEqual(['right']);
  });

  it('puts a node in a nested frame into both', () => {
    const inner = box('inner', 20, 20, 50, 50);
    const g = graph([at('n', 30, 30), at('m', 150, 30)], [rg, inner]);
    expect(nodesInFrame(g, 'rg')).toEqual(['n', 'm']);
    expect(nodesInFrame(g, 'inner')).toEqual(['n']);
  });

  it('follows the geometry: a moved node leaves, a moved frame gathers', () => {
    const g = graph([at('n', 10, 10)], [rg]);
    g.nodes[0] = { ...g.nodes[0], position: { x: 300, y: 10 } };
    expect(nodesInFrame(g, 'rg')).toEqual([]);
    g.frames = [{ ...rg, position: { x: 250, y: 0 } }];
    expect(nodesInFrame(g, 'rg')).toEqual(['n']);
  });

  it('gives nothing for an unknown frame id or a graph without frames', () => {
    expect(nodesInFrame(graph([at('n', 10, 10)], [rg]), 'nope')).toEqual([]);
    expect(nodesInFrame({ ...emptyGraph(), nodes: [at('n', 0, 0)] }, 'rg')).toEqual([]);
  });
});

describe('itemsInFrame', () => {
  it('lists the nodes, then the notes, inside the frame, by the same rule', () => {
    const g: GraphDocument = {
      ...graph([at('out', 300, 0), at('a', 10, 10)], [box('rg', 0, 0, 200, 100), box('inner', 5, 5, 10, 10)]),
      notes: [
        { id: 'n', text: 'inside', position: { x: 199, y: 99 } },
        { id: 'edge', text: 'on the right edge', position: { x: 200, y: 50 } },
      ],
    };
    expect(itemsInFrame(g, 'rg')).toEqual(['a', 'n']);
    expect(nodesInFrame(g, 'rg')).toEqual(['a']);
    expect(itemsInFrame(g, 'nope')).toEqual([]);
  });
});

describe('canvasIdIssues', () => {
  it('is empty for distinct ids, and leaves node-node duplicates to validateGraph', () => {
    expect(canvasIdIssues(graph([at('a', 0, 0), at('a', 1, 1)], [box('f', 0, 0, 1, 1)]))).toEqual([]);
  });

  it('names the frame or note whose id is taken, and by what', () => {
    const g: GraphDocument = {
      ...graph([at('a', 0, 0)], [box('a', 0, 0, 1, 1), box('f', 0, 0, 1, 1)]),
      notes: [{ id: 'f', text: '', position: { x: 0, y: 0 } }],
    };
    expect(canvasIdIssues(g)).toEqual([
      { path: 'frames[0].id', message: "duplicate id 'a' (also a node)" },
      { path: 'notes[0].id', message: "duplicate id 'f' (also a frame)" },
    ]);
  });
});
