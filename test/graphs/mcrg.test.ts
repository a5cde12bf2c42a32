/** graphs/mcrg: MCRG on 4000 Wolff samples of L = 64 at Tc gives y_T near 1 and y_H near 15/8 at every level. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { Summary } from '../../src/cli/summary';
import type { TableValue } from '../../src/graph/values';
import { createAppPool } from '../../src/workers/app-pool';
import { withinMcrgTolerance } from '../helpers/mcrg-bias';

const registry = appRegistry();
const pool = createAppPool({ size: 1 });
let summary: Summary;

beforeAll(async () => {
  const loaded = loadGraphText(readFileSync('graphs/mcrg.blockspin.json', 'utf8'), registry);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  ({ summary } = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor }));
}, 60_000);
afterAll(() => pool.dispose());

describe('graphs/mcrg', () => {
  it('gives y_T and y_H for levels 1..3 within 3 sigma + the measured truncation bias of the exact values', () => {
    const table = summary.nodes.mcrg.outputs.table as TableValue;
    expect(table.columns).toEqual(['T', 'level', 'y_T', 'y_T_err', 'y_H', 'y_H_err']);
    expect(table.rows.map((r) => r[1])).toEqual([1, 2, 3]);
    for (const [, level, yT, yTErr, yH, yHErr] of table.rows as number[][]) {
      expect(yTErr).toBeGreaterThan(0);
      expect(yHErr).toBeGreaterThan(0);
      expect(withinMcrgTolerance('yT', level, yT, yTErr), `y_T = ${yT} ± ${yTErr} at level ${level}`).toBe(true);
      expect(withinMcrgTolerance('yH', level, yH, yHErr), `y_H = ${yH} ± ${yHErr} at level ${level}`).toBe(true);
    }
  });

  it('draws y_T and y_H per level', () => {
    for (const id of ['plot-yT', 'plot-yH']) {
      expect(summary.nodes[id]).toMatchObject({ status: 'done', outputs: { figure: { type: 'figure', panels: 1 } } });
    }
  });
});
