import type { GraphDocument, GraphEdge, GraphNode } from '../../src/graph/document';

/** A node for tests: `node('a', 'test.source', { value: 2 })`. */
export function node(id: string, type: string, params: Record<string, unknown> = {}, label?: string): GraphNode {
  return { id, type, typeVersion: 1, position: { x: 0, y: 0 }, params, ...(label ? { label } : {}) };
}

let edgeCounter = 0;
/** An edge for tests: `edge('a.out', 'b.a')`. */
export function edge(from: string, to: string, id?: string): GraphEdge {
  const [source, sourcePort] = from.split('.');
  const [target, targetPort] = to.split('.');
  return { id: id ?? `e${++edgeCounter}`, source, sourcePort, target, targetPort };
}

export function graph(nodes: GraphNode[], edges: GraphEdge[] = [], title = 'test'): GraphDocument {
  return { format: 'blockspin.graph', version: 1, meta: { title }, nodes, edges };
}
