/** Reading a graph file: JSON -> migrated, validated GraphDocument, or every problem with its place. */
import type { z } from 'zod';
import {
  GRAPH_FORMAT,
  MAX_DEPTH,
  MAX_EDGES,
  MAX_FILE_BYTES,
  MAX_NODES,
  type ExtraFields,
  type GraphDocument,
  type GraphEdge,
  type GraphFrame,
  type GraphNode,
  type GraphNote,
  type GraphView,
} from './document';
import { formatPath, type GraphIssue } from './errors';
import { canvasIdIssues } from './frames';
import { migrateDocument } from './migrations';
import { migrateParams } from './node-definition';
import type { NodeRegistry } from './registry';
import {
  ID_PATTERN,
  ID_RULE,
  documentSchema,
  edgeSchema,
  frameSchema,
  knownFields,
  nodeSchema,
  noteSchema,
  placeholderNodeSchema,
  viewSchema,
} from './schema';
import { validateGraph } from './validate';

export type ParseResult =
  { ok: true; graph: GraphDocument; warnings: GraphIssue[] } | { ok: false; issues: GraphIssue[] };

function zodIssues(error: z.ZodError, prefix: (string | number)[], extra: Partial<GraphIssue> = {}): GraphIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...(issue.path as (string | number)[])]),
    message: issue.message,
    ...extra,
  }));
}

function utf8Length(text: string): number {
  // Cheap bounds first: a UTF-8 encoding has between 1 and 3 bytes per UTF-16 unit.
  if (text.length > MAX_FILE_BYTES || text.length * 3 <= MAX_FILE_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Where a bare NaN or Infinity is written outside a string, or -1 (V8 gives no position for it). */
function nonFiniteTokenAt(text: string): number {
  for (const match of text.matchAll(/"(?:[^"\\]|\\.)*"|-?(?:NaN|Infinity)/g)) {
    if (!match[0].startsWith('"')) return match.index;
  }
  return -1;
}

function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  const position = match ? Number(match[1]) : nonFiniteTokenAt(text);
  if (position < 0 || position >= text.trimEnd().length) {
    return position >= 0 || /end of JSON|Unterminated/.test(message)
      ? 'the file is not valid JSON: it ends too early (truncated?)'
      : `the file is not valid JSON: ${message}`;
  }
  const rest = text.slice(position);
  const hint = /^-?(NaN|Infinity)/.test(rest)
    ? 'NaN and Infinity are not JSON numbers; write a finite number'
    : message.replace(/ in JSON at position \d+.*$/s, '');
  return `the file is not valid JSON at ${lineAndColumn(text, position)}: ${hint}`;
}

/** Reads a graph file's text as JSON, refusing an oversized or malformed file with the place of the problem. */
export function readGraphJson(raw: string): { ok: true; json: unknown } | { ok: false; issues: GraphIssue[] } {
  // A byte order mark, as some Windows editors write, is not part of the JSON.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const bytes = utf8Length(text);
  if (bytes > MAX_FILE_BYTES) {
    const mb = (bytes / 1024 / 1024).toFixed(1);
    const message = `the file is ${mb} MB; graph files are limited to ${MAX_FILE_BYTES / 1024 / 1024} MB`;
    return { ok: false, issues: [{ path: '', message }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: describeJsonError(text, error) }] };
  }
  // What is not an object is refused as a whole, by decodeGraph.
  const problem =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? structureProblem(json, MAX_DEPTH) : null;
  if (problem) {
    // A problem inside a node names the node too, as the node's other problems do.
    const index = /^nodes\[(\d+)\]/.exec(problem.path)?.[1];
    const node = index === undefined ? undefined : (json as { nodes?: unknown[] }).nodes?.[Number(index)];
    const nodeId = (node as { id?: unknown } | undefined)?.id;
    return { ok: false, issues: [typeof nodeId === 'string' ? { ...problem, nodeId } : problem] };
  }
  return { ok: true, json };
}

/**
 * The first place where a parsed file nests objects and arrays deeper than `limit` (saving it later
 * would overflow the stack), or holds a number beyond the double range (`1e400` parses as Infinity and
 * would be saved as null); null when there is none. Iterative: a file nested a million levels deep is
 * answered without recursion.
 */
export function structureProblem(json: unknown, limit: number): GraphIssue | null {
  const stack: { value: unknown; depth: number; key: string | number | null; parent: number }[] = [
    { value: json, depth: 1, key: null, parent: -1 },
  ];
  const visited: { key: string | number | null; parent: number }[] = [];
  const pathTo = (parent: number, key: string | number | null): string => {
    const path: (string | number)[] = key === null ? [] : [key];
    for (let at = parent; at > 0; at = visited[at].parent) path.push(visited[at].key!);
    return formatPath(path.reverse());
  };
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item.value === 'number' && !Number.isFinite(item.value)) {
      const message = 'this number is too large to be represented (it would read as Infinity); write a finite one';
      return { path: pathTo(item.parent, item.key), message };
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > limit) {
      const message = `objects and arrays nest more than ${limit} deep here; a graph file may nest at most ${limit} levels`;
      return { path: pathTo(item.parent, item.key), message };
    }
    const index = visited.push({ key: item.key, parent: item.parent }) - 1;
    const children: [string | number, unknown][] = Array.isArray(item.value)
      ? item.value.map((child, i) => [i, child])
      : Object.entries(item.value);
    for (let i = children.length - 1; i >= 0; i--) {
      const [key, child] = children[i];
      if (typeof child === 'object' ? child !== null : typeof child === 'number') {
        stack.push({ value: child, depth: item.depth + 1, key, parent: index });
      }
    }
  }
  return null;
}

/** Parses and validates a graph file. Never returns a half-loaded graph: it is all or the issues. */
export function parseGraph(text: string, registry: NodeRegistry): ParseResult {
  const read = readGraphJson(text);
  return read.ok ? decodeGraph(read.json, registry) : read;
}

function fail(...issues: GraphIssue[]): ParseResult {
  return { ok: false, issues };
}

/** Where an unknown field was found: the item's path, its list ('' for the top level) and its owner. */
interface Place {
  path: string;
  list: '' | 'nodes' | 'edges' | 'frames' | 'notes' | 'view';
  nodeId?: string;
}

/** What becomes of fields the app does not know: one policy per file, chosen by its version. */
interface UnknownFieldPolicy {
  /** The fields of `raw` outside `known`, to keep as the item's `extra`; undefined when none are kept. */
  take(raw: Record<string, unknown>, known: ReadonlySet<string>, place: Place): ExtraFields | undefined;
  /** Warnings to give once the whole file is read. */
  warnings(): GraphIssue[];
}

function unknownKeys(raw: Record<string, unknown>, known: ReadonlySet<string>): string[] {
  return Object.keys(raw).filter((key) => !known.has(key));
}

/** A name from the file, quoted with JSON escapes and cut to a length a message can show. */
export function quote(name: string, max = 80): string {
  return name.length > max ? `${JSON.stringify(name.slice(0, max)).slice(0, -1)}…"` : JSON.stringify(name);
}

const quoted = (keys: readonly string[]) =>
  keys.length > 10
    ? `${keys
        .slice(0, 10)
        .map((k) => quote(k))
        .join(', ')} and ${keys.length - 10} more`
    : keys.map((k) => quote(k)).join(', ');

/**
 * Version 1: the apps that wrote it refused unknown fields, so one in a version-1 file was written
 * by hand, most likely a typo ("parmas"). It is refused, naming it, as version 1 always did.
 */
function refuseUnknown(issues: GraphIssue[]): UnknownFieldPolicy {
  return {
    take(raw, known, place) {
      const keys = unknownKeys(raw, known);
      if (place.list === '') {
        // At the top level each field is its own place.
        for (const key of keys) {
          issues.push({
            path: formatPath([key]),
            message: `unknown field ${quote(key)}; a version 1 graph file has no such field (a typo?)`,
          });
        }
        return undefined;
      }
      if (keys.length) {
        const fields = keys.length > 1 ? 'fields' : 'field';
        issues.push({
          path: place.path,
          ...(place.nodeId !== undefined ? { nodeId: place.nodeId } : {}),
          message: `unknown ${fields} ${quoted(keys)}; a version 1 graph file has no such ${fields} (a typo?)`,
        });
      }
      return undefined;
    },
    warnings: () => [],
  };
}

const NOUNS: Record<Exclude<Place['list'], ''>, [string, string]> = {
  nodes: ['node', 'nodes'],
  edges: ['edge', 'edges'],
  frames: ['frame', 'frames'],
  notes: ['note', 'notes'],
  view: ['view', 'view'],
};

/**
 * Version 2 on: an unknown field comes from a newer Blockspin (or a hand edit), and is kept to be
 * written back unchanged. One warning per field name and list, not per item, so a newer app's field
 * on every node gives one line.
 */
function keepUnknown(): UnknownFieldPolicy {
  const seen = new Map<string, { place: Place; field: string; count: number }>();
  return {
    take(raw, known, place) {
      const keys = unknownKeys(raw, known);
      if (!keys.length) return undefined;
      for (const field of keys) {
        const key = `${place.list}\u0000${field}`;
        const entry = seen.get(key);
        if (entry) entry.count++;
        else seen.set(key, { place, field, count: 1 });
      }
      // fromEntries, not assignment: a field named __proto__ stays a field.
      return Object.fromEntries(keys.map((key) => [key, raw[key]]));
    },
    warnings() {
      return [...seen.values()].map(({ place, field, count }) => {
        if (place.list === '') {
          return {
            path: formatPath([field]),
            message: `unknown top-level field ${quote(field)}, kept and written back unchanged (from a newer Blockspin?)`,
          };
        }
        const [one, many] = NOUNS[place.list];
        const on =
          place.list === 'view' ? ' in the view' : count > 1 ? ` on ${count} ${many}` : ` on ${one} ${place.path}`;
        return {
          path: place.path,
          ...(count === 1 && place.nodeId !== undefined ? { nodeId: place.nodeId } : {}),
          message: `unknown field ${quote(field)}${on}, kept and written back unchanged (from a newer Blockspin?)`,
        };
      });
    },
  };
}

const DOCUMENT_FIELDS = knownFields(documentSchema);
const NODE_FIELDS = knownFields(nodeSchema);
const EDGE_FIELDS = knownFields(edgeSchema);
const FRAME_FIELDS = knownFields(frameSchema);
const NOTE_FIELDS = knownFields(noteSchema);
const VIEW_FIELDS = knownFields(viewSchema);

/** `{ extra }` when there is something to keep, else nothing, so a plain item stays plain. */
function extraOf(extra: ExtraFields | undefined): { extra?: ExtraFields } {
  return extra ? { extra } : {};
}

/** Validates an already-parsed JSON value as a graph document. */
export function decodeGraph(json: unknown, registry: NodeRegistry): ParseResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    const found = Array.isArray(json) ? 'an array' : json === null ? 'null' : `a ${typeof json}`;
    return fail({ path: '', message: `a graph file is a JSON object, but this file holds ${found}` });
  }
  const raw = json as Record<string, unknown>;
  if (raw.format !== GRAPH_FORMAT) {
    return fail({
      path: 'format',
      message: `this is not a Blockspin graph file: format is ${JSON.stringify(raw.format)}, expected "${GRAPH_FORMAT}"`,
    });
  }
  const migrated = migrateDocument(raw);
  if ('error' in migrated) return fail({ path: 'version', message: migrated.error });
  const doc = migrated.doc;
  if (Array.isArray(doc.nodes) && doc.nodes.length > MAX_NODES) {
    return fail({
      path: 'nodes',
      message: `the graph has ${doc.nodes.length} nodes; at most ${MAX_NODES} are allowed`,
    });
  }
  if (Array.isArray(doc.edges) && doc.edges.length > MAX_EDGES) {
    return fail({
      path: 'edges',
      message: `the graph has ${doc.edges.length} edges; at most ${MAX_EDGES} are allowed`,
    });
  }
  const badIds = badIdIssues(doc);
  if (badIds.length) return { ok: false, issues: badIds };
  const issues: GraphIssue[] = [];
  // migrateDocument has checked that the version is a positive integer.
  const unknown = (raw.version as number) < 2 ? refuseUnknown(issues) : keepUnknown();
  const shell = documentSchema.safeParse(doc);
  const extra = unknown.take(doc, DOCUMENT_FIELDS, { path: '', list: '' });
  if (!shell.success) issues.push(...zodIssues(shell.error, []));
  if (!shell.success || issues.length) return { ok: false, issues };
  const data = shell.data;
  // Items are read from the file's own objects, not from zod's output: zod drops a key named
  // `__proto__`, and an unknown field of that name must be kept (or, in version 1, refused) like any.
  const list = (key: 'nodes' | 'edges' | 'frames' | 'notes'): unknown[] =>
    Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [];

  const warnings: GraphIssue[] = [];
  const nodes: GraphNode[] = [];
  (list('nodes') as Record<string, unknown>[]).forEach((rawNode, i) => {
    const node = decodeNode(rawNode, i, registry, unknown, issues, warnings);
    if (node) nodes.push(node);
  });
  const edges = decodeList(list('edges'), 'edges', issues, (item, path) => {
    const edge = edgeSchema.safeParse(item);
    if (!edge.success) return edge.error;
    const { id, source, sourcePort, target, targetPort } = edge.data;
    const kept = unknown.take(item as Record<string, unknown>, EDGE_FIELDS, { path, list: 'edges' });
    return { id, source, sourcePort, target, targetPort, ...extraOf(kept) } satisfies GraphEdge;
  });
  const frames = decodeList(list('frames'), 'frames', issues, (item, path) => {
    const frame = frameSchema.safeParse(item);
    if (!frame.success) return frame.error;
    const { id, title, color, position, size } = frame.data;
    const kept = unknown.take(item as Record<string, unknown>, FRAME_FIELDS, { path, list: 'frames' });
    return { id, title, color, position, size, ...extraOf(kept) } satisfies GraphFrame;
  });
  const notes = decodeList(list('notes'), 'notes', issues, (item, path) => {
    const note = noteSchema.safeParse(item);
    if (!note.success) return note.error;
    const { id, text, position, width } = note.data;
    const kept = unknown.take(item as Record<string, unknown>, NOTE_FIELDS, { path, list: 'notes' });
    return { id, text, position, ...(width !== undefined ? { width } : {}), ...extraOf(kept) } satisfies GraphNote;
  });
  let view: GraphView | undefined;
  if (data.view) {
    const { x, y, zoom } = data.view;
    const rawView = doc.view as Record<string, unknown>;
    view = { x, y, zoom, ...extraOf(unknown.take(rawView, VIEW_FIELDS, { path: 'view', list: 'view' })) };
  }
  if (issues.length) return { ok: false, issues };

  const graph: GraphDocument = {
    format: GRAPH_FORMAT,
    version: data.version,
    // The file's own meta (checked by the shell), so that every field of it is kept.
    meta: doc.meta === undefined ? data.meta : { ...(doc.meta as GraphDocument['meta']) },
    nodes,
    edges,
    // An empty list is the same as none, and is not written back.
    ...(frames.length ? { frames } : {}),
    ...(notes.length ? { notes } : {}),
    ...(view ? { view } : {}),
    ...extraOf(extra),
  };
  const structural = [...validateGraph(graph, registry), ...canvasIdIssues(graph)];
  if (structural.length) return { ok: false, issues: structural };
  return { ok: true, graph, warnings: [...warnings, ...unknown.warnings()] };
}

/**
 * Every id in the file that breaks the id rule, each with its place, so the whole list is fixed at once.
 * The id is quoted with JSON escapes, so one holding control characters prints as harmless text.
 */
function badIdIssues(doc: Record<string, unknown>): GraphIssue[] {
  const issues: GraphIssue[] = [];
  for (const list of ['nodes', 'edges', 'frames', 'notes'] as const) {
    const items = doc[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item: unknown, i) => {
      if (typeof item !== 'object' || item === null) return;
      const id = (item as Record<string, unknown>).id;
      if (typeof id === 'string' && !ID_PATTERN.test(id)) {
        issues.push({ path: `${list}[${i}].id`, message: `the id ${quote(id)} is not allowed: an id is ${ID_RULE}` });
      }
    });
  }
  return issues;
}

/** Decodes each item of a list, collecting its schema's issues under `list[i]`. */
function decodeList<T>(
  items: readonly unknown[],
  list: string,
  issues: GraphIssue[],
  decode: (item: unknown, path: string) => T | z.ZodError,
): T[] {
  const out: T[] = [];
  items.forEach((item, i) => {
    const decoded = decode(item, `${list}[${i}]`);
    if (decoded instanceof Error) issues.push(...zodIssues(decoded as z.ZodError, [list, i]));
    else out.push(decoded);
  });
  return out;
}

/** The node as read, less what the app owns and writes from the GraphNode itself. */
function placeholderRaw(raw: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, position: _position, label: _label, ...rest } = raw;
  return rest;
}

function decodeNode(
  raw: Record<string, unknown>,
  index: number,
  registry: NodeRegistry,
  unknown: UnknownFieldPolicy,
  issues: GraphIssue[],
  warnings: GraphIssue[],
): GraphNode | null {
  const path = `nodes[${index}]`;
  const nodeId = typeof raw.id === 'string' ? raw.id : undefined;
  const definition = typeof raw.type === 'string' ? registry.get(raw.type) : undefined;
  if (!definition) {
    const shell = placeholderNodeSchema.safeParse(raw);
    if (!shell.success) {
      issues.push(...zodIssues(shell.error, ['nodes', index], { nodeId }));
      return null;
    }
    warnings.push({
      path: `${path}.type`,
      nodeId,
      message: `unknown node type '${shell.data.type}': shown as a placeholder, kept unchanged, not run`,
    });
    const params = raw.params;
    return {
      id: shell.data.id,
      type: shell.data.type,
      typeVersion: typeof raw.typeVersion === 'number' ? raw.typeVersion : 1,
      position: shell.data.position ?? { x: 0, y: 0 },
      ...(shell.data.label !== undefined ? { label: shell.data.label } : {}),
      params:
        typeof params === 'object' && params !== null && !Array.isArray(params)
          ? (params as Record<string, unknown>)
          : {},
      placeholder: { raw: placeholderRaw(raw) },
    };
  }
  const shell = nodeSchema.safeParse(raw);
  const extra = unknown.take(raw, NODE_FIELDS, { path, list: 'nodes', nodeId });
  if (!shell.success) {
    issues.push(...zodIssues(shell.error, ['nodes', index], { nodeId }));
    return null;
  }
  const { typeVersion } = shell.data;
  if (typeVersion > definition.version) {
    issues.push({
      path: `${path}.typeVersion`,
      nodeId,
      message:
        `${definition.type} version ${typeVersion} was written by a newer Blockspin; ` +
        `this app knows up to version ${definition.version}`,
    });
    return null;
  }
  const params = definition.params.safeParse(migrateParams(definition, typeVersion, shell.data.params));
  if (!params.success) {
    issues.push(...zodIssues(params.error, ['nodes', index, 'params'], { nodeId }));
    return null;
  }
  return {
    id: shell.data.id,
    type: shell.data.type,
    typeVersion: definition.version,
    position: shell.data.position,
    ...(shell.data.label !== undefined ? { label: shell.data.label } : {}),
    params: params.data as Record<string, unknown>,
    ...extraOf(extra),
  };
}
