/** The engine and worker pool behind the canvas, and every node's status as React state. */
import { useEffect, useState } from 'react';
import { GraphEngine } from '../engine/engine';
import type { NodeStatus } from '../engine/status';
import type { GraphDocument } from '../graph/document';
import { isValue, type FigureValue, type RbmValue } from '../graph/values';
import type { NodeRegistry } from '../graph/registry';
import { createAppPool } from '../workers/app-pool';

const engines = new WeakMap<NodeRegistry, GraphEngine>();

/** One engine per page, with its worker pool; it lives as long as the page does. */
export function pageEngine(registry: NodeRegistry): GraphEngine {
  let engine = engines.get(registry);
  if (!engine) {
    // Figures get a worker of their own, so plots keep updating while a long training holds the pool.
    engine = new GraphEngine(registry, {
      heavyExecutor: createAppPool().executor,
      laneExecutors: { figures: createAppPool({ size: 1 }).executor },
    });
    engines.set(registry, engine);
  }
  return engine;
}

export interface EngineView {
  statuses: Record<string, NodeStatus>;
  /** The latest figure of every node that outputs one (intermediate results included). */
  figures: Record<string, FigureValue>;
  /** The TensorFlow.js backend the workers' models train on, once one has ('wasm', 'webgl', 'cpu'). */
  backend: string | null;
}

/** Runs `graph` (already validated) in the page's engine; returns each node's status and figure. */
export function useEngine(registry: NodeRegistry, graph: GraphDocument | null): EngineView {
  const [statuses, setStatuses] = useState<Record<string, NodeStatus>>({});
  const [figures, setFigures] = useState<Record<string, FigureValue>>({});
  const [backend, setBackend] = useState<string | null>(null);

  useEffect(() => {
    if (!graph) return;
    const engine = pageEngine(registry);
    engine.setGraph(graph);
    // Status changes can come fast; batch them into one render per frame.
    let pending: Record<string, NodeStatus> = {};
    let pendingFigures: Record<string, FigureValue> = {};
    let frame = 0;
    const flush = () => {
      frame = 0;
      const [batch, figureBatch] = [pending, pendingFigures];
      pending = {};
      pendingFigures = {};
      setStatuses((current) => ({ ...current, ...batch }));
      if (Object.keys(figureBatch).length) setFigures((current) => ({ ...current, ...figureBatch }));
    };
    const subscriptions = engine.nodeIds().flatMap((id) => [
      engine.status$(id).subscribe((status) => {
        pending[id] = status;
        frame ||= requestAnimationFrame(flush);
      }),
      engine.output$(id).subscribe((output) => {
        if (output.kind !== 'value') return;
        const model = Object.values(output.outputs).find((v) => isValue(v) && v.type === 'rbm') as RbmValue | undefined;
        if (typeof model?.training.backend === 'string') setBackend(model.training.backend);
        const figure =
          output.kind === 'value'
            ? Object.values(output.outputs).find((v) => isValue(v) && v.type === 'figure')
            : undefined;
        if (!figure) return;
        pendingFigures[id] = figure as FigureValue;
        frame ||= requestAnimationFrame(flush);
      }),
    ]);
    return () => {
      subscriptions.forEach((s) => s.unsubscribe());
      if (frame) cancelAnimationFrame(frame);
    };
  }, [registry, graph]);

  return { statuses, figures, backend };
}
