import { describe, expect, it } from 'vitest';
import { defaultQuantities, exactNode, temperatures } from '../../nodes/exact/index';
import { formatIssue } from '../../src/graph/errors';
import type { RunContext } from '../../src/graph/node-definition';
import { decodeGraph } from '../../src/graph/parse';
import { NodeRegistry } from '../../src/graph/registry';
import type { SeriesValue, TableValue } from '../../src/graph/values';
import {
  TC,
  chainCorrelation,
  chainEnergyInfinite,
  kaufmanEnergy,
  kaufmanSpecificHeat,
  onsagerEnergy,
  onsagerSpecificHeat,
  yangMagnetization,
} from '../../src/physics/exact';
import { noFiles } from '../helpers/run-node';

function context(): RunContext & { progressCalls: number[] } {
  const progressCalls: number[] = [];
  return {
    signal: new AbortController().signal,
    progress: (fraction: number) => void progressCalls.push(fraction),
    emit: () => {},
    checkpoint: async () => {},
    sources: {},
    readFile: noFiles,
    progressCalls,
  };
}

async function run(raw: Record<string, unknown>): Promise<{ series: SeriesValue; table: TableValue }> {
  const out = await exactNode.run({}, exactNode.params.parse(raw), context());
  return { series: out.series as SeriesValue, table: out.table as TableValue };
}

/** The parse error messages, each prefixed with its path. */
function issues(raw: unknown): string[] {
  const result = exactNode.params.safeParse(raw);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('reference.exact node', () => {
  it('declares the catalogue contract', () => {
    expect(exactNode.type).toBe('reference.exact');
    expect(exactNode.title).toBe('Exact Ising');
    expect(exactNode.category).toBe('Reference');
    expect(exactNode.heavy).toBe(false);
    expect(exactNode.inputs).toEqual({});
    expect(Object.keys(exactNode.outputs)).toEqual(['series', 'table']);
    expect(exactNode.outputs.series.type).toBe('series');
    expect(exactNode.outputs.table.type).toBe('table');
  });

  it('has the documented defaults', () => {
    const p = exactNode.params.parse({});
    expect(p).toMatchObject({ dim: 2, L: 'infinite', T: { from: 1, to: 4, steps: 61 }, b: 2, J: 1 });
    expect(defaultQuantities(p)).toEqual(['e', 'm', 'c']);
  });

  it('runs the defaults: Onsager e, c and Yang m over 61 temperatures', async () => {
    const { series, table } = await run({});
    expect(series.type).toBe('series');
    expect(series.xLabel).toBe('T');
    expect(series.x).toHaveLength(61);
    expect(series.x[0]).toBe(1);
    expect(series.x[60]).toBe(4);
    expect(series.x[20]).toBeCloseTo(2, 14);
    expect(series.curves.map((c) => c.name)).toEqual([
      'e (exact, L = infinite)',
      'm (exact, L = infinite)',
      'c (exact, L = infinite)',
    ]);
    for (const curve of series.curves) expect(curve.y).toHaveLength(61);
    expect(series.curves[0].y[20]).toBeCloseTo(onsagerEnergy(2), 14);
    expect(series.curves[1].y[20]).toBeCloseTo(yangMagnetization(2), 14);
    expect(series.curves[2].y[20]).toBeCloseTo(onsagerSpecificHeat(2), 14);
    expect(series.curves[1].y[60]).toBe(0);

    expect(table.type).toBe('table');
    expect(table.columns).toEqual(['T', 'e', 'm', 'c']);
    expect(table.rows).toHaveLength(61);
    expect(table.rows[20][0]).toBeCloseTo(2, 14);
    expect(table.rows[20][1]).toBe(series.curves[0].y[20]);
    expect(table.rows[20][3]).toBe(series.curves[2].y[20]);
  });

  it('gives Kaufman energy and specific heat for a finite L, for a list of temperatures', async () => {
    const { series, table } = await run({ L: 8, T: [1.5, 2, 3], quantities: ['e', 'c'] });
    expect(series.x).toEqual([1.5, 2, 3]);
    expect(series.curves.map((c) => c.name)).toEqual(['e (exact, L = 8)', 'c (exact, L = 8)']);
    expect(series.curves[0].y[0]).toBeCloseTo(-1.9511154309, 10);
    expect(series.curves[0].y[2]).toBeCloseTo(-0.8413154279, 10);
    expect(series.curves[1].y[1]).toBe(kaufmanSpecificHeat(8, 2));
    expect(table.columns).toEqual(['T', 'e', 'c']);
    expect(table.rows).toEqual([1.5, 2, 3].map((T) => [T, kaufmanEnergy(8, T), kaufmanSpecificHeat(8, T)]));
  });

  it('defaults to the quantities that exist for the chosen dim and L', async () => {
    const finite = await run({ L: 16, T: 2.5 });
    expect(finite.table.columns).toEqual(['T', 'e', 'c']);
    expect(finite.table.rows).toHaveLength(1);
    const chain = await run({ dim: 1, T: [1] });
    expect(chain.table.columns).toEqual(['T', 'e', 'c', 'nn', 'decimated_nn']);
    const odd = await run({ dim: 1, L: 9, T: [1] });
    expect(odd.table.columns).toEqual(['T', 'e', 'c', 'nn']);
  });

  it('gives the 1D chain, its nearest-neighbour correlation and the decimation recursion', async () => {
    const T = [0.5, 1, 2];
    const infinite = await run({ dim: 1, T, quantities: ['e', 'nn', 'decimated_nn', 'm'], b: 3 });
    const t = T.map((x) => Math.tanh(1 / x));
    expect(infinite.series.curves.map((c) => c.name)).toEqual([
      'e (exact, L = infinite)',
      'nn (exact, L = infinite)',
      'decimated_nn (exact, L = infinite, b = 3)',
      'm (exact, L = infinite)',
    ]);
    infinite.series.curves[0].y.forEach((y, i) => expect(y).toBeCloseTo(chainEnergyInfinite(T[i]), 15));
    infinite.series.curves[1].y.forEach((y, i) => expect(y).toBeCloseTo(t[i], 15));
    infinite.series.curves[2].y.forEach((y, i) => expect(y).toBeCloseTo(t[i] ** 3, 15));
    expect(infinite.series.curves[3].y).toEqual([0, 0, 0]);
    expect(infinite.series.meta).toMatchObject({ dim: 1, L: 'infinite', b: 3 });

    const finite = await run({ dim: 1, L: 12, T, quantities: ['nn', 'decimated_nn'], b: 4 });
    finite.series.curves[0].y.forEach((y, i) => expect(y).toBeCloseTo(chainCorrelation(12, T[i], 1), 15));
    finite.series.curves[1].y.forEach((y, i) => expect(y).toBeCloseTo(chainCorrelation(12, T[i], 4), 14));
  });

  it("2D 'nn' is -e / 2J, and J scales the temperature", async () => {
    const { series } = await run({ T: [2, 3], quantities: ['e', 'nn'], J: 2 });
    expect(series.curves[0].name).toBe('e (exact, L = infinite, J = 2)');
    expect(series.curves[0].y[0]).toBeCloseTo(2 * onsagerEnergy(1), 14);
    expect(series.curves[1].y[1]).toBeCloseTo(-onsagerEnergy(1.5) / 2, 14);
  });

  it('accepts a single temperature and hits Tc exactly', async () => {
    const { table } = await run({ T: TC, quantities: ['e', 'c'] });
    expect(table.rows).toEqual([[TC, onsagerEnergy(TC), Infinity]]);
    expect(table.rows[0][1]).toBeCloseTo(-Math.SQRT2, 13);
  });

  it('expands {from, to, steps} with both ends exact', () => {
    expect(temperatures({ from: 1, to: 2, steps: 3 })).toEqual([1, 1.5, 2]);
    const many = temperatures({ from: 0.1, to: 0.7, steps: 7 });
    expect(many[0]).toBe(0.1);
    expect(many[6]).toBe(0.7);
    expect(temperatures([3, 1])).toEqual([3, 1]);
    expect(temperatures(2)).toEqual([2]);
  });

  it('reports progress and yields on long requests', async () => {
    const ctx = context();
    let yields = 0;
    ctx.checkpoint = async () => void yields++;
    const params = exactNode.params.parse({ L: 4096, T: { from: 1, to: 4, steps: 100 }, quantities: ['e'] });
    await exactNode.run({}, params, ctx);
    expect(yields).toBeGreaterThan(0);
    expect(ctx.progressCalls.at(-1)).toBe(1);
  });

  describe('refuses bad params with messages that name the param', () => {
    it.each([
      [{ quantities: ['e', 'm'], L: 8 }, /^quantities\.1: .*'m'.*only for L = 'infinite'/],
      [{ dim: 2, quantities: ['decimated_nn'] }, /^quantities\.0: .*'decimated_nn' is for dim 1/],
      [{ dim: 1, L: 10, b: 3, quantities: ['decimated_nn'] }, /^b: b = 3 does not divide L = 10/],
      [{ dim: 1, L: 10, quantities: ['m'] }, /^quantities\.0: .*'m'/],
      [{ quantities: ['e', 'e'] }, /^quantities\.1: quantities: 'e' is listed twice/],
      [{ quantities: ['x'] }, /^quantities\.0: /],
      [{ quantities: [] }, /^quantities: /],
      [{ L: 1 }, /^L: L must be an integer >= 2/],
      [{ L: 2.5 }, /^L: L must be an integer >= 2/],
      [{ L: 'inf' }, /^L: L must be an integer >= 2 \(sites per side\) or 'infinite'/],
      [{ L: 5000 }, /^L: L = 5000 is too large for dim 2/],
      [{ dim: 3 }, /^dim: dim must be 1 or 2/],
      [{ T: -1 }, /^T: /],
      [{ T: [2, 0] }, /^T\.1: /],
      [{ T: [] }, /^T: /],
      [{ T: 'hot' }, /^T: T must be a positive number, a list of positive numbers, or \{from, to, steps\}/],
      [{ T: { from: 1, to: 2, steps: 1 } }, /^T\.steps: /],
      [{ T: { from: 1, to: 2, steps: 20000 } }, /^T\.steps: /],
      [{ T: { from: 3, to: 2, steps: 5 } }, /^T\.to: T: 'to' \(2\) must be greater than 'from' \(3\)/],
      [{ b: 1 }, /^b: /],
      [{ b: 17 }, /^b: /],
      [{ J: 0 }, /^J: /],
      [{ colour: 'red' }, /colour/],
    ])('%j', (raw, pattern) => {
      const messages = issues(raw);
      expect(
        messages.some((m) => pattern.test(m)),
        messages.join('\n'),
      ).toBe(true);
    });

    it('and a graph file with such params is refused with the node and the param named', () => {
      const file = {
        format: 'blockspin.graph',
        version: 1,
        meta: { title: 'Exact' },
        nodes: [
          {
            id: 'exact',
            type: 'reference.exact',
            typeVersion: 1,
            position: { x: 0, y: 0 },
            params: { L: 8, quantities: ['e', 'm'] },
          },
        ],
        edges: [],
      };
      const result = decodeGraph(file, new NodeRegistry([exactNode]));
      expect(result.ok).toBe(false);
      const text = result.ok ? '' : result.issues.map(formatIssue).join('\n');
      expect(text).toMatch(/exact/);
      expect(text).toMatch(/quantities/);
      expect(text).toMatch(/'m' \(spontaneous magnetisation\) is exact only for L = 'infinite'/);
      // The same node with sound params loads, defaults filled in.
      file.nodes[0].params = { L: 8, quantities: ['e', 'c'] };
      const ok = decodeGraph(file, new NodeRegistry([exactNode]));
      expect(ok.ok && ok.graph.nodes[0].params).toMatchObject({ dim: 2, L: 8, b: 2, J: 1 });
    });

    it('and run() refuses them too when handed unchecked params', async () => {
      const unchecked = { ...exactNode.params.parse({ L: 8 }), quantities: ['m' as const] };
      await expect(exactNode.run({}, unchecked, context())).rejects.toThrow(
        /reference\.exact: quantities\.0: quantities: 'm' \(spontaneous magnetisation\) is exact only for L = 'infinite'/,
      );
      const badB = { ...exactNode.params.parse({ dim: 1, L: 10 }), b: 4, quantities: ['decimated_nn' as const] };
      await expect(exactNode.run({}, badB, context())).rejects.toThrow(/b: b = 4 does not divide L = 10/);
    });
  });
});
