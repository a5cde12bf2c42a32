/**
 * Copy and paste of a selection as JSON text, so it works between tabs and windows (and through any
 * text editor): the same node and edge shapes as a graph file, checked the same way when pasted.
 */
import { GRAPH_VERSION, type GraphDocument, type GraphEdge, type GraphNode } from '../graph/document';
import { formatIssue } from '../graph/errors';
import { decodeGraph } from '../graph/parse';
import type { NodeRegistry } from '../graph/registry';
import { serializeGraph } from '../graph/serialize';

export const CLIPBOARD_FORMAT = 'blockspin.clipboard';

/** The selected nodes and the edges between them, as clipboard text. */
export function copySelection(graph: GraphDocument, ids: ReadonlySet<string>): string {
  const nodes = graph.nodes.filter((n) => ids.has(n.id));
  const edges = graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const asFile = JSON.parse(serializeGraph({ ...graph, nodes, edges, meta: {} }));
  return JSON.stringify({ format: CLIPBOARD_FORMAT, version: 1, nodes: asFile.nodes, edges: asFile.edges });
}

/** Nodes and edges from clipboard text, validated as a graph; null when the text is not Blockspin's. */
export function readClipboard(
  text: string,
  registry: NodeRegistry,
): { nodes: GraphNode[]; edges: GraphEdge[] } | { error: string } | null {
  let json: { format?: unknown; nodes?: unknown; edges?: unknown };
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (json?.format !== CLIPBOARD_FORMAT) return null;
  const decoded = decodeGraph(
    { format: 'blockspin.graph', version: GRAPH_VERSION, meta: {}, nodes: json.nodes, edges: json.edges },
    registry,
  );
  if (!decoded.ok) return { error: decoded.issues.map(formatIssue).join('; ') };
  return { nodes: decoded.graph.nodes, edges: decoded.graph.edges };
}
