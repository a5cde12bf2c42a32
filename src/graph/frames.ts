/** Frames and notes, the canvas furniture: which nodes a frame holds, and the ids they share with nodes. */
import type { GraphDocument, GraphFrame, Position } from './document';
import type { GraphIssue } from './errors';

/** Whether a point lies in a frame's rectangle, half-open: [x, x + width) by [y, y + height). */
function inFrame(frame: GraphFrame, point: Position): boolean {
  const { x, y } = frame.position;
  return point.x >= x && point.x < x + frame.size.width && point.y >= y && point.y < y + frame.size.height;
}

/**
 * The ids of the nodes inside a frame, in graph order: those whose position (their top-left corner,
 * as stored) lies in the frame's rectangle. The rectangle is half-open, [x, x + width) by
 * [y, y + height), so a node on the edge two frames share belongs to one of them only. Nested frames
 * both hold a node inside the inner one. An unknown frame id holds nothing.
 */
export function nodesInFrame(graph: Pick<GraphDocument, 'nodes' | 'frames'>, frameId: string): string[] {
  const frame = graph.frames?.find((f) => f.id === frameId);
  return frame ? graph.nodes.filter((n) => inFrame(frame, n.position)).map((n) => n.id) : [];
}

/**
 * The nodes and then the notes inside a frame, by the same rule as nodesInFrame: what a frame takes
 * along when it is dragged. Other frames are never inside one (frames do not nest by dragging).
 */
export function itemsInFrame(graph: Pick<GraphDocument, 'nodes' | 'frames' | 'notes'>, frameId: string): string[] {
  const frame = graph.frames?.find((f) => f.id === frameId);
  if (!frame) return [];
  const notes = (graph.notes ?? []).filter((n) => inFrame(frame, n.position)).map((n) => n.id);
  return [...nodesInFrame(graph, frameId), ...notes];
}

type Kind = 'node' | 'frame' | 'note';

/**
 * Frames and notes whose id is already taken by a node, a frame or a note: one id names one thing
 * on the canvas (the canvas, selection and history key everything by id). Duplicate ids among nodes
 * themselves are validateGraph's to report.
 */
export function canvasIdIssues(graph: Pick<GraphDocument, 'nodes' | 'frames' | 'notes'>): GraphIssue[] {
  const owner = new Map<string, Kind>();
  for (const node of graph.nodes) if (!owner.has(node.id)) owner.set(node.id, 'node');
  const issues: GraphIssue[] = [];
  const check = (list: 'frames' | 'notes', kind: Kind, items: readonly { id: string }[] | undefined) => {
    items?.forEach((item, i) => {
      const taken = owner.get(item.id);
      if (taken) issues.push({ path: `${list}[${i}].id`, message: `duplicate id '${item.id}' (also a ${taken})` });
      else owner.set(item.id, kind);
    });
  };
  check('frames', 'frame', graph.frames);
  check('notes', 'note', graph.notes);
  return issues;
}
