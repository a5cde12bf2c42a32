import { afterEach, describe, expect, it } from 'vitest';
import { NodeRegistry } from '../../src/graph/registry';
import type { TensorValue } from '../../src/graph/values';
import type { RunHooks } from '../../src/engine/execute';
import { sourceNode, slowNode, tensor, testNodes } from '../helpers/test-nodes';
import { workerOnlyNodes } from '../helpers/worker-test-nodes';
import { brokenPool, testPool } from '../helpers/pool';
import type { WorkerPool } from '../../src/workers/pool';

const registry = new NodeRegistry([...testNodes, ...workerOnlyNodes]);
const def = (type: string) => registry.get(type)!;

function hooks(overrides: Partial<RunHooks> = {}): RunHooks & { progressSeen: number[]; emitted: unknown[] } {
  const progressSeen: number[] = [];
  const emitted: unknown[] = [];
  return {
    signal: new AbortController().signal,
    progress: (f) => progressSeen.push(f),
    emit: (o) => emitted.push(o),
    progressSeen,
    emitted,
    ...overrides,
  };
}

const pools: WorkerPool[] = [];
function track(pool: WorkerPool): WorkerPool {
  pools.push(pool);
  return pool;
}
afterEach(() => {
  for (const pool of pools.splice(0)) pool.dispose();
});

describe('WorkerPool', () => {
  it('runs a node in a worker and returns its outputs', async () => {
    const pool = track(testPool());
    const out = await pool.run(
      { definition: sourceNode, inputs: {}, params: { value: 7, size: 3, tag: '' }, sources: {} },
      hooks(),
    );
    expect(Array.from((out.out as TensorValue).data)).toEqual([7, 7, 7]);
    expect(pool.workerCount).toBe(1);
  });

  it('brings progress and intermediate values back from the worker', async () => {
    const pool = track(testPool());
    const h = hooks();
    const out = await pool.run(
      { definition: slowNode, inputs: {}, params: { ms: 200, steps: 5, emit: true, tag: '' }, sources: {} },
      h,
    );
    expect((out.out as TensorValue).data[0]).toBe(5);
    // progress comes over its own message channel: the last report may arrive after the result, and a
    // finished job ignores it; what arrives is in order
    expect(h.progressSeen.length).toBeGreaterThanOrEqual(1);
    expect(h.progressSeen).toEqual([...h.progressSeen].sort((a, b) => a - b));
    expect(h.emitted.length).toBeGreaterThanOrEqual(1);
  });

  it('transfers a 16 MB result without copying it back', async () => {
    const pool = track(testPool());
    const big = tensor(new Float32Array(4 * 1024 * 1024).fill(2));
    const out = await pool.run({ definition: def('test.echo'), inputs: { a: big }, params: {}, sources: {} }, hooks());
    const data = (out.out as TensorValue).data;
    expect(data.length).toBe(big.data.length);
    expect(data[0]).toBe(3);
    expect(data[1]).toBe(2);
    // the input is copied to the worker, so the caller keeps it intact
    expect(big.data.byteLength).toBe(16 * 1024 * 1024);
  });

  it('fails the job with the error a node throws, and the worker goes on', async () => {
    const pool = track(testPool());
    await expect(
      pool.run(
        { definition: def('test.fail'), inputs: {}, params: { message: 'bad params here' }, sources: {} },
        hooks(),
      ),
    ).rejects.toThrow('bad params here');
    const out = await pool.run(
      { definition: sourceNode, inputs: {}, params: { value: 1, size: 1, tag: '' }, sources: {} },
      hooks(),
    );
    expect((out.out as TensorValue).data[0]).toBe(1);
  });

  it.each(['throw', 'exit'])('replaces a worker that crashes mid-job (%s) and fails only that job', async (how) => {
    const pool = track(testPool());
    await expect(
      pool.run({ definition: def('test.crash'), inputs: {}, params: { how }, sources: {} }, hooks()),
    ).rejects.toThrow(/worker (crashed|exited)/);
    const out = await pool.run(
      { definition: sourceNode, inputs: {}, params: { value: 4, size: 1, tag: '' }, sources: {} },
      hooks(),
    );
    expect((out.out as TensorValue).data[0]).toBe(4);
  });

  it('cancels a running job at its next checkpoint', async () => {
    const pool = track(testPool());
    const controller = new AbortController();
    const run = pool.run(
      { definition: slowNode, inputs: {}, params: { ms: 5000, steps: 100, emit: false, tag: '' }, sources: {} },
      hooks({ signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
    const out = await pool.run(
      { definition: sourceNode, inputs: {}, params: { value: 2, size: 1, tag: '' }, sources: {} },
      hooks(),
    );
    expect((out.out as TensorValue).data[0]).toBe(2);
  });

  it('replaces a worker whose node ignores cancellation', async () => {
    const pool = track(testPool({ cancelGraceMs: 200 }));
    const controller = new AbortController();
    const run = pool.run(
      { definition: def('test.stubborn'), inputs: {}, params: { ms: 20_000 }, sources: {} },
      hooks({ signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 300);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const started = Date.now();
    const out = await pool.run(
      { definition: sourceNode, inputs: {}, params: { value: 5, size: 1, tag: '' }, sources: {} },
      hooks(),
    );
    expect((out.out as TensorValue).data[0]).toBe(5);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails the job clearly when a worker cannot load, instead of hanging', async () => {
    const pool = track(brokenPool({ readyTimeoutMs: 2000 }));
    await expect(
      pool.run({ definition: sourceNode, inputs: {}, params: { value: 1, size: 1, tag: '' }, sources: {} }, hooks()),
    ).rejects.toThrow(/did not load|crashed/);
  });

  it('tells a queued job that it waits for a free worker', async () => {
    const pool = track(testPool({ size: 1 }));
    const slow = { definition: slowNode, inputs: {}, params: { ms: 300, steps: 3, emit: false, tag: '' }, sources: {} };
    const first = hooks();
    const second: string[] = [];
    const a = pool.run(slow, first);
    const b = pool.run(slow, hooks({ progress: (_f, message) => second.push(message ?? '') }));
    await Promise.all([a, b]);
    expect(second[0]).toBe('waiting for a free worker');
    expect(second.slice(1)).toContain('step 1');
  });

  it('rejects queued and running jobs when disposed', async () => {
    const pool = track(testPool());
    const slow = {
      definition: slowNode,
      inputs: {},
      params: { ms: 3000, steps: 30, emit: false, tag: '' },
      sources: {},
    };
    const a = pool.run(slow, hooks());
    const b = pool.run(slow, hooks());
    await new Promise((r) => setTimeout(r, 100));
    expect(pool.workerCount).toBe(1);
    pool.dispose();
    expect(pool.workerCount).toBe(0);
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
  });
});
