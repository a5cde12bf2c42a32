/** Writing a graph file: stable, pretty, diffable JSON — the same graph always gives the same bytes. */
import type { GraphDocument, GraphEdge, GraphMeta, GraphNode } from './document';

/** Sorts object keys recursively, so params written in any order serialise the same way. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

function writeMeta(meta: GraphMeta): Record<string, unknown> {
  const { title, description, app, ...rest } = meta;
  return { title, description, app, ...(sortKeys(rest) as Record<string, unknown>) };
}

function writeNode(node: GraphNode): unknown {
  if (node.placeholder) return node.placeholder.raw; // an unknown type goes back exactly as it came
  return {
    id: node.id,
    type: node.type,
    typeVersion: node.typeVersion,
    position: { x: node.position.x, y: node.position.y },
    label: node.label,
    params: sortKeys(node.params),
  };
}

function writeEdge(edge: GraphEdge): unknown {
  const { id, source, sourcePort, target, targetPort } = edge;
  return { id, source, sourcePort, target, targetPort };
}

export function serializeGraph(graph: GraphDocument): string {
  const doc = {
    format: graph.format,
    version: graph.version,
    meta: writeMeta(graph.meta),
    nodes: graph.nodes.map(writeNode),
    edges: graph.edges.map(writeEdge),
    view: graph.view && { x: graph.view.x, y: graph.view.y, zoom: graph.view.zoom },
  };
  // JSON.stringify drops undefined fields, so optional ones simply do not appear.
  return JSON.stringify(doc, null, 2) + '\n';
}
