/**
 * graphs/rbm-flow (Iso, Shiba & Yokoo 2018): one RBM trained on many temperatures, its v -> h -> v' map
 * iterated, against block-spin RG. The RBM flow moves toward Tc from both sides; block spins move away.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import type { Summary } from '../../src/cli/summary';
import { TC } from '../../src/physics/exact';
import { createAppPool } from '../../src/workers/app-pool';

const registry = appRegistry();
const pool = createAppPool({ size: 2 });
let summary: Summary;

type Curve = { name: string; y: number[]; err?: number[] };
const curve = (node: string, T0: number) => {
  const series = summary.nodes[node].outputs.flow as { x: number[]; curves: Curve[] };
  const c = series.curves.find((c) => c.name === `T₀ = ${T0}`)!;
  const last = series.x.length - 1;
  return { start: c.y[0], startErr: c.err![0], end: c.y[last], endErr: c.err![last], steps: last };
};

beforeAll(async () => {
  const loaded = loadGraphText(readFileSync('graphs/rbm-flow.blockspin.json', 'utf8'), registry);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  ({ summary } = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor }));
}, 180_000);
afterAll(() => pool.dispose());

describe('graphs/rbm-flow', () => {
  it('the RBM flow moves toward Tc from below and from above', () => {
    for (const T0 of [1.6, 3.2]) {
      const flow = curve('rbm-flow', T0);
      expect(flow.steps).toBe(40);
      const sigma = Math.hypot(flow.startErr, flow.endErr);
      // closer to Tc by a wide margin
      expect(Math.abs(flow.end - TC), `T0 = ${T0}: ${flow.start} -> ${flow.end}`).toBeLessThan(
        Math.abs(flow.start - TC) - Math.max(0.25, 5 * sigma),
      );
    }
  });

  it('the block-spin flow moves away from Tc from below and from above', () => {
    for (const T0 of [1.6, 2, 2.6, 3.2]) {
      const flow = curve('rg-flow', T0);
      expect(flow.steps).toBe(2);
      expect(Math.abs(flow.end - TC) - Math.abs(flow.start - TC), `T0 = ${T0}`).toBeGreaterThan(
        5 * Math.hypot(flow.startErr, flow.endErr),
      );
    }
  });

  it('draws both flows and compares the configurations before and after the RBM flow', () => {
    for (const plot of ['rbm-plot', 'rg-plot']) expect(summary.nodes[plot].status).toBe('done');
    const table = summary.nodes.compare.outputs.table as { columns: string[]; rows: (number | string | null)[][] };
    expect(table.rows.map((r) => r[table.columns.indexOf('quantity')])).toContain('e');
    const report = Object.fromEntries(
      [1.6, 2, 2.6, 3.2].map((T0) => [T0, { rbm: curve('rbm-flow', T0), blockSpin: curve('rg-flow', T0) }]),
    );
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/rbm-flow.json', JSON.stringify(report, null, 2));
  });
});
