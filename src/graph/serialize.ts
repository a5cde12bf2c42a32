/** Writing a graph file: stable, pretty, diffable JSON — the same graph always gives the same bytes. */
import {
  GRAPH_VERSION,
  type ExtraFields,
  type GraphDocument,
  type GraphEdge,
  type GraphFrame,
  type GraphMeta,
  type GraphNode,
  type GraphNote,
  type GraphView,
  type Position,
} from './document';

/**
 * Sorts object keys recursively, so params written in any order serialise the same way. Builds with
 * Object.fromEntries, so that a key named `__proto__` stays a plain field instead of a prototype.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortKeys(record[key])]),
  );
}

/**
 * The known fields in their fixed order, then the unknown ones (`extra`) sorted by name. An unknown
 * field never overrides a known one of the same name.
 */
function withExtra(known: Record<string, unknown>, extra: ExtraFields | undefined): Record<string, unknown> {
  if (!extra) return known;
  const unknown = Object.keys(extra)
    .filter((key) => !Object.hasOwn(known, key))
    .sort()
    .map((key) => [key, sortKeys(extra[key])]);
  return unknown.length ? { ...known, ...Object.fromEntries(unknown) } : known;
}

function writePosition(position: Position): Position {
  return { x: position.x, y: position.y };
}

function writeMeta(meta: GraphMeta): Record<string, unknown> {
  const { title, description, app, ...rest } = meta;
  return { title, description, app, ...(sortKeys(rest) as Record<string, unknown>) };
}

/**
 * A node of an unknown type: what the app owns (id, position, label) from the node as it is now, so a
 * moved, renamed or duplicated placeholder is written as such; everything else from `raw`, verbatim
 * and in the order it was read (this app cannot know which order the newer one prefers).
 */
function writePlaceholder(node: GraphNode, raw: Record<string, unknown>): unknown {
  const { id: _id, position: _position, label: _label, type, typeVersion, params, ...rest } = raw;
  return {
    id: node.id,
    type,
    typeVersion,
    position: writePosition(node.position),
    label: node.label,
    params,
    ...rest,
  };
}

function writeNode(node: GraphNode): unknown {
  if (node.placeholder) return writePlaceholder(node, node.placeholder.raw);
  return withExtra(
    {
      id: node.id,
      type: node.type,
      typeVersion: node.typeVersion,
      position: writePosition(node.position),
      label: node.label,
      params: sortKeys(node.params),
    },
    node.extra,
  );
}

function writeEdge(edge: GraphEdge): unknown {
  const { id, source, sourcePort, target, targetPort } = edge;
  return withExtra({ id, source, sourcePort, target, targetPort }, edge.extra);
}

function writeFrame(frame: GraphFrame): unknown {
  const { id, title, color } = frame;
  const size = { width: frame.size.width, height: frame.size.height };
  return withExtra({ id, title, color, position: writePosition(frame.position), size }, frame.extra);
}

function writeNote(note: GraphNote): unknown {
  const { id, text, width } = note;
  return withExtra({ id, text, position: writePosition(note.position), width }, note.extra);
}

function writeView(view: GraphView): unknown {
  return withExtra({ x: view.x, y: view.y, zoom: view.zoom }, view.extra);
}

/** A list of canvas furniture, or nothing for none: files without frames or notes stay as they were. */
function writeList<T>(items: readonly T[] | undefined, write: (item: T) => unknown): unknown[] | undefined {
  return items?.length ? items.map(write) : undefined;
}

/** The file's text, always in the current format version (the document in memory is in its layout). */
export function serializeGraph(graph: GraphDocument): string {
  const doc = withExtra(
    {
      format: graph.format,
      version: GRAPH_VERSION,
      meta: writeMeta(graph.meta),
      nodes: graph.nodes.map(writeNode),
      edges: graph.edges.map(writeEdge),
      frames: writeList(graph.frames, writeFrame),
      notes: writeList(graph.notes, writeNote),
      view: graph.view && writeView(graph.view),
    },
    graph.extra,
  );
  // JSON.stringify drops undefined fields, so optional ones simply do not appear.
  return JSON.stringify(doc, null, 2) + '\n';
}
