/**
 * The graph-wide memory budget: what every node will allocate, estimated before anything runs, from
 * each node's params and the sizes its inputs will have (followed along the edges from the sources).
 *
 * The estimate is an upper bound of the peak: every node is counted as holding its outputs and its
 * working memory at once, and a node that runs in a worker also holds a copy of its inputs there.
 */
import type { GraphDocument, GraphNode } from './document';
import type { InputSizes, ResourceEstimate, ValueSize } from './node-definition';
import type { NodeRegistry } from './registry';

export interface NodeCost {
  id: string;
  /** How a message names the node: its id and type's title, and its label when it has one. */
  name: string;
  title: string;
  bytes: number;
  trains: boolean;
}

export interface GraphCost {
  /** Bytes the whole graph may hold at once. */
  bytes: number;
  /** Every node that runs, each after its sources. */
  nodes: NodeCost[];
  /** How many nodes train a model. */
  trains: number;
}

/** What a graph from elsewhere may do before it opens paused: allocate about this much, and train nothing. */
export const FOREIGN_RUN_BYTES = 256 * 1024 * 1024;

/** The memory a browser tab allows a graph: half the device's memory when the browser says, else 2 GB. */
export function browserBudget(deviceMemoryGb: number | undefined): number {
  return deviceMemoryGb && Number.isFinite(deviceMemoryGb) && deviceMemoryGb > 0 ? deviceMemoryGb * 0.5e9 : 2e9;
}

/** The nodes in an order where each comes after its sources; nodes on a cycle are left out. */
function topologicalOrder(graph: GraphDocument): GraphNode[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const waiting = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (!byId.has(edge.source) || !byId.has(edge.target)) continue;
    waiting.set(edge.target, waiting.get(edge.target)! + 1);
    const list = next.get(edge.source);
    if (list) list.push(edge.target);
    else next.set(edge.source, [edge.target]);
  }
  const queue = graph.nodes.filter((n) => waiting.get(n.id) === 0).map((n) => n.id);
  const order: GraphNode[] = [];
  for (let head = 0; head < queue.length; head++) {
    order.push(byId.get(queue[head])!);
    for (const child of next.get(queue[head]) ?? []) {
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) queue.push(child);
    }
  }
  return order;
}

const finiteBytes = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n > 0 ? n : 0);

/** Estimates what running `graph` will allocate, node by node. Linear in the graph's size; never throws. */
export function estimateGraph(graph: GraphDocument, registry: NodeRegistry): GraphCost {
  const outputSizes = new Map<string, Record<string, ValueSize>>();
  const edgesInto = new Map<string, typeof graph.edges>();
  for (const edge of graph.edges) {
    const list = edgesInto.get(edge.target);
    if (list) list.push(edge);
    else edgesInto.set(edge.target, [edge]);
  }
  const nodes: NodeCost[] = [];
  for (const node of topologicalOrder(graph)) {
    const definition = node.placeholder ? undefined : registry.get(node.type);
    if (!definition) continue;
    const inputs: InputSizes = {};
    let inputBytes = 0;
    for (const [port, spec] of Object.entries(definition.inputs)) {
      const sizes = (edgesInto.get(node.id) ?? [])
        .filter((e) => e.targetPort === port)
        .map((e) => outputSizes.get(e.source)?.[e.sourcePort]);
      for (const size of sizes) inputBytes += finiteBytes(size?.bytes);
      const known = sizes.filter((size): size is ValueSize => size !== undefined);
      inputs[port] = spec.many ? known : sizes[0];
    }
    let estimate: ResourceEstimate = {};
    if (definition.resources) {
      // With defaults filled in, as the run will see them; params the schema refuses never run.
      const params = definition.params.safeParse(node.params);
      if (params.success) estimate = definition.resources(params.data, inputs);
    }
    const outputs = estimate.outputs ?? {};
    outputSizes.set(node.id, outputs);
    const offThread = Boolean(definition.heavy || definition.lane);
    const bytes =
      finiteBytes(estimate.working) +
      Object.values(outputs).reduce((sum, size) => sum + finiteBytes(size.bytes), 0) +
      (offThread ? inputBytes : 0);
    nodes.push({
      id: node.id,
      name: node.label ? `'${node.label}' (${node.id}, ${definition.title})` : `${node.id} (${definition.title})`,
      title: definition.title,
      bytes,
      trains: Boolean(estimate.trains),
    });
  }
  return {
    bytes: nodes.reduce((sum, n) => sum + n.bytes, 0),
    nodes,
    trains: nodes.filter((n) => n.trains).length,
  };
}

/** Bytes in decimal units, as a person reads them: '870 kB', '900 MB', '8.6 GB'. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${units[unit]}`;
}

/** The node that needs the most, or undefined for an empty graph. */
export function largestNode(cost: GraphCost): NodeCost | undefined {
  let largest: NodeCost | undefined;
  for (const node of cost.nodes) if (!largest || node.bytes > largest.bytes) largest = node;
  return largest;
}

/** Why the graph cannot run within `budget` bytes, or null when it can. */
export function budgetProblem(cost: GraphCost, budget: number): string | null {
  if (cost.bytes <= budget) return null;
  const largest = largestNode(cost)!;
  const sameTitle = cost.nodes.filter((n) => n.bytes > 0).every((n) => n.title === largest.title);
  const many = cost.nodes.filter((n) => n.bytes > 0).length;
  const who = sameTitle && many > 1 ? `${many} ${largest.title} nodes need` : 'this graph needs';
  return (
    `${who} about ${formatBytes(cost.bytes)} of memory; the budget is ${formatBytes(budget)}; ` +
    `largest: ${largest.name}, ${formatBytes(largest.bytes)}`
  );
}

/** What a graph will do when it runs, in a few words: 'trains 3 RBMs, needs about 900 MB'. */
export function describeCost(cost: GraphCost): string {
  const parts: string[] = [];
  if (cost.trains) parts.push(`trains ${cost.trains === 1 ? 'an RBM' : `${cost.trains} RBMs`}`);
  parts.push(`needs about ${formatBytes(cost.bytes)} of memory`);
  return parts.join(', ');
}

/** Whether a graph from elsewhere should open paused: it would allocate a lot, or train a model. */
export function isHeavyForeign(cost: GraphCost): boolean {
  return cost.bytes > FOREIGN_RUN_BYTES || cost.trains > 0;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A spins value's size: one byte per spin and a float64 temperature per sample. */
export function spinsSize(shape: readonly number[]): ValueSize {
  return { bytes: product(shape) + 8 * (shape[0] ?? 0), shape };
}

/** A float32 tensor's size. */
export function tensorSize(shape: readonly number[]): ValueSize {
  return { bytes: 4 * product(shape), shape };
}

/** The number of units in one sample of a spins value or tensor of this shape: the product past the first axis. */
export function unitsPerSample(shape: readonly number[]): number {
  return product(shape.slice(1));
}

/**
 * The working memory of a measurement over spins: a few float64 series with one value per sample
 * (energy, magnetisation, their groupings by temperature).
 */
export function perSampleSeries(input: ValueSize | ValueSize[] | undefined): number {
  const n = Array.isArray(input) ? 0 : (input?.shape?.[0] ?? 0);
  return 4 * 8 * n;
}
