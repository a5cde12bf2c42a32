import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/graph/node-definition';
import type { SeriesValue, SpinsValue, TableValue } from '../../src/graph/values';
import { correlationNode } from '../../nodes/correlation';
import { mulberry32 } from '../helpers/random';
import { noFiles } from '../helpers/run-node';

function context(overrides: Partial<RunContext> = {}): RunContext {
  return {
    signal: new AbortController().signal,
    progress: () => {},
    emit: () => {},
    checkpoint: async () => {},
    sources: {},
    readFile: noFiles,
    ...overrides,
  };
}

function spins(n: number, lattice: number[], T: number[] | number, seed = 1): SpinsValue {
  const N = lattice.reduce((a, b) => a * b, 1);
  const random = mulberry32(seed);
  const data = new Int8Array(n * N);
  for (let i = 0; i < data.length; i++) data[i] = random() < 0.5 ? 1 : -1;
  return {
    type: 'spins',
    shape: [n, ...lattice],
    data,
    T: Float64Array.from(Array.isArray(T) ? T : new Array(n).fill(T)),
    meta: { model: 'ising', dim: lattice.length, L: lattice[0], J: 1, h: 0, boundary: 'periodic', blockFactor: 1 },
  };
}

async function run(
  value: SpinsValue,
  params: Record<string, unknown> = {},
  ctx = context(),
): Promise<{ series: SeriesValue; table: TableValue }> {
  const out = await correlationNode.run({ spins: value }, correlationNode.params.parse(params), ctx);
  return out as { series: SeriesValue; table: TableValue };
}

describe('measure.correlation node', () => {
  it('declares its contract', () => {
    expect(correlationNode.type).toBe('measure.correlation');
    expect(correlationNode.title).toBe('Correlation');
    expect(correlationNode.category).toBe('Measure');
    expect(correlationNode.heavy).toBe(true);
    expect(correlationNode.inputs.spins.type).toBe('spins');
    expect(correlationNode.outputs.series.type).toBe('series');
    expect(correlationNode.outputs.table.type).toBe('table');
    expect(correlationNode.params.parse({})).toEqual({});
    expect(correlationNode.params.parse({ maxR: 3 })).toEqual({ maxR: 3 });
    for (const bad of [{ maxR: 0 }, { maxR: -1 }, { maxR: 2.5 }, { maxR: '3' }, { other: 1 }]) {
      expect(() => correlationNode.params.parse(bad)).toThrow();
    }
  });

  it('gives one curve and one table row per temperature, NaN temperatures as one group', async () => {
    const { series, table } = await run(spins(9, [8, 8], [2.269, 2.269, 3, 3, NaN, 3, NaN, 2.269, 3]));
    expect(series.type).toBe('series');
    expect(series.x).toEqual([0, 1, 2, 3, 4]);
    expect(series.xLabel).toBe('r');
    expect(series.yLabel).toBe('C(r)');
    expect(series.curves.map((c) => c.name)).toEqual(['T = 2.269', 'T = 3', 'T unknown']);
    for (const curve of series.curves) {
      expect(curve.y.length).toBe(5);
      expect(curve.err!.length).toBe(5);
      expect(curve.y[0]).toBe(1);
    }
    expect(table.type).toBe('table');
    expect(table.columns).toEqual(['T', 'L', 'n', 'xi', 'xi_err', 'spacing']);
    expect(table.rows.map((r) => r.slice(0, 3))).toEqual([
      [2.269, 8, 3],
      [3, 8, 4],
      [NaN, 8, 2],
    ]);
  });

  it('takes maxR, defaults it to floor(L/2) and refuses more than L/2, naming L', async () => {
    expect((await run(spins(3, [16], 2), { maxR: 3 })).series.x).toEqual([0, 1, 2, 3]);
    expect((await run(spins(3, [15], 2))).series.x).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await expect(run(spins(3, [10, 10], 2), { maxR: 6 })).rejects.toThrow(/maxR = 6 is more than L\/2 = 5 \(L = 10\)/);
  });

  it('reports progress and checks for cancellation while it works', async () => {
    const progress: number[] = [];
    let checkpoints = 0;
    await run(
      spins(600, [32, 32], [...new Array(300).fill(2), ...new Array(300).fill(3)]),
      {},
      context({
        progress: (f) => progress.push(f),
        checkpoint: async () => {
          checkpoints++;
        },
      }),
    );
    expect(checkpoints).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toBe(1);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    let calls = 0;
    const ctx = context({
      signal: controller.signal,
      checkpoint: async () => {
        if (++calls === 2) controller.abort();
        if (controller.signal.aborted) throw new Error('cancelled');
      },
    });
    await expect(run(spins(600, [32, 32], 2), {}, ctx)).rejects.toThrow('cancelled');
  });

  it('rejects bad input with a clear error', async () => {
    const zero = spins(2, [4, 4], 2);
    zero.data[3] = 0;
    await expect(run(zero)).rejects.toThrow(/spins: sample 0, site 3 has value 0; spins must be ±1/);
    await expect(run(spins(0, [4, 4], []))).rejects.toThrow(/no samples \(n = 0\)/);
    await expect(run({ ...spins(2, [4, 4], 2), shape: [3, 4, 4] })).rejects.toThrow(
      /shape \[3, 4, 4\] has 48 elements but data has 32/,
    );
    await expect(correlationNode.run({}, {}, context())).rejects.toThrow(/no spins/);
  });
});
