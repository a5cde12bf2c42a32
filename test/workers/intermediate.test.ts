import { afterEach, describe, expect, it } from 'vitest';
import type { TensorValue, Value } from '../../src/graph/values';
import type { RunHooks } from '../../src/engine/execute';
import type { WorkerPool } from '../../src/workers/pool';
import { testPool } from '../helpers/pool';
import { floodNode, growNode, unclonableNode } from './watchdog-nodes';

function hooks(emit: (outputs: Record<string, Value>) => void): RunHooks {
  return { signal: new AbortController().signal, progress: () => {}, emit };
}

let pool: WorkerPool;
afterEach(() => pool.dispose());

describe('intermediate values from a worker', () => {
  it('a slow receiver gets the latest value, not a queue: few transfers, and the final value', async () => {
    pool = testPool({ size: 1 });
    const seen: number[] = [];
    const count = 200;
    const size = 1 << 20; // 4 MB each: 800 MB if every one crossed
    const out = await pool.run(
      { definition: floodNode, inputs: {}, params: { count, size }, sources: {} },
      hooks((outputs) => {
        seen.push((outputs.out as TensorValue).data[0]);
        const until = performance.now() + 50; // a receiver busy 50 ms with each value
        while (performance.now() < until) {
          // busy
        }
      }),
    );
    const final = (out.out as TensorValue).data;
    expect(final.length).toBe(size);
    expect(final.every((x) => x === count)).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThan(count / 4);
    // newer values replace older ones: what arrives is in order, never repeated
    expect(seen).toEqual([...new Set(seen)].sort((a, b) => a - b));
    const { emits, bytes } = pool.traffic;
    expect(emits).toBe(seen.length);
    expect(bytes).toBeLessThan(1.01 * seen.length * 4 * size);
  });

  it('a growing output crosses as its new rows; the values handed on are whole and stay valid', async () => {
    pool = testPool({ size: 1 });
    const width = 1000;
    const rows = 100;
    const seen: TensorValue[] = [];
    const out = await pool.run(
      // A few ms a row, so that several values cross while it runs even on a loaded machine (with none,
      // the worker can finish before the first value is taken, and latest-wins leaves one).
      { definition: growNode, inputs: {}, params: { rows, width, every: 7, ms: 5 }, sources: {} },
      hooks((outputs) => seen.push(outputs.out as TensorValue)),
    );
    const expectRows = (value: TensorValue, n: number) => {
      expect(value.shape).toEqual([n, width]);
      expect(value.data.length).toBe(n * width);
      for (let r = 0; r < n; r++) {
        const row = value.data.subarray(r * width, (r + 1) * width);
        if (!row.every((x) => x === r)) throw new Error(`row ${r} of a value of ${n} rows is wrong`);
      }
    };
    expect(seen.length).toBeGreaterThanOrEqual(2);
    // checked at the end: each earlier value is still right after the buffer under it has grown
    for (const value of seen) expectRows(value, value.meta.rows as number);
    expect(seen.map((v) => v.shape[0])).toEqual(seen.map((v) => v.meta.rows));
    expectRows(out.out as TensorValue, rows);
    // every row crossed once, at most (plus the small meta of each value)
    const last = seen[seen.length - 1].shape[0];
    expect(pool.traffic.bytes).toBeLessThan(last * width * 4 + seen.length * 1000);
  });

  it('an intermediate value that cannot leave the worker fails the job with a clear error', async () => {
    pool = testPool({ size: 1 });
    await expect(
      pool.run(
        { definition: unclonableNode, inputs: {}, params: {}, sources: {} },
        hooks(() => {}),
      ),
    ).rejects.toThrow(/^an intermediate value could not leave the worker: .*could not be cloned/);
  });
});
