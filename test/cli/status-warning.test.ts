/** A node's result that warns (meta.warnings) reaches its done status, summary.json and the CLI's table. */
import { describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { summaryTable } from '../../src/cli/report';
import { runGraph } from '../../src/cli/run-graph';
import { GraphEngine } from '../../src/engine/engine';
import { outputWarning } from '../../src/engine/status';
import { createAppPool } from '../../src/workers/app-pool';
import { edge, graph, node } from '../helpers/graphs';

describe('status warnings', () => {
  it('joins the meta.warnings of every output value, and ignores values without any', () => {
    expect(outputWarning({ a: { type: 'table', meta: { warnings: ['one', 'two'] } }, b: { meta: {} }, c: 3 })).toBe(
      'one; two',
    );
    expect(outputWarning({ a: { type: 'table', meta: { warnings: [] } }, b: null })).toBeUndefined();
  });

  it(
    'a chain that is not thermalised warns from Observables; a thermalised one does not',
    { timeout: 60_000 },
    async () => {
      const lattice = { L: 64, algorithm: 'metropolis', init: 'ordered', burnIn: 0, thin: 1, samples: 100, seed: 4 };
      const doc = graph(
        [
          node('cold', 'ising.lattice', { ...lattice, T: 2.4 }),
          node('warm', 'ising.lattice', { ...lattice, L: 16, T: 3, algorithm: 'wolff', burnIn: 200, samples: 1000 }),
          node('obs-cold', 'measure.observables'),
          node('obs-warm', 'measure.observables'),
        ],
        [edge('cold.spins', 'obs-cold.spins'), edge('warm.spins', 'obs-warm.spins')],
      );
      // Observables is heavy: through a worker, as the CLI runs it, so the warning crosses with the table.
      const pool = createAppPool({ size: 1 });
      const { summary, failed } = await runGraph(doc, {
        registry: appRegistry(),
        heavyExecutor: pool.executor,
      }).finally(() => pool.dispose());
      expect(failed).toEqual([]);
      const cold = summary.nodes['obs-cold'];
      expect(cold.status).toBe('done');
      expect(cold.warning).toMatch(
        /^T = 2\.4: energy drifts by \d+\.\dσ between the first and last third: not thermalised\? raise burnIn$/,
      );
      expect(summary.nodes['obs-warm'].warning).toBeUndefined();
      expect(summaryTable(summary)).toContain('warning: T = 2.4: energy drifts');
    },
  );

  it('keeps the warning when the result comes from the cache', async () => {
    const engine = new GraphEngine(appRegistry(), { followIntermediate: false });
    try {
      const lattice = { L: 64, T: 2.4, algorithm: 'metropolis', init: 'ordered', burnIn: 0, samples: 100, thin: 1 };
      engine.load(
        graph(
          [node('cold', 'ising.lattice', { ...lattice, seed: 4 }), node('obs', 'measure.observables')],
          [edge('cold.spins', 'obs.spins')],
        ),
      );
      await engine.whenSettled();
      const fresh = engine.status('obs');
      expect(fresh).toMatchObject({
        state: 'done',
        cached: false,
        warning: expect.stringMatching(/^T = 2\.4: energy drifts/),
      });
      engine.setParams('cold', { ...engine.document().nodes[0].params, seed: 5 });
      await engine.whenSettled();
      engine.setParams('cold', { ...engine.document().nodes[0].params, seed: 4 });
      await engine.whenSettled();
      expect(engine.status('obs')).toMatchObject({
        state: 'done',
        cached: true,
        warning: (fresh as { warning: string }).warning,
      });
    } finally {
      engine.dispose();
    }
  });
});
