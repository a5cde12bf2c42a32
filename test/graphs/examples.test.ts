/** Every example in graphs/ loads, is written in canonical form, and runs headless with no failed node. */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText, runGraph } from '../../src/cli/run-graph';
import { parseGraph } from '../../src/graph/parse';
import { serializeGraph } from '../../src/graph/serialize';
import { createAppPool } from '../../src/workers/app-pool';

const files = readdirSync('graphs').filter((f) => f.endsWith('.blockspin.json'));

/** Examples too big for every CI run at full size, run here scaled down (their own tests say how). */
export const CI_OVERRIDES: Record<string, string[]> = {
  'mehta-schwab-2014.blockspin.json': [
    'lattice.L=16',
    'lattice.samples=2000',
    'rbm1.hidden=64',
    'rbm2.hidden=16',
    'rbm3.hidden=4',
    'rbm1.epochs=5',
    'rbm2.epochs=5',
    'rbm3.epochs=5',
  ],
  // test/graphs/rbm-flow.test.ts runs it at full size and checks its physics.
  'rbm-flow.blockspin.json': ['rbm.epochs=5', 'rbm.hidden=32', 'rbm-flow.steps=5'],
  // test/graphs/torlai-melko-2016.test.ts runs it at 4 x 4 and checks its physics.
  'torlai-melko-2016.blockspin.json': [
    'lattice.L=4',
    'lattice.samples=500',
    'exact.L=4',
    'rbm.hidden=16',
    'rbm.epochs=5',
    'rbm.samples=100',
    'rbm.steps=20',
  ],
};
const registry = appRegistry();
const pool = createAppPool({ size: 1 });
afterAll(() => pool.dispose());

describe.each(files)('graphs/%s', (file) => {
  const text = readFileSync(`graphs/${file}`, 'utf8');

  it('loads with no warnings, has a title and a description, and is saved byte-identical', () => {
    const parsed = parseGraph(text, registry);
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.graph.meta.title).toBeTruthy();
    expect((parsed.graph.meta.description ?? '').length).toBeGreaterThan(80);
    expect(serializeGraph(parsed.graph)).toBe(text);
  });

  it('runs headless with every node done', async () => {
    const loaded = loadGraphText(text, registry, CI_OVERRIDES[file] ?? []);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const { summary, failed } = await runGraph(loaded.graph, { registry, heavyExecutor: pool.executor });
    expect(failed).toEqual([]);
    for (const node of Object.values(summary.nodes)) expect(node.status).toBe('done');
  }, 120_000);
});
