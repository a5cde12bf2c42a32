/** Edits of a graph document, as pure functions: the editor applies them, each as one step of its history. */
import type { GraphDocument, GraphEdge, GraphFrame, GraphNode, GraphNote, Position } from '../graph/document';
import type { NodeRegistry } from '../graph/registry';
import { portsOf } from '../graph/validate';

/** An id not yet used in the graph, from a base such as the node type's last word. */
export function freshId(graph: GraphDocument, base: string): string {
  const taken = new Set([
    ...graph.nodes.map((n) => n.id),
    ...graph.edges.map((e) => e.id),
    ...(graph.frames ?? []).map((f) => f.id),
    ...(graph.notes ?? []).map((n) => n.id),
  ]);
  // Room is left for a '-<n>' suffix within the 64 characters an id may have.
  const stem =
    base
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 56) || 'node';
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

/** Removes nodes (with every edge at them), frames and notes by id, and edges by id: one edit. */
export function removeItems(
  graph: GraphDocument,
  ids: ReadonlySet<string>,
  edgeIds: ReadonlySet<string>,
): GraphDocument {
  const next: GraphDocument = {
    ...graph,
    nodes: graph.nodes.filter((n) => !ids.has(n.id)),
    edges: graph.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target) && !edgeIds.has(e.id)),
  };
  if (graph.frames) next.frames = graph.frames.filter((f) => !ids.has(f.id));
  if (graph.notes) next.notes = graph.notes.filter((n) => !ids.has(n.id));
  return next;
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

function moved<T extends { id: string; position: Position }>(
  items: T[],
  positions: ReadonlyMap<string, Position>,
): T[] {
  let changed = false;
  const next = items.map((item) => {
    const p = positions.get(item.id);
    if (!p) return item;
    const position = { x: Math.round(p.x), y: Math.round(p.y) };
    if (position.x === item.position.x && position.y === item.position.y) return item;
    changed = true;
    return { ...item, position };
  });
  return changed ? next : items;
}

/** Moves nodes, frames and notes to the given positions (rounded to whole pixels). */
export function moveNodes(graph: GraphDocument, positions: ReadonlyMap<string, Position>): GraphDocument {
  const nodes = moved(graph.nodes, positions);
  const frames = graph.frames && moved(graph.frames, positions);
  const notes = graph.notes && moved(graph.notes, positions);
  if (nodes === graph.nodes && frames === graph.frames && notes === graph.notes) return graph;
  const next: GraphDocument = { ...graph, nodes };
  if (frames) next.frames = frames;
  if (notes) next.notes = notes;
  return next;
}

export function setTitle(graph: GraphDocument, title: string): GraphDocument {
  const trimmed = title.trim() || 'Untitled';
  return trimmed === graph.meta.title ? graph : { ...graph, meta: { ...graph.meta, title: trimmed } };
}

export const FRAME_COLORS = ['#dbeafe', '#dcfce7', '#fef3c7', '#fce7f3', '#ede9fe', '#e5e7eb'] as const;

export function addFrame(
  graph: GraphDocument,
  box: { position: Position; size: { width: number; height: number } },
  title = 'Frame',
): { graph: GraphDocument; id: string } {
  const id = freshId(graph, 'frame');
  const frames = graph.frames ?? [];
  const frame: GraphFrame = {
    id,
    title,
    color: FRAME_COLORS[frames.length % FRAME_COLORS.length],
    position: { x: Math.round(box.position.x), y: Math.round(box.position.y) },
    size: { width: Math.round(box.size.width), height: Math.round(box.size.height) },
  };
  return { graph: { ...graph, frames: [...frames, frame] }, id };
}

export function updateFrame(graph: GraphDocument, id: string, change: Partial<Omit<GraphFrame, 'id'>>): GraphDocument {
  return { ...graph, frames: (graph.frames ?? []).map((f) => (f.id === id ? { ...f, ...change } : f)) };
}

export function addNote(graph: GraphDocument, position: Position, text = 'Note'): { graph: GraphDocument; id: string } {
  const id = freshId(graph, 'note');
  const note: GraphNote = { id, text, position: { x: Math.round(position.x), y: Math.round(position.y) } };
  return { graph: { ...graph, notes: [...(graph.notes ?? []), note] }, id };
}

export function setNoteText(graph: GraphDocument, id: string, text: string): GraphDocument {
  return { ...graph, notes: (graph.notes ?? []).map((n) => (n.id === id ? { ...n, text } : n)) };
}

export type Alignment = 'left' | 'right' | 'top' | 'bottom' | 'center-x' | 'center-y';

/**
 * New positions that line the given boxes up on one edge or centre. Boxes are the nodes' positions and
 * sizes on the canvas (sizes as measured; a node not measured yet counts as a point).
 */
export function alignPositions(
  boxes: readonly { id: string; x: number; y: number; width: number; height: number }[],
  alignment: Alignment,
): Map<string, Position> {
  const out = new Map<string, Position>();
  if (boxes.length < 2) return out;
  const left = Math.min(...boxes.map((b) => b.x));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const top = Math.min(...boxes.map((b) => b.y));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  for (const b of boxes) {
    const p = { x: b.x, y: b.y };
    if (alignment === 'left') p.x = left;
    else if (alignment === 'right') p.x = right - b.width;
    else if (alignment === 'top') p.y = top;
    else if (alignment === 'bottom') p.y = bottom - b.height;
    else if (alignment === 'center-x') p.x = (left + right) / 2 - b.width / 2;
    else p.y = (top + bottom) / 2 - b.height / 2;
    out.set(b.id, p);
  }
  return out;
}

/** Positions that space the boxes evenly (equal gaps) along x or y, the outermost ones staying put. */
export function distributePositions(
  boxes: readonly { id: string; x: number; y: number; width: number; height: number }[],
  axis: 'x' | 'y',
): Map<string, Position> {
  const out = new Map<string, Position>();
  if (boxes.length < 3) return out;
  const size = axis === 'x' ? 'width' : 'height';
  const sorted = [...boxes].sort((a, b) => a[axis] - b[axis]);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const span = last[axis] + last[size] - first[axis];
  const gap = (span - sorted.reduce((sum, b) => sum + b[size], 0)) / (sorted.length - 1);
  let at = first[axis];
  for (const b of sorted) {
    out.set(b.id, axis === 'x' ? { x: at, y: b.y } : { x: b.x, y: at });
    at += b[size] + gap;
  }
  return out;
}

export function setParams(graph: GraphDocument, id: string, params: Record<string, unknown>): GraphDocument {
  return updateNode(graph, id, (n) => ({ ...n, params }));
}

/**
 * The graph without the wires that leave node `id` from an output it no longer has (NodeDefinition.outputsFor:
 * Import data given a file of another kind); the same graph when there are none.
 */
export function withoutStaleEdges(graph: GraphDocument, registry: NodeRegistry, id: string): GraphDocument {
  const node = graph.nodes.find((n) => n.id === id);
  const outputs = node && portsOf(node, registry)?.outputs;
  if (!outputs) return graph;
  const edges = graph.edges.filter((e) => e.source !== id || Object.hasOwn(outputs, e.sourcePort));
  return edges.length === graph.edges.length ? graph : { ...graph, edges };
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
