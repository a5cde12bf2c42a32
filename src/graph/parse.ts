/** Reading a graph file: JSON -> migrated, validated GraphDocument, or every problem with its place. */
import type { z } from 'zod';
import {
  GRAPH_FORMAT,
  MAX_FILE_BYTES,
  MAX_NODES,
  type GraphDocument,
  type GraphEdge,
  type GraphNode,
} from './document';
import { formatPath, type GraphIssue } from './errors';
import { migrateDocument } from './migrations';
import { migrateParams } from './node-definition';
import type { NodeRegistry } from './registry';
import { documentSchema, edgeSchema, nodeSchema, placeholderNodeSchema } from './schema';
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
export function readGraphJson(text: string): { ok: true; json: unknown } | { ok: false; issues: GraphIssue[] } {
  const bytes = utf8Length(text);
  if (bytes > MAX_FILE_BYTES) {
    const mb = (bytes / 1024 / 1024).toFixed(1);
    const message = `the file is ${mb} MB; graph files are limited to ${MAX_FILE_BYTES / 1024 / 1024} MB`;
    return { ok: false, issues: [{ path: '', message }] };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: describeJsonError(text, error) }] };
  }
}

/** Parses and validates a graph file. Never returns a half-loaded graph: it is all or the issues. */
export function parseGraph(text: string, registry: NodeRegistry): ParseResult {
  const read = readGraphJson(text);
  return read.ok ? decodeGraph(read.json, registry) : read;
}

function fail(...issues: GraphIssue[]): ParseResult {
  return { ok: false, issues };
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
  const shell = documentSchema.safeParse(doc);
  if (!shell.success) return fail(...zodIssues(shell.error, []));

  const issues: GraphIssue[] = [];
  const warnings: GraphIssue[] = [];
  const nodes: GraphNode[] = [];
  shell.data.nodes.forEach((rawNode, i) => {
    const node = decodeNode(rawNode, i, registry, issues, warnings);
    if (node) nodes.push(node);
  });
  const edges: GraphEdge[] = [];
  shell.data.edges.forEach((rawEdge, i) => {
    const edge = edgeSchema.safeParse(rawEdge);
    if (edge.success) edges.push(edge.data);
    else issues.push(...zodIssues(edge.error, ['edges', i]));
  });
  if (issues.length) return { ok: false, issues };

  const graph: GraphDocument = {
    format: GRAPH_FORMAT,
    version: shell.data.version,
    meta: shell.data.meta,
    nodes,
    edges,
    ...(shell.data.view ? { view: shell.data.view } : {}),
  };
  const structural = validateGraph(graph, registry);
  if (structural.length) return { ok: false, issues: structural };
  return { ok: true, graph, warnings };
}

function decodeNode(
  raw: Record<string, unknown>,
  index: number,
  registry: NodeRegistry,
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
      placeholder: { raw },
    };
  }
  const shell = nodeSchema.safeParse(raw);
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
  };
}
