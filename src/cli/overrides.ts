/** `--set node.param=value`: edits a graph file's JSON before it is validated, so errors name the place. */

export interface Override {
  nodeId: string;
  param: string;
  value: unknown;
}

/** Parses `node.param=value`; the value is read as JSON when it is JSON (numbers, lists), else as text. */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  const dot = text.indexOf('.');
  if (eq < 0 || dot < 0 || dot > eq) throw new Error(`--set ${text}: expected node.param=value`);
  const nodeId = text.slice(0, dot);
  const param = text.slice(dot + 1, eq);
  const raw = text.slice(eq + 1);
  if (!nodeId || !param) throw new Error(`--set ${text}: expected node.param=value`);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // plain text, e.g. --set rg.rule=decimation
  }
  return { nodeId, param, value };
}

export function applyOverrides(json: unknown, overrides: readonly Override[]): void {
  const nodes = (json as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes)) throw new Error('--set: the file has no nodes list');
  for (const { nodeId, param, value } of overrides) {
    const node = nodes.find((n) => (n as { id?: unknown })?.id === nodeId) as Record<string, unknown> | undefined;
    if (!node) {
      const ids = nodes.map((n) => `'${(n as { id?: unknown })?.id}'`).join(', ');
      throw new Error(`--set ${nodeId}.${param}: no node '${nodeId}' (the nodes are ${ids})`);
    }
    const params =
      typeof node.params === 'object' && node.params !== null ? (node.params as Record<string, unknown>) : {};
    node.params = { ...params, [param]: value };
  }
}
