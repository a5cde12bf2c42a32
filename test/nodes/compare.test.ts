import { beforeAll, describe, expect, it } from 'vitest';
import type { RunContext, SourceInfo } from '../../src/graph/node-definition';
import type { FigureValue, SpinsValue, TableValue, Value } from '../../src/graph/values';
import type { FigureSpec, Panel } from '../../src/figures/spec';
import { compareLabels, compareNode } from '../../nodes/compare';
import { noFiles, paramErrors, runNode } from '../helpers/run-node';
import { sample } from '../helpers/sample';
import { mulberry32 } from '../helpers/random';

/** Independent random spins, L x L, with the given temperatures (a number: n of them). */
function randomSpins(L: number, T: number[], seed = 1): SpinsValue {
  const rand = mulberry32(seed);
  const data = new Int8Array(T.length * L * L);
  for (let i = 0; i < data.length; i++) data[i] = rand() < 0.5 ? 1 : -1;
  return { type: 'spins', shape: [T.length, L, L], data, T: Float64Array.from(T), meta: { J: 1, h: 0 } };
}

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

function source(label: string, nodeId = label.toLowerCase()): SourceInfo[] {
  return [{ nodeId, port: 'spins', label }];
}

async function run(
  a: Value | undefined,
  b: Value | undefined,
  params: Record<string, unknown> = {},
  ctx = context(),
): Promise<{ table: TableValue; figure: FigureValue }> {
  const out = await compareNode.run({ a, b }, compareNode.params.parse(params), ctx);
  return { table: out.table as TableValue, figure: out.figure as FigureValue };
}

function sigmas(table: TableValue): Record<string, number> {
  const q = table.columns.indexOf('quantity');
  const s = table.columns.indexOf('sigmas');
  return Object.fromEntries(table.rows.map((r) => [r[q], r[s] as number]));
}

function panels(figure: FigureValue): Panel[] {
  return (figure.spec as unknown as FigureSpec).panels;
}

describe('compare node', () => {
  let cold: SpinsValue;
  let hot: SpinsValue;

  beforeAll(async () => {
    [cold, hot] = await Promise.all([
      sample({ L: 8, T: 1.8, algorithm: 'wolff', samples: 2000, burnIn: 200, seed: 21 }),
      sample({ L: 8, T: 3.5, algorithm: 'wolff', samples: 2000, burnIn: 200, seed: 22 }),
    ]);
  });

  it('declares its contract', () => {
    expect(compareNode.type).toBe('compare');
    expect(compareNode.version).toBe(1);
    expect(compareNode.title).toBe('Compare');
    expect(compareNode.category).toBe('Figures');
    expect(compareNode.heavy).toBe(true);
    expect(Object.keys(compareNode.inputs)).toEqual(['a', 'b']);
    expect(compareNode.inputs.a.type).toBe('spins');
    expect(compareNode.inputs.b.type).toBe('spins');
    expect(compareNode.inputs.a.many).toBeFalsy();
    expect(compareNode.inputs.a.optional).toBeFalsy();
    expect(Object.keys(compareNode.outputs)).toEqual(['table', 'figure']);
    expect(compareNode.outputs.table.type).toBe('table');
    expect(compareNode.outputs.figure.type).toBe('figure');
    expect(compareNode.params.parse({})).toEqual({ samples: 8 });
    expect(compareNode.params.parse({ samples: 3, labels: ['RG', 'RBM'] })).toEqual({
      samples: 3,
      labels: ['RG', 'RBM'],
    });
  });

  it('rejects bad params', () => {
    expect(paramErrors(compareNode, { samples: 0 })).toEqual([expect.stringMatching(/^samples: /)]);
    expect(paramErrors(compareNode, { samples: 65 })).toEqual([expect.stringMatching(/^samples: /)]);
    expect(paramErrors(compareNode, { samples: 2.5 })).toEqual([expect.stringMatching(/^samples: /)]);
    expect(paramErrors(compareNode, { labels: ['only one'] }).length).toBeGreaterThan(0);
    expect(paramErrors(compareNode, { labels: ['a', 'b', 'c'] }).length).toBeGreaterThan(0);
    expect(paramErrors(compareNode, { labels: ['a', 2] })).toEqual([expect.stringMatching(/^labels\.1: /)]);
    expect(paramErrors(compareNode, { labels: ['', 'b'] })).toEqual([expect.stringMatching(/^labels\.0: /)]);
    expect(paramErrors(compareNode, { sample: 8 }).length).toBeGreaterThan(0);
    expect(paramErrors(compareNode, { samples: 64, labels: ['x', 'y'] })).toEqual([]);
  });

  it('gives the table and a three-panel figure, labelled a and b without sources', async () => {
    const { outputs, progress } = await runNode(compareNode, { a: cold, b: hot }, { samples: 5 });
    const table = outputs.table as TableValue;
    expect(table.columns).toEqual(['T_a', 'T_b', 'quantity', 'a', 'a_err', 'b', 'b_err', 'difference', 'sigmas']);
    expect(table.rows.map((r) => r[2])).toEqual(['e', 'm', 'absm', 'm2', 'm4', 'chi', 'c', 'binder', 'xi']);
    expect(table.meta).toEqual({ labels: ['a', 'b'] });
    expect(Math.abs(sigmas(table).e)).toBeGreaterThan(10);
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);

    const figure = outputs.figure as FigureValue;
    expect(figure.type).toBe('figure');
    const spec = figure.spec as unknown as FigureSpec;
    expect(spec.version).toBe(1);
    expect(spec.columns).toBe(2);
    const [imagesA, imagesB, xy] = panels(figure);
    expect(panels(figure).map((p) => p.kind)).toEqual(['images', 'images', 'xy']);
    if (imagesA.kind !== 'images' || imagesB.kind !== 'images' || xy.kind !== 'xy') throw new Error('panel kinds');
    expect(imagesA.title).toBe('a');
    expect(imagesB.title).toBe('b');
    expect(imagesA.tiles.length).toBe(5);
    expect(imagesB.tiles.length).toBe(5);
    expect(imagesA.tiles.every((t) => t.width === 8 && t.height === 8 && t.png.startsWith('data:image/png'))).toBe(
      true,
    );
    expect(xy.title).toBe('C(r)');
    expect(xy.x.label).toBe('r');
    expect(xy.y.label).toBe('C(r)');
    expect(xy.curves.map((c) => c.name)).toEqual(['a: T = 1.8', 'b: T = 3.5']);
    for (const curve of xy.curves) {
      expect(curve.style).toBe('points');
      expect(curve.x).toEqual([0, 1, 2, 3, 4]);
      expect(curve.y[0]).toBe(1);
      expect(curve.err?.length).toBe(5);
    }
    // Ordered at T = 1.8, short-ranged at T = 3.5.
    expect(xy.curves[0].y[4]).toBeGreaterThan(0.8);
    expect(xy.curves[1].y[4]).toBeLessThan(0.3);
  });

  it('gives exactly 0 sigma for every quantity when both inputs are the same', async () => {
    const { table } = await run(cold, cold);
    const s = sigmas(table);
    expect(Object.keys(s)).toEqual(['e', 'm', 'absm', 'm2', 'm4', 'chi', 'c', 'binder', 'xi']);
    for (const [q, z] of Object.entries(s)) expect(z, q).toBe(0);
    expect(table.rows.every((r) => r[table.columns.indexOf('difference')] === 0)).toBe(true);
  });

  it('takes the labels from the upstream nodes, or from the params', async () => {
    const sources = { a: source('Block spins', 'rg'), b: source('RBM samples', 'sampler') };
    const { table, figure } = await run(cold, hot, { samples: 2 }, context({ sources }));
    expect(table.meta).toEqual({ labels: ['Block spins', 'RBM samples'] });
    const [imagesA, imagesB, xy] = panels(figure);
    expect(imagesA.title).toBe('Block spins');
    expect(imagesB.title).toBe('RBM samples');
    expect(xy.kind === 'xy' && xy.curves.map((c) => c.name)).toEqual(['Block spins: T = 1.8', 'RBM samples: T = 3.5']);
    expect((figure.spec as unknown as FigureSpec).title).toBe('Block spins vs RBM samples');

    const given = await run(cold, hot, { labels: ['RG', 'RBM'] }, context({ sources }));
    expect(given.table.meta).toEqual({ labels: ['RG', 'RBM'] });

    // Upstream nodes with the same label are told apart; a missing source falls back to a / b.
    const defaults = compareNode.params.parse({});
    expect(compareLabels(defaults, { a: source('Lattice'), b: source('Lattice') })).toEqual([
      'Lattice (a)',
      'Lattice (b)',
    ]);
    expect(compareLabels(defaults, { b: source('RBM') })).toEqual(['a', 'RBM']);
    expect(compareLabels(defaults, { a: [], b: source('') })).toEqual(['a', 'b']);
  });

  it('compares block-spin-sized and RBM-like samples: other sizes, unknown temperatures', async () => {
    // The common case at scale: 10,000 samples of 16 x 16 against 10,000 of unknown temperature.
    const a = randomSpins(16, new Array(10_000).fill(2.5), 1);
    const b = randomSpins(16, new Array(10_000).fill(NaN), 2);
    const { table, figure } = await run(a, b);
    const col = (name: string) => table.columns.indexOf(name);
    const chi = table.rows.find((r) => r[col('quantity')] === 'chi')!;
    const c = table.rows.find((r) => r[col('quantity')] === 'c')!;
    const e = table.rows.find((r) => r[col('quantity')] === 'e')!;
    expect(chi[col('b')]).toBeNaN();
    expect(c[col('b')]).toBeNaN();
    expect(Number.isFinite(chi[col('a')] as number)).toBe(true);
    expect(Number.isFinite(e[col('b')] as number)).toBe(true);
    expect(Number.isFinite(e[col('sigmas')] as number)).toBe(true);
    const [imagesA, imagesB, xy] = panels(figure);
    expect(imagesA.kind === 'images' && imagesA.tiles.length).toBe(8);
    expect(imagesB.kind === 'images' && imagesB.tiles.length).toBe(8);
    expect(xy.kind === 'xy' && xy.curves.map((curve) => curve.name)).toEqual(['a: T = 2.5', 'b: T unknown']);

    // 16 x 16 against 8 x 8: measured per spin.
    const mixed = await run(randomSpins(16, new Array(200).fill(2.5), 3), cold);
    expect(mixed.table.rows.length).toBe(9);
    const [, , mixedXy] = panels(mixed.figure);
    expect(mixedXy.kind === 'xy' && mixedXy.curves.map((curve) => curve.x.length)).toEqual([9, 5]);
  });

  it('pairs temperature groups, and says how many each side has when it cannot', async () => {
    const two = randomSpins(4, [2, 2, 3, 3], 1);
    const one = randomSpins(4, [2.5, 2.5, 2.5], 2);
    const pairsOf = (t: TableValue) => t.rows.filter((r) => r[2] === 'e').map((r) => [r[0], r[1]]);
    expect(pairsOf((await run(two, randomSpins(4, [5, 6, 5, 6], 3))).table)).toEqual([
      [2, 5],
      [3, 6],
    ]);
    expect(pairsOf((await run(one, two)).table)).toEqual([
      [2.5, 2],
      [2.5, 3],
    ]);
    await expect(run(randomSpins(4, [1, 2, 3], 4), two)).rejects.toThrow(
      /a \(a\) has 3 temperature groups \(T = 1, 2, 3\) and b \(b\) has 2 \(T = 2, 3\)/,
    );
  });

  it('rejects bad inputs with errors naming the side', async () => {
    const good = randomSpins(4, [2, 2], 1);
    await expect(run(undefined, good)).rejects.toThrow(/^a: nothing is connected/);
    await expect(run(good, undefined)).rejects.toThrow(/^b: nothing is connected/);
    const table: TableValue = { type: 'table', columns: ['x'], rows: [[1]] };
    await expect(run(good, table)).rejects.toThrow(/^b: expected spins, got a table value/);
    const bad = randomSpins(4, [2, 2], 1);
    bad.data[5] = 3;
    await expect(run(bad, good)).rejects.toThrow(/^a: sample 0, site 5 has value 3; spins must be ±1/);
    await expect(run(good, bad)).rejects.toThrow(/^b: sample 0, site 5 has value 3; spins must be ±1/);
  });

  it('reports progress and stops when cancelled', async () => {
    const big = randomSpins(64, new Array(1100).fill(2.5), 5);
    const progress: number[] = [];
    let checkpoints = 0;
    await run(
      big,
      cold,
      { samples: 1 },
      context({
        progress: (f) => progress.push(f),
        checkpoint: async () => {
          checkpoints++;
        },
      }),
    );
    expect(checkpoints).toBeGreaterThan(3);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);
    expect(progress.at(-1)).toBe(1);

    const controller = new AbortController();
    let calls = 0;
    const ctx = context({
      signal: controller.signal,
      checkpoint: async () => {
        if (++calls === 2) controller.abort();
        if (controller.signal.aborted) throw new Error('cancelled');
      },
    });
    await expect(run(big, cold, {}, ctx)).rejects.toThrow('cancelled');
  });
});
