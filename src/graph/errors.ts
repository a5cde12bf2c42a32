/** A problem found in a graph, with the place it was found. */
export interface GraphIssue {
  /** Where in the file, e.g. `nodes[3].params.L`; '' for the whole file. */
  path: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
}

export function formatIssue(issue: GraphIssue): string {
  const who =
    issue.nodeId !== undefined
      ? ` (node '${issue.nodeId}')`
      : issue.edgeId !== undefined
        ? ` (edge '${issue.edgeId}')`
        : '';
  return issue.path ? `${issue.path}${who}: ${issue.message}` : `${issue.message}${who}`;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Formats a path of keys and indices as `nodes[3].params.L`. A key that is not a plain name (it comes from
 * the file, and may hold spaces, dots or control characters) is written quoted: `meta["a.b"]`.
 */
export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && PLAIN_KEY.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

export class GraphError extends Error {
  constructor(readonly issues: GraphIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'GraphError';
  }
}
