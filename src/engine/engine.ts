/**
 * The reactive runtime: turns a graph into live node pipelines and keeps them in step with edits.
 * Generic over node types: it runs whatever registry it is given.
 */
import {
  BehaviorSubject,
  Subscription,
  combineLatest,
  distinctUntilChanged,
  filter,
  firstValueFrom,
  map,
  type Observable,
} from 'rxjs';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type GraphEdge, type GraphNode } from '../graph/document';
import { GraphError, formatPath, type GraphIssue } from '../graph/errors';
import type { FileStore } from '../graph/files';
import type { AnyNodeDefinition, Lane } from '../graph/node-definition';
import type { NodeRegistry } from '../graph/registry';
import { budgetProblem, estimateGraph } from '../graph/budget';
import { edgeProblems, validateGraph } from '../graph/validate';
import { isValue, type RbmValue } from '../graph/values';
import { ResultCache } from './cache';
import { runInThread, type Executor } from './execute';
import { fanOutExecutor } from './fan-out';
import { contentKey } from './keys';
import { NodeRuntime } from './node-runtime';
import { isSettled, type NodeOutput, type NodeStatus } from './status';

export interface EngineOptions {
  /** Where heavy nodes run (the worker pool); by default they run in this thread. */
  heavyExecutor?: Executor;
  /** Executors for nodes that name a lane (NodeDefinition.lane). */
  laneExecutors?: Partial<Record<Lane, Executor>>;
  /**
   * Into how many parts a heavy node that can split (NodeDefinition.fanOut) splits, to run side by side in
   * `heavyExecutor`: its number of workers. 1 (the default) runs every node whole.
   */
  parallelParts?: number;
  /** Bound on the memory held by cached results. */
  cacheBytes?: number;
  /** Minimum time between intermediate values passed downstream. */
  throttleMs?: number;
  /**
   * Whether downstream nodes run on intermediate values (default: yes, so plots fill in while a
   * sampler or a training runs). A headless run turns it off to spend no time on them.
   */
  followIntermediate?: boolean;
  /**
   * Bytes the graph may allocate (estimated before anything runs, src/graph/budget.ts). While the graph is
   * over it, no node starts and running ones hold at their next checkpoint, as when paused. No limit by default.
   */
  memoryBudget?: number;
  /**
   * Where the files that nodes read come from (NodeDefinition.files): the CLI's reads them relative to the
   * graph file, the app's from the browser's storage. Without one, a node that reads a file fails saying so.
   */
  files?: FileStore;
}

export const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

export class GraphEngine {
  readonly cache: ResultCache;
  private readonly runtimes = new Map<string, NodeRuntime>();
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly latest = new Map<string, NodeOutput>();
  private readonly heavyExecutor: Executor;
  private readonly laneExecutors: Partial<Record<Lane, Executor>>;
  private readonly throttleMs: number;
  private readonly followIntermediate: boolean;
  private disposed = false;
  /** Set while runs are held: paused by the user, or over the memory budget. */
  private paused: { resumed: Promise<void>; resume(): void } | null = null;
  private pausedByUser = false;
  private readonly memoryBudget: number;
  private readonly files?: FileStore;
  private overBudget: string | null = null;
  /** `paused` as a stream, for runs in workers (RunHooks.onPauseChange). */
  private readonly pausedSubject = new BehaviorSubject<boolean>(false);
  private readonly nodeIdsSubject = new BehaviorSubject<readonly string[]>([]);
  /** Set when a runtime is created or destroyed, until the new list of node ids is published. */
  private nodesChanged = false;
  private readonly backendSubject = new BehaviorSubject<string | null>(null);

  /**
   * The ids of the running nodes: a new array whenever a node is added, removed or replaced (its type
   * changed, so its status$ and output$ are new streams), and none for edits of params, labels, positions
   * or edges. Replays the current list to a new subscriber.
   */
  readonly nodeIds$: Observable<readonly string[]> = this.nodeIdsSubject.asObservable();

  /**
   * The TensorFlow.js backend ('wasm', 'webgl', 'cpu'...) named by the latest RBM any node has output,
   * intermediate ones included; null until one has.
   */
  readonly backend$: Observable<string | null> = this.backendSubject.pipe(distinctUntilChanged());

  constructor(
    readonly registry: NodeRegistry,
    options: EngineOptions = {},
  ) {
    this.cache = new ResultCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    this.heavyExecutor = fanOutExecutor(options.heavyExecutor ?? runInThread, options.parallelParts ?? 1);
    this.laneExecutors = options.laneExecutors ?? {};
    this.throttleMs = options.throttleMs ?? 100;
    this.followIntermediate = options.followIntermediate ?? true;
    this.memoryBudget = options.memoryBudget ?? Infinity;
    this.files = options.files;
  }

  // ---- reading -------------------------------------------------------------------------------

  nodeIds(): string[] {
    return [...this.runtimes.keys()];
  }

  status(id: string): NodeStatus {
    return this.runtime(id).status$.value;
  }

  status$(id: string): Observable<NodeStatus> {
    return this.runtime(id).status$.asObservable();
  }

  output(id: string): NodeOutput | undefined {
    return this.latest.get(id);
  }

  output$(id: string): Observable<NodeOutput> {
    return this.runtime(id).output$;
  }

  /** Why the graph is held over the memory budget ('this graph needs about 8.6 GB…'), or null when it is not. */
  budgetProblem(): string | null {
    return this.overBudget;
  }

  /** The latest value of `backend$`. */
  backend(): string | null {
    return this.backendSubject.value;
  }

  /** The running graph as a document (nodes with their checked params; no view, frames or notes). */
  document(): GraphDocument {
    return {
      format: GRAPH_FORMAT,
      version: GRAPH_VERSION,
      meta: {},
      nodes: [...this.nodes.values()],
      edges: [...this.edges.values()],
    };
  }

  /** Resolves when every node has settled: a final value, an error, or an input left unconnected. */
  whenSettled(): Promise<void> {
    const ids = this.nodeIds();
    if (ids.length === 0) return Promise.resolve();
    return firstValueFrom(
      combineLatest(ids.map((id) => this.runtime(id).output$)).pipe(
        filter((outputs) => outputs.every(isSettled)),
        map(() => undefined),
      ),
      { defaultValue: undefined },
    );
  }

  // ---- editing -------------------------------------------------------------------------------

  /** Replaces whatever runs now with a whole graph; throws a GraphError naming every problem. */
  load(graph: GraphDocument): void {
    const issues = validateGraph(graph, this.registry);
    const nodes = graph.nodes.map((node, i) => {
      if (node.placeholder) return node;
      try {
        return { ...node, params: this.checkParams(node.type, node.params, node.id) };
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        issues.push(...error.issues.map((issue) => ({ ...issue, path: `nodes[${i}].${issue.path}` })));
        return node;
      }
    });
    if (issues.length) throw new GraphError(issues);
    this.clear();
    for (const node of nodes) this.createRuntime(node);
    for (const edge of graph.edges) this.insertEdge(edge);
    this.checkBudget();
    for (const id of this.runtimes.keys()) this.start(id);
    this.publishNodeIds();
  }

  /**
   * Brings the running graph in line with `graph`, touching only what differs. Everything is checked
   * before anything changes, so a refused graph (a GraphError) leaves the running one as it was.
   */
  setGraph(graph: GraphDocument): void {
    const wantedNodes = new Map(graph.nodes.map((n) => [n.id, n]));
    const wantedEdges = new Map(graph.edges.map((e) => [e.id, e]));
    const goneNodes = new Set<string>();
    for (const [id, node] of this.nodes) {
      const wanted = wantedNodes.get(id);
      if (!wanted || wanted.type !== node.type || Boolean(wanted.placeholder) !== Boolean(node.placeholder))
        goneNodes.add(id);
    }
    const goneEdges = new Set<string>();
    for (const [id, edge] of this.edges) {
      const wanted = wantedEdges.get(id);
      if (
        !wanted ||
        goneNodes.has(edge.source) ||
        goneNodes.has(edge.target) ||
        contentKey(wanted) !== contentKey(edge)
      )
        goneEdges.add(id);
    }
    const newEdges = graph.edges.filter((e) => !this.edges.has(e.id) || goneEdges.has(e.id));
    const params = new Map<string, Record<string, unknown>>();
    let newNodes = false;
    for (const node of graph.nodes) {
      const current = goneNodes.has(node.id) ? undefined : this.nodes.get(node.id);
      newNodes ||= !current;
      if (node.placeholder || (current && contentKey(current.params) === contentKey(node.params))) continue;
      params.set(node.id, this.checkParams(node.type, node.params, node.id));
    }
    // One check of the whole graph rather than one per new edge, which would be quadratic in edges.
    if (
      newNodes ||
      newEdges.length ||
      wantedNodes.size !== graph.nodes.length ||
      wantedEdges.size !== graph.edges.length
    ) {
      const issues = validateGraph(graph, this.registry);
      if (issues.length) throw new GraphError(issues);
    }

    for (const id of goneEdges) this.removeEdge(id);
    for (const id of goneNodes) this.dropNode(id);
    const added: string[] = [];
    for (const node of graph.nodes) {
      const current = this.nodes.get(node.id);
      const checked = params.get(node.id);
      if (!current) {
        // New nodes start only once their edges are in, so none runs first without its inputs.
        this.createRuntime({ ...node, params: checked ?? node.params });
        added.push(node.id);
        continue;
      }
      if ((current.label ?? '') !== (node.label ?? '')) this.setLabel(node.id, node.label);
      if (checked) this.runtime(node.id).params$.next(checked);
      this.nodes.set(node.id, { ...node, params: checked ?? current.params });
    }
    for (const edge of newEdges) this.insertEdge(edge);
    this.checkBudget();
    for (const id of added) this.start(id);
    this.publishNodeIds();
  }

  addNode(node: GraphNode): void {
    if (this.runtimes.has(node.id))
      throw new GraphError([{ path: 'id', nodeId: node.id, message: `duplicate node id '${node.id}'` }]);
    const params = node.placeholder ? node.params : this.checkParams(node.type, node.params, node.id);
    this.createRuntime({ ...node, params });
    this.checkBudget();
    this.start(node.id);
    this.publishNodeIds();
  }

  removeNode(id: string): void {
    this.dropNode(id);
    this.checkBudget();
    this.publishNodeIds();
  }

  /** Adds an edge after checking its ports, their types and that it makes no cycle (see `edgeProblems`). */
  addEdge(edge: GraphEdge): void {
    const problems = edgeProblems(this.document(), edge, this.registry);
    if (problems.length) throw new GraphError(problems.map((message) => ({ path: '', edgeId: edge.id, message })));
    this.insertEdge(edge);
    this.checkBudget();
  }

  removeEdge(id: string): void {
    const edge = this.edges.get(id);
    if (!edge) throw new GraphError([{ path: '', edgeId: id, message: `no edge '${id}'` }]);
    this.edges.delete(id);
    const target = this.runtimes.get(edge.target);
    target?.edges$.next(target.edges$.value.filter((e) => e.id !== id));
  }

  /** Sets a node's params (validated, defaults filled in); only what depends on them runs again. */
  setParams(id: string, params: Record<string, unknown>): void {
    const runtime = this.runtime(id);
    const node = this.nodes.get(id)!;
    if (node.placeholder)
      throw new GraphError([{ path: 'params', nodeId: id, message: 'a placeholder node has no editable params' }]);
    const checked = this.checkParams(node.type, params, id);
    this.nodes.set(id, { ...node, params: checked });
    this.checkBudget();
    runtime.params$.next(checked);
  }

  setLabel(id: string, label: string | undefined): void {
    const runtime = this.runtime(id);
    const node = this.nodes.get(id)!;
    this.nodes.set(id, { ...node, label });
    runtime.label = label ?? id;
    for (const edge of this.edges.values()) {
      if (edge.source === id) this.runtimes.get(edge.target)?.refreshSources();
    }
  }

  /**
   * Pause: no new run starts, and a run already going stops at its next `ctx.checkpoint()`, in this thread
   * or in a worker of the pool (which is told through RunHooks.onPauseChange); its status reads
   * `{ state: 'running', progress, message: 'paused' }`. Both go on when resumed; a held run can still be
   * cancelled (an edit, removing its node, dispose).
   */
  setPaused(paused: boolean): void {
    this.pausedByUser = paused;
    this.updateHold();
  }

  get isPaused(): boolean {
    return this.pausedByUser;
  }

  /** Holds or releases the runs: they are held while the user has paused or the graph is over budget. */
  private updateHold(): void {
    const paused = this.pausedByUser || this.overBudget !== null;
    if (paused && !this.paused) {
      let resume = () => {};
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      this.paused = { resumed, resume };
    } else if (!paused && this.paused) {
      this.paused.resume();
      this.paused = null;
    }
    if (this.pausedSubject.value !== paused) this.pausedSubject.next(paused);
  }

  private checkBudget(): void {
    if (this.memoryBudget === Infinity) return;
    const problem = budgetProblem(estimateGraph(this.document(), this.registry), this.memoryBudget);
    if (problem === this.overBudget) return;
    this.overBudget = problem;
    this.updateHold();
  }

  /**
   * A file is in the store now (dropped again, say): every node that failed while it reads this file runs
   * again. Nodes that are done, or read other files, are left alone.
   */
  fileAdded(sha256: string): void {
    for (const [id, runtime] of this.runtimes) {
      const definition = runtime.definition;
      if (!definition?.files) continue;
      const params = this.nodes.get(id)!.params;
      if (definition.files(params).some((ref) => ref.sha256 === sha256)) runtime.retry();
    }
  }

  /** Stops every run and frees every pipeline; the engine cannot be used afterwards. */
  dispose(): void {
    this.clear();
    this.publishNodeIds();
    this.cache.clear();
    this.disposed = true;
    this.nodeIdsSubject.complete();
    this.backendSubject.complete();
    this.pausedSubject.complete();
  }

  // ---- internals -----------------------------------------------------------------------------

  private runtime(id: string): NodeRuntime {
    if (this.disposed) throw new Error('the engine has been disposed');
    const runtime = this.runtimes.get(id);
    if (!runtime) throw new GraphError([{ path: '', nodeId: id, message: `no node '${id}'` }]);
    return runtime;
  }

  private checkParams(type: string, params: Record<string, unknown>, nodeId: string): Record<string, unknown> {
    const definition = this.registry.get(type);
    if (!definition) throw new GraphError([{ path: 'type', nodeId, message: `unknown node type '${type}'` }]);
    const parsed = definition.params.safeParse(params);
    if (!parsed.success) {
      const issues: GraphIssue[] = parsed.error.issues.map((issue) => ({
        path: formatPath(['params', ...(issue.path as (string | number)[])]),
        nodeId,
        message: issue.message,
      }));
      throw new GraphError(issues);
    }
    return parsed.data as Record<string, unknown>;
  }

  private executorFor = (definition: AnyNodeDefinition): Executor =>
    (definition.lane && this.laneExecutors[definition.lane]) || (definition.heavy ? this.heavyExecutor : runInThread);

  private createRuntime(node: GraphNode): void {
    if (this.disposed) throw new Error('the engine has been disposed');
    const definition = node.placeholder ? undefined : this.registry.get(node.type);
    const runtime = new NodeRuntime(node.id, node.type, definition, node.params, node.label ?? node.id, {
      cache: this.cache,
      executorFor: this.executorFor,
      runtimeOf: (id) => this.runtimes.get(id),
      throttleMs: this.throttleMs,
      followIntermediate: this.followIntermediate,
      whenRunning: () =>
        this.paused
          ? {
              paused: true,
              resumed: this.paused.resumed,
              reason: this.pausedByUser ? 'paused' : 'over the memory budget',
            }
          : { paused: false, resumed: Promise.resolve() },
      paused$: this.pausedSubject,
      files: this.files,
    });
    this.runtimes.set(node.id, runtime);
    this.nodes.set(node.id, node);
    this.nodesChanged = true;
  }

  private dropNode(id: string): void {
    this.runtime(id);
    for (const edge of [...this.edges.values()]) {
      if (edge.source === id || edge.target === id) this.removeEdge(edge.id);
    }
    this.subscriptions.get(id)?.unsubscribe();
    this.subscriptions.delete(id);
    this.runtimes.get(id)!.destroy();
    this.runtimes.delete(id);
    this.nodes.delete(id);
    this.latest.delete(id);
    this.nodesChanged = true;
  }

  private publishNodeIds(): void {
    if (!this.nodesChanged) return;
    this.nodesChanged = false;
    this.nodeIdsSubject.next([...this.runtimes.keys()]);
  }

  private insertEdge(edge: GraphEdge): void {
    this.edges.set(edge.id, edge);
    const target = this.runtime(edge.target);
    target.edges$.next([...target.edges$.value, edge]);
  }

  private start(id: string): void {
    const subscription = this.runtime(id).output$.subscribe((output) => {
      this.latest.set(id, output);
      if (output.kind !== 'value') return;
      for (const value of Object.values(output.outputs)) {
        const backend = isValue(value) && value.type === 'rbm' ? (value as RbmValue).training.backend : undefined;
        if (typeof backend === 'string') this.backendSubject.next(backend);
      }
    });
    this.subscriptions.set(id, subscription);
  }

  private clear(): void {
    if (this.runtimes.size) this.nodesChanged = true;
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    for (const runtime of this.runtimes.values()) runtime.destroy();
    this.subscriptions.clear();
    this.runtimes.clear();
    this.nodes.clear();
    this.edges.clear();
    this.latest.clear();
  }
}
