/** Checks that hold for any graph, loaded from a file or edited in the app: ids, edges, cycles. */
import { MAX_EDGES, type GraphDocument, type GraphEdge, type GraphNode } from './document';
import type { GraphIssue } from './errors';
import type { AnyNodeDefinition, PortSpec } from './node-definition';
import { connectionError } from './ports';
import type { NodeRegistry } from './registry';

/**
 * The ports of a node, or null for a placeholder whose ports this app cannot know. The outputs are those
 * its params give it (NodeDefinition.outputsFor), all of them when its params do not fit the schema.
 */
export function portsOf(
  node: GraphNode,
  registry: NodeRegistry,
): { inputs: Record<string, PortSpec>; outputs: Record<string, PortSpec> } | null {
  if (node.placeholder) return null;
  const definition = registry.get(node.type);
  if (!definition) return null;
  return { inputs: definition.inputs, outputs: outputsOf(definition, node.params) };
}

/** The outputs a node of this type has with these params (see NodeDefinition.outputsFor). */
export function outputsOf(definition: AnyNodeDefinition, params: Record<string, unknown>): Record<string, PortSpec> {
  if (!definition.outputsFor) return definition.outputs;
  const parsed = definition.params.safeParse(params);
  if (!parsed.success) return definition.outputs;
  const names = new Set(definition.outputsFor(parsed.data));
  return Object.fromEntries(Object.entries(definition.outputs).filter(([name]) => names.has(name)));
}

/** A port by name, own properties only: a port named 'constructor' must not find Object.prototype's. */
function ownPort(ports: Record<string, PortSpec> | undefined, name: string): PortSpec | undefined {
  return ports && Object.hasOwn(ports, name) ? ports[name] : undefined;
}

function listNames(ports: Record<string, PortSpec>): string {
  const names = Object.keys(ports);
  return names.length ? names.map((n) => `'${n}'`).join(', ') : 'none';
}

/** Problems with one edge on its own (its ends and port types), or [] when it may exist. */
export function checkEdge(
  edge: Omit<GraphEdge, 'id'>,
  nodes: ReadonlyMap<string, GraphNode>,
  registry: NodeRegistry,
): string[] {
  const problems: string[] = [];
  const source = nodes.get(edge.source);
  const target = nodes.get(edge.target);
  if (!source) problems.push(`source node '${edge.source}' does not exist`);
  if (!target) problems.push(`target node '${edge.target}' does not exist`);
  if (!source || !target) return problems;
  const sourcePorts = portsOf(source, registry);
  const targetPorts = portsOf(target, registry);
  const out = ownPort(sourcePorts?.outputs, edge.sourcePort);
  const inp = ownPort(targetPorts?.inputs, edge.targetPort);
  if (sourcePorts && !out) {
    problems.push(
      `node '${source.id}' (${source.type}) has no output '${edge.sourcePort}'; its outputs are ${listNames(sourcePorts.outputs)}`,
    );
  }
  if (targetPorts && !inp) {
    problems.push(
      `node '${target.id}' (${target.type}) has no input '${edge.targetPort}'; its inputs are ${listNames(targetPorts.inputs)}`,
    );
  }
  if (out && inp) {
    const why = connectionError(out.type, inp.type);
    if (why) {
      problems.push(`cannot connect '${source.id}'.${edge.sourcePort} to '${target.id}'.${edge.targetPort}: ${why}`);
    }
  }
  return problems;
}

/**
 * A cycle in the graph as a list of node ids (first = last), or null when it is acyclic.
 * Iterative, so a long chain cannot overflow the stack.
 */
export function findCycle(nodeIds: Iterable<string>, edges: readonly GraphEdge[]): string[] | null {
  const next = new Map<string, string[]>();
  for (const id of nodeIds) next.set(id, []);
  for (const edge of edges) next.get(edge.source)?.push(edge.target);
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: finished
  for (const start of next.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const cursor: number[] = [0];
    state.set(start, 1);
    while (path.length) {
      const node = path[path.length - 1];
      const children = next.get(node) ?? [];
      const i = cursor[cursor.length - 1]++;
      if (i >= children.length) {
        state.set(node, 2);
        path.pop();
        cursor.pop();
        continue;
      }
      const child = children[i];
      const seen = state.get(child);
      if (seen === 1) return [...path.slice(path.indexOf(child)), child];
      if (seen === undefined && next.has(child)) {
        state.set(child, 1);
        path.push(child);
        cursor.push(0);
      }
    }
  }
  return null;
}

/** Whether an input takes one edge at most: not for a `many` input, nor for one this app cannot know. */
function takesOneEdge(target: GraphNode, port: string, registry: NodeRegistry): boolean {
  const spec = ownPort(portsOf(target, registry)?.inputs, port);
  return spec !== undefined && !spec.many;
}

const duplicateEdgeId = (id: string) => `duplicate edge id '${id}'`;

/**
 * A path from `from` to `to` along `edges` (both ends included), or null when there is none.
 * Breadth-first over an adjacency list built once: linear in the graph's size.
 */
function pathBetween(from: string, to: string, edges: readonly GraphEdge[]): string[] | null {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const list = next.get(edge.source);
    if (list) list.push(edge.target);
    else next.set(edge.source, [edge.target]);
  }
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    if (node === to) {
      const path: string[] = [];
      for (let at: string | null = node; at !== null; at = cameFrom.get(at)!) path.push(at);
      return path.reverse();
    }
    for (const child of next.get(node) ?? []) {
      if (cameFrom.has(child)) continue;
      cameFrom.set(child, node);
      queue.push(child);
    }
  }
  return null;
}

/**
 * Why `edge` cannot be added to `graph` ([] when it can): a duplicate id (when it has one), a missing
 * end, an unknown port, incompatible port types, a one-edge input already taken, or a cycle. Linear in
 * the graph's size, so the canvas can ask on every pointer move while a wire is dragged.
 */
export function edgeProblems(
  graph: GraphDocument,
  edge: Omit<GraphEdge, 'id'> & { id?: string },
  registry: NodeRegistry,
): string[] {
  const problems: string[] = [];
  if (graph.edges.length >= MAX_EDGES) problems.push(`the graph has ${graph.edges.length} edges, the most allowed`);
  if (edge.id !== undefined && graph.edges.some((e) => e.id === edge.id)) problems.push(duplicateEdgeId(edge.id));
  const nodes = new Map<string, GraphNode>();
  for (const node of graph.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
  problems.push(...checkEdge(edge, nodes, registry));
  const target = nodes.get(edge.target);
  if (!target || !nodes.has(edge.source)) return problems;
  if (takesOneEdge(target, edge.targetPort, registry)) {
    const taken = graph.edges.find((e) => e.target === edge.target && e.targetPort === edge.targetPort);
    if (taken)
      problems.push(`input '${edge.target}'.${edge.targetPort} already has an edge ('${taken.id}') and takes only one`);
  }
  // The new edge closes a cycle when its source can already be reached from its target.
  const path = edge.source === edge.target ? [edge.source] : pathBetween(edge.target, edge.source, graph.edges);
  if (path) problems.push(`this edge would make a cycle: ${[...path, edge.target].join(' → ')}`);
  return problems;
}

/** Every problem with the graph's ids, edges and shape; [] when it is sound. */
export function validateGraph(graph: GraphDocument, registry: NodeRegistry): GraphIssue[] {
  const issues: GraphIssue[] = [];
  if (graph.edges.length > MAX_EDGES) {
    issues.push({
      path: 'edges',
      message: `the graph has ${graph.edges.length} edges; at most ${MAX_EDGES} are allowed`,
    });
  }
  const nodes = new Map<string, GraphNode>();
  graph.nodes.forEach((node, i) => {
    if (nodes.has(node.id)) {
      issues.push({ path: `nodes[${i}].id`, nodeId: node.id, message: `duplicate node id '${node.id}'` });
    } else {
      nodes.set(node.id, node);
    }
  });
  const edgeIds = new Set<string>();
  /** The edges into each input (by target and port), with their places in `graph.edges`. */
  const edgesInto = new Map<string, { edges: GraphEdge[]; indices: number[] }>();
  graph.edges.forEach((edge, i) => {
    const path = `edges[${i}]`;
    if (edgeIds.has(edge.id)) issues.push({ path: `${path}.id`, edgeId: edge.id, message: duplicateEdgeId(edge.id) });
    edgeIds.add(edge.id);
    for (const message of checkEdge(edge, nodes, registry)) issues.push({ path, edgeId: edge.id, message });
    const key = `${edge.target}\u0000${edge.targetPort}`;
    const into = edgesInto.get(key);
    if (into) {
      into.edges.push(edge);
      into.indices.push(i);
    } else {
      edgesInto.set(key, { edges: [edge], indices: [i] });
    }
  });
  for (const [key, { edges: into, indices }] of edgesInto) {
    if (into.length < 2) continue;
    const [targetId, port] = key.split('\u0000');
    const target = nodes.get(targetId);
    if (target && takesOneEdge(target, port, registry)) {
      const ids = into.map((e) => `'${e.id}'`).join(', ');
      issues.push({
        path: `edges[${indices[1]}]`,
        edgeId: into[1].id,
        message: `input '${targetId}'.${port} takes one edge but has ${into.length} (${ids})`,
      });
    }
  }
  const cycle = findCycle(nodes.keys(), graph.edges);
  if (cycle) {
    const shown =
      cycle.length > 12 ? [...cycle.slice(0, 6), `… (${cycle.length - 11} more) …`, ...cycle.slice(-5)] : cycle;
    issues.push({ path: 'edges', message: `the graph has a cycle: ${shown.join(' → ')}` });
  }
  return issues;
}
