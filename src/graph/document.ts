/** The graph document: what a `*.blockspin.json` file holds, once loaded. */

export const GRAPH_FORMAT = 'blockspin.graph';
/** The newest file format version this app reads and writes. */
export const GRAPH_VERSION = 1;
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_NODES = 5000;

export interface Position {
  x: number;
  y: number;
}

export interface GraphNode {
  id: string;
  type: string;
  typeVersion: number;
  position: Position;
  label?: string;
  /** Validated against the node type's schema, defaults filled in (raw for placeholders). */
  params: Record<string, unknown>;
  /**
   * Set when the type is unknown to this app: the node is shown but never run, and `raw` (the node
   * exactly as read) is written back unchanged.
   */
  placeholder?: { raw: Record<string, unknown> };
}

export interface GraphEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

export interface GraphMeta {
  title?: string;
  description?: string;
  app?: string;
  [key: string]: unknown;
}

export interface GraphView {
  x: number;
  y: number;
  zoom: number;
}

export interface GraphDocument {
  format: typeof GRAPH_FORMAT;
  version: typeof GRAPH_VERSION;
  meta: GraphMeta;
  nodes: GraphNode[];
  edges: GraphEdge[];
  view?: GraphView;
}

export function emptyGraph(title = 'Untitled'): GraphDocument {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, meta: { title }, nodes: [], edges: [] };
}
