/** The graph document: what a `*.blockspin.json` file holds, once loaded. */

export const GRAPH_FORMAT = 'blockspin.graph';
/**
 * The newest file format version this app reads and writes. Version 2 added frames and notes, and
 * keeps fields it does not know (see `ExtraFields`); version 1 files migrate on load.
 */
export const GRAPH_VERSION = 2;
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_NODES = 5000;
export const MAX_EDGES = 20_000;
/** How deeply objects and arrays may nest in a graph file (the deepest in a real file is about 5). */
export const MAX_DEPTH = 64;
/** The longest text a note may hold, in UTF-16 units. */
export const MAX_NOTE_CHARS = 2000;

export interface Position {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/**
 * Fields of a version-2 file that this app does not know (written by a slightly newer Blockspin),
 * by name, as read. They are kept on the object they were found on and written back after the known
 * fields, so such a file survives open → save here. Editing code that copies an object with spread
 * keeps them; code that builds one afresh drops them.
 */
export type ExtraFields = Record<string, unknown>;

export interface GraphNode {
  id: string;
  type: string;
  typeVersion: number;
  position: Position;
  label?: string;
  /** Validated against the node type's schema, defaults filled in (as read, for placeholders). */
  params: Record<string, unknown>;
  /** Unknown fields of a known node type; a placeholder keeps its unknown fields in `placeholder.raw`. */
  extra?: ExtraFields;
  /**
   * Set when the type is unknown to this app: the node is shown and can be moved, renamed and copied,
   * but never run. `raw` is the node as read less what the app owns (`id`, `position`, `label`, which
   * are written from this GraphNode): its type, typeVersion, params and every other field, written
   * back unchanged.
   */
  placeholder?: { raw: Record<string, unknown> };
}

export interface GraphEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
  extra?: ExtraFields;
}

/**
 * A titled, coloured rectangle on the canvas ("RG branch"). Which nodes it holds is not stored: it is
 * derived from geometry (see `nodesInFrame`), so moving a node in or out needs no bookkeeping.
 */
export interface GraphFrame {
  /** Unique across nodes, frames and notes. */
  id: string;
  title: string;
  /** A CSS hex colour: '#dbeafe', '#abc', or with alpha '#dbeafe80'. */
  color: string;
  /** The top-left corner, in the same flow coordinates as node positions. */
  position: Position;
  size: Size;
  extra?: ExtraFields;
}

/** Short text on the canvas. */
export interface GraphNote {
  /** Unique across nodes, frames and notes. */
  id: string;
  /** At most MAX_NOTE_CHARS characters. */
  text: string;
  position: Position;
  /** The note's width in flow units; the canvas picks one when it is not set. */
  width?: number;
  extra?: ExtraFields;
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
  extra?: ExtraFields;
}

export interface GraphDocument {
  format: typeof GRAPH_FORMAT;
  /**
   * The format version. A parsed document is always at GRAPH_VERSION (older files migrate on load),
   * and serializeGraph always writes GRAPH_VERSION, since it writes the current layout.
   */
  version: number;
  meta: GraphMeta;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Canvas furniture: absent or empty when there is none (an empty list is not written). */
  frames?: GraphFrame[];
  notes?: GraphNote[];
  view?: GraphView;
  /** Unknown top-level fields of a version-2 file. */
  extra?: ExtraFields;
}

export function emptyGraph(title = 'Untitled'): GraphDocument {
  return { format: GRAPH_FORMAT, version: GRAPH_VERSION, meta: { title }, nodes: [], edges: [] };
}
