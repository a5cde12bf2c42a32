import { filter, firstValueFrom } from 'rxjs';
import { runInThread } from '../../src/engine/execute';
import type { NodeStatus } from '../../src/engine/status';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphEngine } from '../../src/engine/engine';
import { NodeRegistry } from '../../src/graph/registry';
import type { TensorValue } from '../../src/graph/values';
import type { PoolOptions, WorkerPool } from '../../src/workers/pool';
import { edge, graph, node } from '../helpers/graphs';
import { testPool } from '../helpers/pool';
import { testNodes } from '../helpers/test-nodes';
import { checkpointsNode, workerOnlyNodes } from '../helpers/worker-test-nodes';

const registry = new NodeRegistry([...testNodes, ...workerOnlyNodes]);
let pool: WorkerPool;
let engine: GraphEngine;

function setUp(options: Partial<PoolOptions> = {}): void {
  pool = testPool({ size: 1, ...options });
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

  it('runs a short job at once beside a long training in its own lane, not behind it', async () => {
    pool = testPool({ size: 1 });
    const training = testPool({ size: 1 });
    engine = new GraphEngine(registry, {
      heavyExecutor: pool.executor,
      laneExecutors: { training: training.executor },
    });
    try {
      engine.load(
        graph([
          node('train', 'test.slow-training', { ms: 3000, steps: 30 }),
          node('short', 'test.slow', { ms: 100, steps: 2 }),
        ]),
      );
      await firstValueFrom(engine.status$('short').pipe(filter((s) => s.state === 'done')));
      expect(engine.status('train').state).toBe('running');
      await engine.whenSettled();
      expect(engine.status('train')).toMatchObject({ state: 'done' });
    } finally {
      training.dispose();
    }
  });

  it('reports a node’s own run time, and the time it waited for a free worker apart', async () => {
    setUp();
    engine.load(
      graph([node('long', 'test.slow', { ms: 1500, steps: 10 }), node('short', 'test.slow', { ms: 100, steps: 2 })]),
    );
    await engine.whenSettled();
    const [long, short] = [engine.status('long'), engine.status('short')];
    if (long.state !== 'done' || short.state !== 'done') throw new Error(`not done: ${long.state}, ${short.state}`);
    // One worker: whichever ran second waited about the first's time, and its own time is its own.
    const [first, second] = (long.waitedMs ?? 0) > (short.waitedMs ?? 0) ? [short, long] : [long, short];
    expect(second.waitedMs).toBeGreaterThan(0.8 * first.ms);
    expect(second.ms).toBeLessThan(second === short ? 1000 : 3000);
    expect(second.ms).toBeGreaterThan(second === short ? 90 : 1400);
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

  it('pause holds a job in a worker at its next checkpoint, and resume finishes it as if never paused', async () => {
    setUp();
    const params = { steps: 60, ms: 10, seed: 3 };
    engine.load(graph([node('w', 'test.checkpoints', params)]));
    await until('w', (s) => s.state === 'running' && s.progress >= 0.2);
    engine.setPaused(true);
    const held = await until('w', (s) => s.state === 'running' && s.message === 'paused');
    expect(held).toEqual({ state: 'running', progress: expect.any(Number), message: 'paused' });
    const progress = (held as { progress: number }).progress;
    expect(progress).toBeGreaterThanOrEqual(0.2);
    expect(progress).toBeLessThan(1);
    const seen: NodeStatus[] = [];
    const watching = engine.status$('w').subscribe((s) => seen.push(s));
    await new Promise((r) => setTimeout(r, 200)); // twenty steps' worth: none of them happens
    watching.unsubscribe();
    expect(seen).toEqual([held]); // the replayed status, and nothing since
    engine.setPaused(false);
    await engine.whenSettled();
    expect(engine.status('w')).toMatchObject({ state: 'done' });
    expect(data('w')).toEqual(await unpaused(params));
  });

  it('a worker job held by pause is cancelled by an edit, frees its worker, and the new run waits for resume', async () => {
    // A long cancel grace: a held job that did not stop by itself would keep the only worker that long.
    setUp({ cancelGraceMs: 20_000 });
    engine.load(graph([node('w', 'test.checkpoints', { steps: 500, ms: 10 })]));
    await until('w', (s) => s.state === 'running' && s.progress > 0);
    engine.setPaused(true);
    await until('w', (s) => s.state === 'running' && s.message === 'paused');
    engine.setParams('w', { steps: 3, ms: 1 });
    await until('w', (s) => s.state === 'waiting' && s.message === 'paused');
    const resumed = performance.now();
    engine.setPaused(false);
    await engine.whenSettled();
    expect(performance.now() - resumed).toBeLessThan(3_000);
    expect(data('w')).toEqual(await unpaused({ steps: 3, ms: 1 }));
    expect(pool.workerCount).toBe(1);
  });
});

function until(id: string, test: (status: NodeStatus) => boolean): Promise<NodeStatus> {
  return firstValueFrom(engine.status$(id).pipe(filter(test)));
}

function data(id: string): number[] {
  const out = engine.output(id);
  if (out?.kind !== 'value') throw new Error(`node '${id}' has no value`);
  return Array.from((out.outputs.out as TensorValue).data);
}

/** The node's result run straight through in this thread, with the engine's defaults for missing params. */
async function unpaused(params: Record<string, unknown>): Promise<number[]> {
  const noop = () => {};
  const out = await runInThread(
    {
      definition: checkpointsNode,
      inputs: {},
      params: checkpointsNode.params.parse({ ...params, ms: 0 }),
      sources: {},
    },
    { signal: new AbortController().signal, progress: noop, emit: noop },
  );
  return Array.from((out.out as TensorValue).data);
}
