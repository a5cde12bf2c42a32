/** The engine over the worker pool: a worker that stops answering. */
import { afterEach, describe, expect, it } from 'vitest';
import { GraphEngine } from '../../src/engine/engine';
import { NodeRegistry } from '../../src/graph/registry';
import type { WorkerPool } from '../../src/workers/pool';
import { edge, graph, node } from '../helpers/graphs';
import { testPool } from '../helpers/pool';
import { testNodes } from '../helpers/test-nodes';
import { workerOnlyNodes } from '../helpers/worker-test-nodes';
import { watchdogNodes } from '../workers/watchdog-nodes';

const registry = new NodeRegistry([...testNodes, ...workerOnlyNodes, ...watchdogNodes]);
let pool: WorkerPool;
let engine: GraphEngine;
afterEach(() => {
  engine.dispose();
  pool.dispose();
});

describe('GraphEngine with the worker pool: heartbeat', () => {
  it('a worker that stops answering fails its node with a clear message; the next run gets a new worker', async () => {
    pool = testPool({ size: 1, heartbeatMs: 100, heartbeatTimeoutMs: 1000 });
    engine = new GraphEngine(registry, { heavyExecutor: pool.executor });
    engine.load(
      graph([node('hang', 'test.hang', { how: 'freeze' }), node('after', 'test.echo')], [edge('hang.out', 'after.a')]),
    );
    await engine.whenSettled();
    expect(engine.status('hang')).toMatchObject({
      state: 'error',
      origin: 'hang',
      message: 'the worker running this node stopped responding (no heartbeat for 1 s); it was replaced',
    });
    expect(engine.status('after')).toMatchObject({ state: 'error', origin: 'hang' });
    engine.addNode(node('fine', 'test.checkpoints', { steps: 3, ms: 1 }));
    await engine.whenSettled();
    expect(engine.status('fine')).toMatchObject({ state: 'done' });
    expect(pool.workerCount).toBe(1);
  });
});
