import { describe, expect, it } from 'vitest';
import { GraphError, formatIssue, formatPath } from '../../src/graph/errors';

describe('formatPath', () => {
  it('writes keys with dots and indices in brackets', () => {
    expect(formatPath(['nodes', 3, 'params', 'L'])).toBe('nodes[3].params.L');
    expect(formatPath(['edges', 0])).toBe('edges[0]');
    expect(formatPath(['nodes', 1, 'params', 'list', 2, 'x'])).toBe('nodes[1].params.list[2].x');
    expect(formatPath([])).toBe('');
  });
});

describe('formatIssue', () => {
  it('puts the path first and names the node or edge', () => {
    expect(formatIssue({ path: 'nodes[3].params.L', nodeId: 'lattice', message: 'too small' })).toBe(
      "nodes[3].params.L (node 'lattice'): too small",
    );
    expect(formatIssue({ path: 'edges[1]', edgeId: 'e2', message: 'dangling' })).toBe("edges[1] (edge 'e2'): dangling");
    expect(formatIssue({ path: 'version', message: 'too new' })).toBe('version: too new');
  });

  it('writes a whole-file issue as its message alone', () => {
    expect(formatIssue({ path: '', message: 'not JSON' })).toBe('not JSON');
    expect(formatIssue({ path: '', nodeId: 'a', message: 'odd' })).toBe("odd (node 'a')");
  });
});

describe('GraphError', () => {
  it('carries the issues and lists them one a line', () => {
    const issues = [
      { path: 'format', message: 'wrong format' },
      { path: 'nodes[0].id', nodeId: 'a', message: 'duplicate' },
    ];
    const error = new GraphError(issues);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GraphError');
    expect(error.issues).toBe(issues);
    expect(error.message).toBe("format: wrong format\nnodes[0].id (node 'a'): duplicate");
  });
});
