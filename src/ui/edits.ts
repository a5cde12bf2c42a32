/** Edits of a graph document, as pure functions: the canvas applies them and records each in the history. */
import type { GraphDocument, GraphEdge, GraphNode, Position } from '../graph/document';
import type { NodeRegistry } from '../graph/registry';

/** An id not yet used in the graph, from a base such as the node type's last word. */
export function freshId(graph: GraphDocument, base: string): string {
  const taken = new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
  const stem = base.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'node';
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

export function addNode(
  graph: GraphDocument,
  registry: NodeRegistry,
  type: string,
  position: Position,
): { graph: GraphDocument; id: string } {
  const definition = registry.get(type);
  if (!definition) throw new Error(`unknown node type '${type}'`);
  const id = freshId(graph, type.split('.').pop()!);
  const node: GraphNode = {
    id,
    type,
    typeVersion: definition.version,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    params: definition.params.parse({}) as Record<string, unknown>,
  };
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

export function removeNodes(graph: GraphDocument, ids: ReadonlySet<string>): GraphDocument {
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !ids.has(n.id)),
    edges: graph.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
  };
}

export function removeEdges(graph: GraphDocument, ids: ReadonlySet<string>): GraphDocument {
  return { ...graph, edges: graph.edges.filter((e) => !ids.has(e.id)) };
}

export function addEdge(graph: GraphDocument, edge: Omit<GraphEdge, 'id'>): GraphDocument {
  return { ...graph, edges: [...graph.edges, { id: freshId(graph, 'e'), ...edge }] };
}

function updateNode(graph: GraphDocument, id: string, change: (node: GraphNode) => GraphNode): GraphDocument {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

export function moveNodes(graph: GraphDocument, positions: ReadonlyMap<string, Position>): GraphDocument {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = positions.get(n.id);
      return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
    }),
  };
}

export function setParams(graph: GraphDocument, id: string, params: Record<string, unknown>): GraphDocument {
  return updateNode(graph, id, (n) => ({ ...n, params }));
}

export function setLabel(graph: GraphDocument, id: string, label: string): GraphDocument {
  return updateNode(graph, id, (n) => {
    const { label: _old, ...rest } = n;
    return label.trim() ? { ...rest, label } : rest;
  });
}

/** Copies of the given nodes (and the edges among them) with fresh ids, offset so they do not overlap. */
export function duplicate(
  graph: GraphDocument,
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  offset = 40,
): { graph: GraphDocument; ids: string[] } {
  let next = graph;
  const renamed = new Map<string, string>();
  for (const node of nodes) {
    const id = freshId(next, node.id.replace(/-\d+$/, ''));
    renamed.set(node.id, id);
    next = {
      ...next,
      nodes: [
        ...next.nodes,
        { ...structuredClone(node), id, position: { x: node.position.x + offset, y: node.position.y + offset } },
      ],
    };
  }
  for (const edge of edges) {
    const [source, target] = [renamed.get(edge.source), renamed.get(edge.target)];
    if (source && target)
      next = addEdge(next, { source, sourcePort: edge.sourcePort, target, targetPort: edge.targetPort });
  }
  return { graph: next, ids: [...renamed.values()] };
}
