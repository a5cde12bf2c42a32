import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/graph/node-definition';
import type { SpinsValue, TableValue } from '../../src/graph/values';
import { latticeNode } from '../../nodes/lattice';
import { observablesNode } from '../../nodes/observables';
import { noFiles, runNode } from '../helpers/run-node';

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

function spins(
  n: number,
  L: number,
  T: number[] | number,
  fill: (k: number, i: number) => number = () => 1,
): SpinsValue {
  const N = L * L;
  const data = new Int8Array(n * N);
  for (let k = 0; k < n; k++) for (let i = 0; i < N; i++) data[k * N + i] = fill(k, i);
  return {
    type: 'spins',
    shape: [n, L, L],
    data,
    T: Float64Array.from(Array.isArray(T) ? T : new Array(n).fill(T)),
    meta: { model: 'ising', dim: 2, L, J: 1, h: 0, boundary: 'periodic', blockFactor: 1 },
  };
}

const COLUMNS = [
  'T',
  'L',
  'n',
  'e',
  'e_err',
  'm',
  'm_err',
  'absm',
  'absm_err',
  'm2',
  'm4',
  'chi',
  'c',
  'binder',
  'chi_err',
  'c_err',
  'binder_err',
  'tau_e',
  'tau_absm',
  'drift_sigma',
];

async function run(value: SpinsValue, ctx = context()): Promise<TableValue> {
  const out = await observablesNode.run({ spins: value }, observablesNode.params.parse({}), ctx);
  return out.table as TableValue;
}

describe('measure.observables node', () => {
  it('declares its contract', () => {
    expect(observablesNode.type).toBe('measure.observables');
    expect(observablesNode.version).toBe(1);
    expect(observablesNode.title).toBe('Observables');
    expect(observablesNode.category).toBe('Measure');
    expect(observablesNode.heavy).toBe(true);
    expect(Object.keys(observablesNode.inputs)).toEqual(['spins']);
    expect(observablesNode.inputs.spins.type).toBe('spins');
    expect(observablesNode.outputs).toEqual({ table: expect.objectContaining({ type: 'table' }) });
    expect(observablesNode.params.parse({})).toEqual({});
    expect(() => observablesNode.params.parse({ maxR: 3 })).toThrow();
  });

  it('gives the catalogue columns, one row per temperature, and a NaN-temperature row', async () => {
    // Two temperatures and unknown ones, the unknown ones not contiguous.
    const value = spins(10, 4, [2, 2, 2, 3, 3, NaN, 3, NaN, 2, 3], (k, i) => (k % 2 === 1 && i === 0 ? -1 : 1));
    const table = await run(value);
    expect(table.type).toBe('table');
    expect(table.columns).toEqual(COLUMNS);
    expect(table.rows.length).toBe(3);
    expect(table.rows.map((r) => r[0])).toEqual([2, 3, NaN]);
    expect(table.rows.map((r) => r[2])).toEqual([4, 4, 2]);
    expect(table.rows.map((r) => r[1])).toEqual([4, 4, 4]);
    const nan = Object.fromEntries(COLUMNS.map((c, j) => [c, table.rows[2][j]]));
    expect(nan.chi).toBeNaN();
    expect(nan.c).toBeNaN();
    expect(Number.isFinite(nan.binder)).toBe(true);
    expect(Number.isFinite(nan.e)).toBe(true);
  });

  it('warns in meta.warnings when a temperature was not thermalised, and not when it was', async () => {
    // Started ordered just above Tc with no burn-in, Metropolis needs hundreds of sweeps to disorder; at
    // T = 3 Wolff with a burn-in is in equilibrium.
    const lattice = await runNode(
      latticeNode,
      {},
      {
        L: 64,
        T: [2.4, 3],
        algorithm: 'metropolis',
        init: 'ordered',
        burnIn: 0,
        thin: 1,
        samples: 100,
        seed: 4,
      },
    );
    const table = await run(lattice.outputs.spins as SpinsValue);
    const drift = table.rows.map((r) => r[COLUMNS.indexOf('drift_sigma')] as number);
    expect(drift[0]).toBeGreaterThan(4);
    const warnings = (table.meta as { warnings: string[] }).warnings;
    expect(warnings[0]).toBe(
      `T = 2.4: energy drifts by ${drift[0].toFixed(1)}σ between the first and last third: not thermalised? raise burnIn`,
    );
    const settled = await runNode(latticeNode, {}, { L: 32, T: 3, burnIn: 200, thin: 1, samples: 3000, seed: 4 });
    const calm = await run(settled.outputs.spins as SpinsValue);
    expect(Math.abs(calm.rows[0][COLUMNS.indexOf('drift_sigma')] as number)).toBeLessThan(3);
    expect((calm.meta as { warnings: string[] }).warnings).toEqual([]);
  });

  it('reports progress and checks for cancellation while it works', async () => {
    const progress: number[] = [];
    let checkpoints = 0;
    const value = spins(1200, 64, 2.5, (k, i) => ((k * 7 + i) % 3 === 0 ? -1 : 1));
    await run(
      value,
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
    const value = spins(1200, 64, 2.5);
    let calls = 0;
    const ctx = context({
      signal: controller.signal,
      checkpoint: async () => {
        if (++calls === 2) controller.abort();
        if (controller.signal.aborted) throw new Error('cancelled');
      },
    });
    await expect(run(value, ctx)).rejects.toThrow('cancelled');
  });

  it('rejects bad input with a clear error', async () => {
    const zero = spins(2, 4, 2);
    zero.data[17] = 0;
    await expect(run(zero)).rejects.toThrow(/spins: sample 1, site 1 has value 0; spins must be ±1/);
    await expect(run(spins(0, 4, []))).rejects.toThrow(/no samples \(n = 0\)/);
    await expect(run({ ...spins(2, 4, 2), shape: [2, 4, 3] })).rejects.toThrow(
      /shape \[2, 4, 3\] has 24 elements but data has 32/,
    );
    await expect(observablesNode.run({}, {}, context())).rejects.toThrow(/no spins/);
  });
});
