/** Small builders for graph-file tests: raw JSON nodes and edges, and result unwrapping. */
import { expect } from 'vitest';
import type { GraphDocument } from '../../src/graph/document';
import type { GraphIssue } from '../../src/graph/errors';
import { parseGraph, type ParseResult } from '../../src/graph/parse';
import { testRegistry } from '../helpers/test-nodes';

export const registry = testRegistry();

/** A node as written in a file. */
export function node(
  id: string,
  type = 'test.source',
  params: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return { id, type, typeVersion: 1, position: { x: 0, y: 0 }, params, ...extra };
}

/** An edge as written in a file. */
export function edge(id: string, source: string, sourcePort: string, target: string, targetPort: string) {
  return { id, source, sourcePort, target, targetPort };
}

/** A whole file's JSON object. */
export function doc(nodes: unknown[], edges: unknown[] = [], extra: Record<string, unknown> = {}) {
  return { format: 'blockspin.graph', version: 1, meta: { title: 'Test' }, nodes, edges, ...extra };
}

/** Parses a JSON value (stringified, pretty) or a file's text with the test registry. */
export function parse(file: unknown): ParseResult {
  return parseGraph(typeof file === 'string' ? file : JSON.stringify(file, null, 2), registry);
}

/** The issues of a result that must have failed. */
export function issuesOf(result: ParseResult): GraphIssue[] {
  if (result.ok) throw new Error(`expected the file to be refused, but it loaded: ${JSON.stringify(result.graph)}`);
  expect(result).not.toHaveProperty('graph');
  expect(result.issues.length).toBeGreaterThan(0);
  return result.issues;
}

/** The only issue of a result that must have failed with exactly one. */
export function onlyIssue(result: ParseResult): GraphIssue {
  const issues = issuesOf(result);
  expect(issues, JSON.stringify(issues)).toHaveLength(1);
  return issues[0];
}

/** The graph of a result that must have loaded. */
export function loaded(result: ParseResult): GraphDocument {
  if (!result.ok) throw new Error(`expected the file to load, but: ${JSON.stringify(result.issues)}`);
  return result.graph;
}
