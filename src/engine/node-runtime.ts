/**
 * One node instance as a small RxJS pipeline: (params, upstream outputs) -> request -> run ->
 * shared, replayed output. A new request switches away from the running one, which aborts it.
 */
import {
  BehaviorSubject,
  Observable,
  Subject,
  Subscription,
  combineLatest,
  distinctUntilChanged,
  map,
  of,
  shareReplay,
  switchMap,
  takeUntil,
  tap,
} from 'rxjs';
import type { GraphEdge } from '../graph/document';
import type { FileContents, FileRef, FileStore } from '../graph/files';
import type { AnyNodeDefinition, InputValues, OutputValues, PortSpec, SourceInfo } from '../graph/node-definition';
import { canConnect } from '../graph/ports';
import { valueType, type Value } from '../graph/values';
import type { ResultCache } from './cache';
import { isAbortError, type Executor, type RunHooks } from './execute';
import { contentKey } from './keys';
import { warningOf, type NodeOutput, type NodeStatus } from './status';
import { throttleIntermediate } from './throttle';

/** Waits shorter than this (a message to a worker and back) are not reported. */
const WAIT_SHOWN_MS = 50;

export interface RuntimeContext {
  cache: ResultCache;
  executorFor(definition: AnyNodeDefinition): Executor;
  runtimeOf(id: string): NodeRuntime | undefined;
  /** Minimum time between intermediate values passed downstream. */
  throttleMs: number;
  /** Whether nodes run on their inputs' intermediate values (the app) or wait for final ones (headless). */
  followIntermediate: boolean;
  /**
   * Whether the engine is paused, and a promise that resolves when it is resumed (at once if it is not);
   * `reason` is what a held node's status says ('paused', 'over the memory budget').
   */
  whenRunning(): { paused: boolean; resumed: Promise<void>; reason?: string };
  /** Whether the engine is paused: replays the current state, then each change. */
  paused$: Observable<boolean>;
  /** Where the files nodes read come from (NodeDefinition.files); a node that reads one fails without it. */
  files?: FileStore;
}

type RunRequest = {
  kind: 'run';
  key: string;
  /** How many times the node was asked to run again on the same request (NodeRuntime.retry). */
  attempt: number;
  inputs: InputValues;
  params: Record<string, unknown>;
  sources: Record<string, SourceInfo[]>;
  final: boolean;
};
type Request = RunRequest | Exclude<NodeOutput, { kind: 'value' }>;
type Upstream = { edge: GraphEdge; output: NodeOutput };

function sameRequest(a: Request, b: Request): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'run') return a.key === (b as RunRequest).key && a.attempt === (b as RunRequest).attempt;
  return JSON.stringify(a) === JSON.stringify(b);
}

function checkOutputs(
  definition: AnyNodeDefinition,
  outputs: Record<string, unknown>,
  partial: boolean,
  params: Record<string, unknown>,
): void {
  for (const [port, value] of Object.entries(outputs)) {
    const spec: PortSpec | undefined = definition.outputs[port];
    if (!spec) throw new Error(`run() returned output '${port}', which ${definition.type} does not declare`);
    const type = valueType(value);
    if (!type || !canConnect(type, spec.type)) {
      throw new Error(`output '${port}' should be ${spec.type} but run() returned ${type ?? typeof value}`);
    }
  }
  if (partial) return;
  for (const port of definition.outputsFor?.(params) ?? Object.keys(definition.outputs)) {
    if (outputs[port] === undefined) throw new Error(`run() returned no value for output '${port}'`);
  }
}

/** The files a run reads, from the engine's store, by SHA-256. */
async function readFiles(
  store: FileStore | undefined,
  refs: readonly FileRef[],
  signal: AbortSignal,
): Promise<Record<string, FileContents>> {
  const files: Record<string, FileContents> = {};
  for (const ref of refs) {
    if (!store) throw new Error(`${ref.name}: this engine has no file store to read it from`);
    files[ref.sha256] = await store.read(ref, signal);
    signal.throwIfAborted();
  }
  return files;
}

export class NodeRuntime {
  readonly params$: BehaviorSubject<Record<string, unknown>>;
  /** The edges into this node, in graph order. */
  readonly edges$ = new BehaviorSubject<GraphEdge[]>([]);
  readonly status$ = new BehaviorSubject<NodeStatus>({ state: 'idle' });
  /** Counts the retries asked for: a new count runs the same request again. */
  private readonly attempt$ = new BehaviorSubject(0);
  /** Everything this node offers: shared and replayed to late subscribers. */
  readonly output$: Observable<NodeOutput>;
  /** `output$` with intermediate values throttled, for downstream nodes. */
  readonly downstream$: Observable<NodeOutput>;
  private readonly destroy$ = new Subject<void>();

  constructor(
    readonly id: string,
    readonly type: string,
    readonly definition: AnyNodeDefinition | undefined,
    params: Record<string, unknown>,
    public label: string,
    private readonly context: RuntimeContext,
  ) {
    this.params$ = new BehaviorSubject(params);
    const request$: Observable<Request> = definition
      ? combineLatest([this.params$, this.upstream$(), this.attempt$]).pipe(
          map(([p, upstream, attempt]) => this.resolve(definition, p, upstream, attempt)),
          distinctUntilChanged(sameRequest),
        )
      : of<Request>({
          kind: 'failed',
          origin: id,
          message: `unknown node type '${type}': this app cannot run it (kept unchanged in the file)`,
        });
    this.output$ = request$.pipe(
      switchMap((request) => (request.kind === 'run' ? this.run(definition!, request) : of(this.settle(request)))),
      takeUntil(this.destroy$),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    this.downstream$ = this.output$.pipe(
      throttleIntermediate(context.throttleMs, (out) => out.kind === 'value' && !out.final),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  /**
   * Runs the node again on the same params and inputs if its last run failed (a file it reads was missing
   * and is there now); a node that is done keeps its result, from the cache.
   */
  retry(): void {
    if (this.status$.value.state === 'error') this.attempt$.next(this.attempt$.value + 1);
  }

  /** Re-reads upstream labels (they appear in `ctx.sources`) by re-announcing the same edges. */
  refreshSources(): void {
    this.edges$.next([...this.edges$.value]);
  }

  destroy(): void {
    this.destroy$.next();
    this.destroy$.complete();
    this.params$.complete();
    this.edges$.complete();
    this.status$.complete();
    this.attempt$.complete();
  }

  private upstream$(): Observable<Upstream[]> {
    return this.edges$.pipe(
      switchMap((edges) => {
        if (edges.length === 0) return of([]);
        return combineLatest(
          edges.map((edge) => {
            const source = this.context.runtimeOf(edge.source);
            if (!source) throw new Error(`edge '${edge.id}' comes from missing node '${edge.source}'`);
            return source.downstream$.pipe(map((output) => ({ edge, output })));
          }),
        );
      }),
    );
  }

  private resolve(
    definition: AnyNodeDefinition,
    params: Record<string, unknown>,
    upstream: Upstream[],
    attempt: number,
  ): Request {
    for (const { edge, output } of upstream) {
      if (output.kind === 'failed') {
        const culprit =
          output.origin === edge.source ? `'${edge.source}'` : `'${output.origin}' (via '${edge.source}')`;
        return { kind: 'failed', origin: output.origin, message: `upstream node ${culprit} failed` };
      }
    }
    for (const [port, spec] of Object.entries(definition.inputs)) {
      if (!spec.optional && !upstream.some(({ edge }) => edge.targetPort === port)) {
        return { kind: 'unconnected', message: `input '${port}' is not connected` };
      }
    }
    for (const { edge, output } of upstream) {
      if (output.kind === 'unconnected') {
        return { kind: 'unconnected', message: `upstream node '${edge.source}' cannot run yet` };
      }
    }
    const inputs: InputValues = {};
    const sources: Record<string, SourceInfo[]> = {};
    const inputKeys: Record<string, string[]> = {};
    let final = true;
    for (const [port, spec] of Object.entries(definition.inputs)) {
      const values: Value[] = [];
      sources[port] = [];
      inputKeys[port] = [];
      for (const { edge, output } of upstream) {
        if (edge.targetPort !== port) continue;
        if (output.kind !== 'value' || output.outputs[edge.sourcePort] === undefined) return { kind: 'pending' };
        if (!output.final && !this.follows(definition, edge.source)) return { kind: 'pending' };
        values.push(output.outputs[edge.sourcePort] as Value);
        final &&= output.final;
        const label = this.context.runtimeOf(edge.source)?.label ?? edge.source;
        sources[port].push({ nodeId: edge.source, port: edge.sourcePort, label });
        inputKeys[port].push(`${output.key}/${edge.sourcePort}/${label}`);
      }
      inputs[port] = spec.many ? values : values[0];
    }
    const key = contentKey({ type: definition.type, version: definition.version, params, inputs: inputKeys });
    return { kind: 'run', key, attempt, inputs, params, sources, final };
  }

  /**
   * Whether this node runs on the intermediate values of `sourceId`: where the engine follows them at all
   * (the app), always, except that a model mid-training feeds only light nodes and figures. A heavy node (a
   * Sampler) would rerun on every epoch's model, beside the training, and its results would redraw figures
   * on the page's thread each time; it runs on the trained model instead.
   */
  private follows(definition: AnyNodeDefinition, sourceId: string): boolean {
    if (!this.context.followIntermediate) return false;
    if (this.context.runtimeOf(sourceId)?.definition?.lane !== 'training') return true;
    return !definition.heavy || definition.lane === 'figures';
  }

  /** Output and status for a request that does not run the node. */
  private settle(request: Exclude<Request, RunRequest>): NodeOutput {
    if (request.kind === 'failed') {
      this.status$.next({ state: 'error', message: request.message, origin: request.origin });
    } else if (request.kind === 'unconnected') {
      this.status$.next({ state: 'waiting', message: request.message });
    } else {
      this.status$.next({ state: 'waiting', message: 'waiting for upstream nodes' });
    }
    return request;
  }

  private run(definition: AnyNodeDefinition, request: RunRequest): Observable<NodeOutput> {
    return new Observable<NodeOutput>((subscriber) => {
      const { cache } = this.context;
      const hit = cache.get(request.key);
      if (hit) {
        this.status$.next({ state: 'done', ms: hit.ms, cached: true, partial: false, ...warningOf(hit.outputs) });
        subscriber.next({ kind: 'value', key: request.key, outputs: hit.outputs, final: true });
        subscriber.complete();
        return;
      }
      subscriber.next({ kind: 'pending' });
      this.status$.next({ state: 'running', progress: 0 });
      const controller = new AbortController();
      const requested = performance.now();
      /** When the run itself began: when it was handed to the executor, or later when a worker took it (hooks.started). */
      let began: number | undefined;
      let settled = false;
      let emitted = 0;
      let latest: OutputValues = {};
      /** The executor's subscriptions to the engine's pause, ended with the run. */
      const watching = new Subscription();
      const hooks: RunHooks = {
        signal: controller.signal,
        progress: (progress: number, message?: string) => {
          if (!controller.signal.aborted) this.status$.next({ state: 'running', progress, message });
        },
        emit: (outputs: OutputValues) => {
          if (controller.signal.aborted) return;
          checkOutputs(definition, outputs, true, request.params);
          latest = { ...latest, ...outputs };
          subscriber.next({ kind: 'value', key: `${request.key}~${++emitted}`, outputs: latest, final: false });
        },
        held: () => {
          const gate = this.context.whenRunning();
          if (!gate.paused || controller.signal.aborted) return undefined;
          const before = this.status$.value;
          const progress = before.state === 'running' ? before.progress : 0;
          this.status$.next({ state: 'running', progress, message: gate.reason ?? 'paused' });
          return new Promise<void>((resolve) => {
            const wake = () => {
              controller.signal.removeEventListener('abort', wake);
              resolve();
            };
            controller.signal.addEventListener('abort', wake);
            void gate.resumed.then(wake);
          }).then(() => {
            if (!controller.signal.aborted) this.status$.next(before);
          });
        },
        started: () => {
          began = performance.now();
        },
        onPauseChange: (listener: (paused: boolean) => void) => {
          const subscription = this.context.paused$.subscribe(listener);
          watching.add(subscription);
          return () => {
            subscription.unsubscribe();
            watching.remove(subscription);
          };
        },
      };
      const execute = this.context.executorFor(definition);
      Promise.resolve()
        .then(async () => {
          const gate = this.context.whenRunning();
          if (gate.paused) {
            this.status$.next({ state: 'waiting', message: gate.reason ?? 'paused' });
            await gate.resumed;
            if (!controller.signal.aborted) this.status$.next({ state: 'running', progress: 0 });
          }
          controller.signal.throwIfAborted(); // switched away from before it began
          began = performance.now();
          const refs = definition.files?.(request.params) ?? [];
          let files: Record<string, FileContents> | undefined;
          if (refs.length) {
            this.status$.next({
              state: 'running',
              progress: 0,
              message: `reading ${refs.map((r) => r.name).join(', ')}`,
            });
            files = await readFiles(this.context.files, refs, controller.signal);
          }
          return execute(
            { definition, inputs: request.inputs, params: request.params, sources: request.sources, files },
            hooks,
          );
        })
        .then((outputs) => {
          if (controller.signal.aborted) return;
          checkOutputs(definition, outputs, false, request.params);
          const from = began ?? requested;
          const ms = performance.now() - from;
          const waited = from - requested >= WAIT_SHOWN_MS ? { waitedMs: from - requested } : {};
          if (request.final) cache.set(request.key, { outputs, ms });
          settled = true;
          this.status$.next({
            state: 'done',
            ms,
            ...waited,
            cached: false,
            partial: !request.final,
            ...warningOf(outputs),
          });
          subscriber.next({ kind: 'value', key: request.key, outputs, final: request.final });
          subscriber.complete();
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted && isAbortError(error)) return;
          if (controller.signal.aborted) return;
          settled = true;
          const message = error instanceof Error ? error.message : String(error);
          const details = error instanceof Error ? error.stack : undefined;
          this.status$.next({ state: 'error', message, origin: this.id, details });
          subscriber.next({ kind: 'failed', origin: this.id, message });
          subscriber.complete();
        });
      return () => {
        if (!settled) controller.abort();
        watching.unsubscribe();
      };
    }).pipe(
      tap({
        unsubscribe: () => {
          // A stale run that was switched away from is no longer running.
          if (this.status$.value.state === 'running') this.status$.next({ state: 'waiting', message: 'restarting' });
        },
      }),
    );
  }
}
