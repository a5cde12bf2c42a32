import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphEngine } from '../../src/engine/engine';
import { NodeRegistry } from '../../src/graph/registry';
import type { TensorValue } from '../../src/graph/values';
import type { WorkerPool } from '../../src/workers/pool';
import { edge, graph, node } from '../helpers/graphs';
import { testPool } from '../helpers/pool';
import { testNodes } from '../helpers/test-nodes';
import { workerOnlyNodes } from '../helpers/worker-test-nodes';

const registry = new NodeRegistry([...testNodes, ...workerOnlyNodes]);
let pool: WorkerPool;
let engine: GraphEngine;

function setUp(): void {
  pool = testPool({ size: 1 });
  engine = new GraphEngine(registry, { heavyExecutor: pool.executor });
}
afterEach(() => {
  engine.dispose();
  pool.dispose();
});

describe('GraphEngine with the worker pool', () => {
  it('runs heavy nodes in a worker and light ones in this thread', async () => {
    setUp();
    engine.load(
      graph([node('src', 'test.source', { value: 3 }), node('echo', 'test.echo')], [edge('src.out', 'echo.a')]),
    );
    await engine.whenSettled();
    const out = engine.output('echo');
    expect(out?.kind).toBe('value');
    expect((out as { outputs: Record<string, TensorValue> }).outputs.out.data[0]).toBe(4);
    expect(pool.workerCount).toBe(1);
  });

  it('a param change cancels the job inside the worker, so the next run does not wait for it', async () => {
    setUp();
    engine.load(graph([node('slow', 'test.slow', { ms: 4000, steps: 200 })]));
    // wait until the job reports progress from inside the worker
    await firstValueFrom(engine.status$('slow').pipe(filter((s) => s.state === 'running' && s.progress > 0)));
    const changed = performance.now();
    engine.setParams('slow', { ms: 50, steps: 5 });
    await engine.whenSettled();
    expect(performance.now() - changed).toBeLessThan(2000);
    expect(engine.status('slow')).toMatchObject({ state: 'done' });
  });

  it('a worker that crashes mid-job gives its node a clear error and the rest goes on', async () => {
    setUp();
    engine.load(
      graph(
        [
          node('crash', 'test.crash', { how: 'throw' }),
          node('after', 'test.add'),
          node('fine', 'test.slow', { ms: 20, steps: 2 }),
        ],
        [edge('crash.out', 'after.a')],
      ),
    );
    await engine.whenSettled();
    expect(engine.status('crash')).toMatchObject({ state: 'error', origin: 'crash' });
    expect((engine.status('crash') as { message: string }).message).toMatch(/worker crashed: kaboom/);
    expect(engine.status('after')).toMatchObject({ state: 'error', origin: 'crash' });
    expect(engine.status('fine')).toMatchObject({ state: 'done' });
  });
});
