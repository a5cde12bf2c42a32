/**
 * The engine and worker pool behind the canvas, and every node's status and figure as an external store:
 * a component subscribes to the one node it shows, so a progress message re-renders that node's badge and
 * nothing else (not the canvas, the inspector or the other nodes).
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { Subscription } from 'rxjs';
import { GraphEngine } from '../engine/engine';
import type { NodeStatus } from '../engine/status';
import type { FileStore } from '../graph/files';
import { isValue, type FigureValue } from '../graph/values';
import type { NodeRegistry } from '../graph/registry';
import { createAppPool } from '../workers/app-pool';

const engines = new WeakMap<NodeRegistry, GraphEngine>();

/**
 * One engine per page, with its worker pool; it lives as long as the page does. The first call makes it,
 * with the memory budget and the store of imported data files; later calls get it.
 */
export function pageEngine(registry: NodeRegistry, memoryBudget?: number, files?: FileStore): GraphEngine {
  let engine = engines.get(registry);
  if (!engine) {
    // Training and figures get a worker each, so short jobs never queue behind a training that takes minutes
    // and plots keep updating meanwhile. A model mid-training feeds only figures (NodeRuntime.follows): a
    // Sampler on every epoch's model, beside the training, made the page's frames take 60-110 ms on two cores.
    // Runs are not split across workers here (EngineOptions.parallelParts stays 1), unlike in the CLI:
    // the parts' outputs are merged on the calling thread, and a lattice of a few hundred megabytes copied
    // there would hold the page for a tenth of a second or more.
    engine = new GraphEngine(registry, {
      heavyExecutor: createAppPool().executor,
      laneExecutors: {
        figures: createAppPool({ size: 1 }).executor,
        training: createAppPool({ size: 1 }).executor,
      },
      memoryBudget,
      files,
    });
    engines.set(registry, engine);
  }
  return engine;
}

const IDLE: NodeStatus = { state: 'idle' };

/**
 * How often, at most, the page shows what the engine reports. Each update is a frame's work on the main
 * thread (style, layout, paint, new figure SVGs); ten a second look live and leave it mostly idle.
 */
const UPDATE_MS = 100;

/**
 * Every node's status and latest figure (intermediate results included), and the TensorFlow.js backend
 * the workers train on, updated at most once per animation frame. Subscriptions are per key, so each
 * component hears only about what it shows.
 */
export class EngineView {
  private statuses = new Map<string, NodeStatus>();
  /** Replaced (never mutated) when a figure changes: a snapshot for useSyncExternalStore. */
  /** Prototype-less: node ids come from files, and one may be `__proto__` or `constructor`. */
  private figureRecord: Readonly<Record<string, FigureValue>> = Object.create(null);
  private backendName: string | null = null;
  private readonly listeners = new Map<string, Set<() => void>>();

  status(id: string): NodeStatus {
    return this.statuses.get(id) ?? IDLE;
  }

  figure(id: string): FigureValue | undefined {
    return this.figureRecord[id];
  }

  /** The latest figure of every node that outputs one; a new object whenever one of them changes. */
  figures(): Readonly<Record<string, FigureValue>> {
    return this.figureRecord;
  }

  /** 'wasm', 'webgl' or 'cpu' once a model has trained, else null. */
  backend(): string | null {
    return this.backendName;
  }

  /** Listens to `status:ID`, `figure:ID`, `figures` (any figure) or `backend`. */
  subscribe(key: string, listener: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** Applies a batch of changes, then tells the listeners of what changed. */
  update(statuses: Map<string, NodeStatus>, figures: Map<string, FigureValue>, backend: string | null): void {
    const changed = new Set<string>();
    for (const [id, status] of statuses) {
      if (this.statuses.get(id) === status) continue;
      this.statuses.set(id, status);
      changed.add(`status:${id}`);
    }
    if (figures.size) {
      const next: Record<string, FigureValue> = Object.assign(Object.create(null), this.figureRecord);
      for (const [id, figure] of figures) {
        if (next[id] === figure) continue;
        next[id] = figure;
        changed.add(`figure:${id}`);
        changed.add('figures');
      }
      if (changed.has('figures')) this.figureRecord = next;
    }
    if (backend !== null && backend !== this.backendName) {
      this.backendName = backend;
      changed.add('backend');
    }
    for (const key of changed) this.listeners.get(key)?.forEach((listener) => listener());
  }
}

/**
 * Feeds `view` with what `engine` reports, batched per frame, until the returned function is called. Each
 * node's streams are subscribed while the node exists (engine.nodeIds$): a param edit or a drag subscribes
 * nothing anew.
 */
export function connectEngineView(engine: GraphEngine, view: EngineView): () => void {
  // Statuses and figures can come fast (progress every few tens of ms, a figure per epoch of a small
  // training): they are shown together, in one frame at most every UPDATE_MS.
  let statuses = new Map<string, NodeStatus>();
  let figures = new Map<string, FigureValue>();
  let backend: string | null = null;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let shown = -Infinity;
  const flush = () => {
    frame = 0;
    shown = performance.now();
    const batch = [statuses, figures, backend] as const;
    statuses = new Map();
    figures = new Map();
    backend = null;
    view.update(...batch);
  };
  const schedule = () => {
    if (frame || timer !== undefined) return;
    const wait = shown + UPDATE_MS - performance.now();
    if (wait <= 0) frame = requestAnimationFrame(flush);
    else
      timer = setTimeout(() => {
        timer = undefined;
        frame = requestAnimationFrame(flush);
      }, wait);
  };

  const watched = new Map<string, Subscription>();
  const watch = (id: string) => {
    const subscription = new Subscription();
    watched.set(id, subscription);
    // A node whose type changed is a new runtime under the same id: its old status$ completes, and the
    // engine then lists the id again, to be watched afresh. (A placeholder's output$ completes at once.)
    const forget = () => {
      if (watched.get(id) === subscription) watched.delete(id);
      subscription.unsubscribe();
    };
    subscription.add(
      engine.status$(id).subscribe({
        next: (status) => {
          statuses.set(id, status);
          schedule();
        },
        complete: forget,
      }),
    );
    subscription.add(
      engine.output$(id).subscribe({
        next: (output) => {
          if (output.kind !== 'value') return;
          const figure = Object.values(output.outputs).find(
            (value): value is FigureValue => isValue(value) && value.type === 'figure',
          );
          if (!figure) return;
          figures.set(id, figure);
          schedule();
        },
      }),
    );
  };
  const subscriptions = new Subscription();
  subscriptions.add(
    engine.nodeIds$.subscribe((ids) => {
      const present = new Set(ids);
      for (const [id, subscription] of watched) {
        if (present.has(id)) continue;
        subscription.unsubscribe();
        watched.delete(id);
      }
      for (const id of ids) if (!watched.has(id)) watch(id);
    }),
  );
  subscriptions.add(
    engine.backend$.subscribe((name) => {
      if (name === null || name === view.backend()) return;
      backend = name;
      schedule();
    }),
  );
  return () => {
    subscriptions.unsubscribe();
    for (const subscription of watched.values()) subscription.unsubscribe();
    watched.clear();
    if (frame) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/**
 * The statuses, figures and backend of what `engine` runs, as a view that lives as long as the component.
 * Whoever owns the document hands each new one to `engine.setGraph` (it diffs); the view's subscriptions
 * change only when nodes come or go.
 */
export function useEngine(engine: GraphEngine): EngineView {
  const [view] = useState(() => new EngineView());
  useEffect(() => connectEngineView(engine, view), [engine, view]);
  return view;
}

/** A value of the view that re-renders the component only when `read()` changes (compared with Object.is). */
function useView<T>(view: EngineView, key: string, read: () => T): T {
  const subscribe = useCallback((listener: () => void) => view.subscribe(key, listener), [view, key]);
  return useSyncExternalStore(subscribe, read);
}

/** One node's status; the component re-renders only when it changes. */
export function useNodeStatus(view: EngineView, id: string): NodeStatus {
  return useView(view, `status:${id}`, () => view.status(id));
}

/** One node's state ('running', 'done'...): unlike its status, it does not change with every progress message. */
export function useNodeState(view: EngineView, id: string): NodeStatus['state'] {
  return useView(view, `status:${id}`, () => view.status(id).state);
}

/** One node's latest figure. */
export function useNodeFigure(view: EngineView, id: string): FigureValue | undefined {
  return useView(view, `figure:${id}`, () => view.figure(id));
}

/** Every node's latest figure. */
export function useFigures(view: EngineView): Readonly<Record<string, FigureValue>> {
  return useView(view, 'figures', () => view.figures());
}

/** The TensorFlow.js backend the workers' models train on, once one has. */
export function useBackend(view: EngineView): string | null {
  return useView(view, 'backend', () => view.backend());
}
