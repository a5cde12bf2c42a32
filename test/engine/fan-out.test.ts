/** fanOutExecutor: a node's independent parts run side by side and merge into what one run gives. */
import { describe, expect, it } from 'vitest';
import { fanOutExecutor } from '../../src/engine/fan-out';
import type { Executor, RunHooks, RunRequest } from '../../src/engine/execute';
import { defineNode, type OutputValues } from '../../src/graph/node-definition';
import type { TableValue } from '../../src/graph/values';
import { z } from 'zod';

/** Rows 0..n-1 of their square, split into ranges of rows. */
const squares = defineNode({
  type: 'test.squares',
  version: 1,
  title: 'Squares',
  category: 'Test',
  doc: 'squares of from..to-1',
  inputs: {},
  outputs: { out: { type: 'table' } },
  params: z.object({ from: z.number(), to: z.number() }),
  heavy: true,
  async run(_inputs, p) {
    const rows = Array.from({ length: p.to - p.from }, (_, i) => [p.from + i, (p.from + i) ** 2]);
    const out: TableValue = { type: 'table', columns: ['x', 'y'], rows };
    return { out };
  },
  fanOut: {
    split(p, inputs, parts) {
      if (p.to - p.from < 4) return null;
      const step = Math.ceil((p.to - p.from) / parts);
      const result = [];
      for (let from = p.from; from < p.to; from += step) {
        result.push({ params: { from, to: Math.min(p.to, from + step) }, inputs });
      }
      return result;
    },
    merge: (outputs) => {
      const rows = outputs.flatMap((o) => (o.out as TableValue).rows);
      const out: TableValue = { type: 'table', columns: ['x', 'y'], rows };
      return { out };
    },
  },
});

function hooks(overrides: Partial<RunHooks> = {}) {
  const seen = { progress: [] as [number, string | undefined][], emits: 0, started: 0 };
  const value: RunHooks = {
    signal: new AbortController().signal,
    progress: (f, m) => seen.progress.push([f, m]),
    emit: () => seen.emits++,
    started: () => seen.started++,
    ...overrides,
  };
  return { hooks: value, seen };
}

const request = (params: Record<string, unknown>): RunRequest => ({
  definition: squares,
  inputs: {},
  params,
  sources: {},
});

/** Runs each part as the definition would, after a reported start, some progress and an emit. */
function recordingExecutor(calls: Record<string, unknown>[]): Executor {
  return async (req, h) => {
    calls.push(req.params);
    h.started?.();
    h.progress(0.5, 'half');
    h.emit({});
    await new Promise((resolve) => setTimeout(resolve, 5));
    return req.definition.run(req.inputs, req.params, {} as never) as Promise<OutputValues>;
  };
}

describe('fanOutExecutor', () => {
  it('runs the parts side by side and merges them into the whole run’s output', async () => {
    const calls: Record<string, unknown>[] = [];
    const { hooks: h, seen } = hooks();
    const outputs = await fanOutExecutor(recordingExecutor(calls), 3)(request({ from: 0, to: 9 }), h);
    expect(calls).toEqual([
      { from: 0, to: 3 },
      { from: 3, to: 6 },
      { from: 6, to: 9 },
    ]);
    const whole = await squares.run({}, { from: 0, to: 9 }, {} as never);
    expect(outputs).toEqual(whole);
    // the mean of the parts' progress, named by part; one start; part 0's intermediate values only
    expect(seen.progress.map(([f]) => f)).toEqual([0.5 / 3, 1 / 3, 0.5]);
    expect(seen.progress[1][1]).toBe('part 2/3: half');
    expect(seen.started).toBe(1);
    expect(seen.emits).toBe(1);
  });

  it('runs whole with one part, or where the node does not split', async () => {
    const calls: Record<string, unknown>[] = [];
    await fanOutExecutor(recordingExecutor(calls), 1)(request({ from: 0, to: 9 }), hooks().hooks);
    await fanOutExecutor(recordingExecutor(calls), 4)(request({ from: 0, to: 2 }), hooks().hooks);
    expect(calls).toEqual([
      { from: 0, to: 9 },
      { from: 0, to: 2 },
    ]);
  });

  it('stops the other parts when one fails, and fails with its error', async () => {
    const aborted: number[] = [];
    const executor: Executor = (req, h) =>
      new Promise((resolve, reject) => {
        if (req.params.from === 3) return setTimeout(() => reject(new Error('part 2 broke')), 5);
        h.signal.addEventListener('abort', () => {
          aborted.push(req.params.from as number);
          reject(new Error('aborted'));
        });
      });
    await expect(fanOutExecutor(executor, 3)(request({ from: 0, to: 9 }), hooks().hooks)).rejects.toThrow(
      'part 2 broke',
    );
    expect(aborted.sort()).toEqual([0, 6]);
  });

  it('passes a cancellation of the run to every part', async () => {
    const controller = new AbortController();
    const aborted: number[] = [];
    const executor: Executor = (req, h) =>
      new Promise((_, reject) =>
        h.signal.addEventListener('abort', () => {
          aborted.push(req.params.from as number);
          reject(new Error('cancelled'));
        }),
      );
    const run = fanOutExecutor(executor, 2)(request({ from: 0, to: 8 }), hooks({ signal: controller.signal }).hooks);
    controller.abort();
    await expect(run).rejects.toThrow('cancelled');
    expect(aborted.sort()).toEqual([0, 4]);
  });
});
