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

/** Formats a path of keys and indices as `nodes[3].params.L`. */
export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export class GraphError extends Error {
  constructor(readonly issues: GraphIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'GraphError';
  }
}
