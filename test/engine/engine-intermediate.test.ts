/** The engine over the worker pool: a worker that stops answering, and growing intermediate values. */
import { afterEach, describe, expect, it } from 'vitest';
import { GraphEngine } from '../../src/engine/engine';
import { NodeRegistry } from '../../src/graph/registry';
import type { TensorValue } from '../../src/graph/values';
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

function first(id: string): number[] {
  const out = engine.output(id);
  if (out?.kind !== 'value') throw new Error(`node '${id}' has no value`);
  return Array.from((out.outputs.out as TensorValue).data);
}

describe('GraphEngine with the worker pool: heartbeat and intermediate values', () => {
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

  it('a heavy node that follows a growing value gets exactly its rows in its worker, not the buffer under them', async () => {
    pool = testPool({ size: 2 });
    engine = new GraphEngine(registry, { heavyExecutor: pool.executor, throttleMs: 0 });
    const seen: number[][] = [];
    engine.load(
      graph(
        [node('grow', 'test.grow', { rows: 60, width: 5000, every: 5, ms: 60 }), node('buffer', 'test.buffer')],
        [edge('grow.out', 'buffer.a')],
      ),
    );
    const watching = engine.output$('buffer').subscribe((out) => {
      if (out.kind === 'value') seen.push(Array.from((out.outputs.out as TensorValue).data));
    });
    await engine.whenSettled();
    watching.unsubscribe();
    expect(first('buffer')).toEqual([60, 60 * 5000 * 4, 60 * 5000 * 4]);
    const partial = seen.filter(([rows]) => rows < 60);
    expect(partial.length).toBeGreaterThanOrEqual(1);
    for (const [rows, bytes, buffer] of partial) {
      expect(bytes).toBe(rows * 5000 * 4);
      expect(buffer).toBe(bytes);
    }
  });
});
