/** The engine and worker pool behind the canvas, and every node's status as React state. */
import { useEffect, useState } from 'react';
import { GraphEngine } from '../engine/engine';
import type { NodeStatus } from '../engine/status';
import type { GraphDocument } from '../graph/document';
import type { NodeRegistry } from '../graph/registry';
import { createAppPool } from '../workers/app-pool';

const engines = new WeakMap<NodeRegistry, GraphEngine>();

/** One engine per page, with its worker pool; it lives as long as the page does. */
export function pageEngine(registry: NodeRegistry): GraphEngine {
  let engine = engines.get(registry);
  if (!engine) {
    engine = new GraphEngine(registry, { heavyExecutor: createAppPool().executor });
    engines.set(registry, engine);
  }
  return engine;
}

/** Runs `graph` (already validated) in the page's engine; returns each node's latest status. */
export function useEngine(registry: NodeRegistry, graph: GraphDocument | null): Record<string, NodeStatus> {
  const [statuses, setStatuses] = useState<Record<string, NodeStatus>>({});

  useEffect(() => {
    if (!graph) return;
    const engine = pageEngine(registry);
    engine.setGraph(graph);
    // Status changes can come fast; batch them into one render per frame.
    let pending: Record<string, NodeStatus> = {};
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = {};
      setStatuses((current) => ({ ...current, ...batch }));
    };
    const subscriptions = engine.nodeIds().map((id) =>
      engine.status$(id).subscribe((status) => {
        pending[id] = status;
        frame ||= requestAnimationFrame(flush);
      }),
    );
    return () => {
      subscriptions.forEach((s) => s.unsubscribe());
      if (frame) cancelAnimationFrame(frame);
    };
  }, [registry, graph]);

  return statuses;
}
