/** Figures pinned side by side below the canvas: live, exportable, and with linked axes. */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allNodesDone,
  autosavedGraph,
  browserAvailable,
  serveAndOpen,
  showWholeGraph,
  shownTitle,
  type ServedApp,
} from './browser';

/** Two lattice -> observables -> plot branches at different temperatures: e(T) on the same axes' labels. */
function twoBranches(): string {
  const branch = (id: string, T: number[], y: number, label: string, seed: number) => [
    {
      id: `lattice-${id}`,
      type: 'ising.lattice',
      typeVersion: 1,
      position: { x: 0, y },
      label: `8 × 8, T = ${T.join(', ')}`,
      params: { L: 8, T, samples: 400, burnIn: 100, thin: 1, algorithm: 'wolff', seed },
    },
    { id: `observables-${id}`, type: 'measure.observables', typeVersion: 1, position: { x: 300, y }, params: {} },
    {
      id: `plot-${id}`,
      type: 'plot',
      typeVersion: 1,
      position: { x: 600, y },
      label,
      params: { kind: 'points', x: 'T', y: 'e' },
    },
  ];
  const edges = (id: string) => [
    {
      id: `e-${id}-1`,
      source: `lattice-${id}`,
      sourcePort: 'spins',
      target: `observables-${id}`,
      targetPort: 'spins',
    },
    { id: `e-${id}-2`, source: `observables-${id}`, sourcePort: 'table', target: `plot-${id}`, targetPort: 'values' },
  ];
  return JSON.stringify({
    format: 'blockspin.graph',
    version: 1,
    meta: { title: 'Two branches' },
    nodes: [...branch('cold', [2.0, 2.2], 0, 'cold branch', 1), ...branch('hot', [2.8, 3.2], 400, 'hot branch', 2)],
    edges: [...edges('cold'), ...edges('hot')],
  });
}

const ticks = (figure: Locator, axis: 'x' | 'y') =>
  figure.locator(`g[aria-label="${axis}-axis tick label"] text`).allTextContents();

describe.runIf(browserAvailable())('pinned figures in Chromium', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen();
    mkdirSync('test-results', { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('pins two figures side by side, links their axes, exports, and drops the pin of a deleted node', async () => {
    const page = await app.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}?example=rbm-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'two.blockspin.json', mimeType: 'application/json', buffer: Buffer.from(twoBranches()) });
    await expect.poll(() => shownTitle(page)).toBe('Two branches');
    await showWholeGraph(page, 6);
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(6);
    await allNodesDone(page);
    const unpinned = await autosavedGraph(page);

    const dock = page.getByRole('region', { name: 'Pinned figures' });
    expect(await dock.count()).toBe(0);
    for (const id of ['plot-cold', 'plot-hot']) {
      // The dock that the first pin opens takes room from the canvas, which draws only what is in view:
      // fit the whole graph again so that the next node is drawn. The fit may leave the preview under the
      // minimap, so it is opened from the keyboard, as a keyboard user would.
      await showWholeGraph(page, 6);
      await page.locator(`.react-flow__node[data-id="${id}"] .preview`).focus();
      await page.keyboard.press('Enter');
      const panel = page.getByRole('dialog', { name: /Figure/ });
      await panel.locator('svg').first().waitFor();
      await panel.getByRole('button', { name: 'Pin' }).click();
      await expect.poll(() => panel.count()).toBe(0); // pinning shows the figure where it went
    }
    const cold = dock.locator('.pinned-figure[data-id="plot-cold"]');
    const hot = dock.locator('.pinned-figure[data-id="plot-hot"]');
    await expect.poll(() => dock.locator('.pinned-figure svg').count()).toBe(2);
    expect(await cold.locator('header strong').textContent()).toBe('cold branch');
    expect(await hot.locator('header strong').textContent()).toBe('hot branch');

    // side by side, both in full view
    const [a, b] = [(await cold.boundingBox())!, (await hot.boundingBox())!];
    expect(b.x).toBeGreaterThanOrEqual(a.x + a.width);
    expect(Math.abs(a.y - b.y)).toBeLessThan(2);
    const viewport = page.viewportSize()!;
    for (const box of [a, b]) {
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    }

    // linked (the default): the same ticks on both, covering both branches' temperatures
    const linkToggle = dock.getByLabel('Link axes');
    expect(await linkToggle.isChecked()).toBe(true);
    const linkedX = await ticks(cold, 'x');
    expect(linkedX.length).toBeGreaterThan(2);
    expect(await ticks(hot, 'x')).toEqual(linkedX);
    expect(await ticks(hot, 'y')).toEqual(await ticks(cold, 'y'));
    expect(Number(linkedX[0])).toBeLessThanOrEqual(2.0);
    expect(Number(linkedX.at(-1))).toBeGreaterThanOrEqual(3.2);
    await dock.screenshot({ path: 'test-results/pinned-dock-linked.png' });
    await page.screenshot({ path: 'test-results/pinned-figures.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await dock.screenshot({ path: 'test-results/pinned-dock-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });

    // an export from the dock is the figure as shown there
    const [svg] = await Promise.all([page.waitForEvent('download'), hot.getByRole('button', { name: 'SVG' }).click()]);
    expect(svg.suggestedFilename()).toBe('hot branch.svg');
    const exported = readFileSync((await svg.path())!, 'utf8');
    for (const tick of linkedX) expect(exported).toContain(`>${tick}</text>`);

    // unlinked: each figure on its own data's range
    await linkToggle.uncheck();
    await expect.poll(() => ticks(hot, 'x')).not.toEqual(linkedX);
    expect(await ticks(cold, 'x')).not.toEqual(await ticks(hot, 'x'));
    expect(await ticks(cold, 'y')).not.toEqual(await ticks(hot, 'y'));
    await dock.screenshot({ path: 'test-results/pinned-dock-unlinked.png' });
    await linkToggle.check();
    await expect.poll(() => ticks(hot, 'x')).toEqual(linkedX);

    // pins are view state: the graph (and its autosave) is unchanged by them
    expect(await autosavedGraph(page)).toEqual(unpinned);

    // the dock resizes from its top edge, and the figures grow with it
    const figureBefore = (await hot.locator('.pinned-svg').boundingBox())!;
    const edge = (await dock.getByRole('separator').boundingBox())!;
    await page.mouse.move(edge.x + 200, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + 200, edge.y + edge.height / 2 - 80, { steps: 4 });
    await page.mouse.up();
    await expect
      .poll(async () => (await hot.locator('.pinned-svg').boundingBox())!.height)
      .toBe(figureBefore.height + 80);
    expect((await hot.locator('.pinned-svg').boundingBox())!.width).toBeGreaterThan(figureBefore.width);

    // a pinned figure follows its node: a new title re-runs the plot (the taller dock left less canvas: the
    // whole graph is brought back in view, since the canvas draws only what is in view)
    await showWholeGraph(page, 6);
    await page.locator('.react-flow__node[data-id="plot-hot"] header').click();
    const title = page.locator('.inspector').getByLabel('title', { exact: true });
    await title.fill('Hot branch, retitled');
    await title.press('Enter');
    await expect.poll(() => hot.locator('svg text').allTextContents()).toContain('Hot branch, retitled');

    // undo works on the graph alone, and the pinned figure follows it back
    await page.locator('.topbar').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => hot.locator('svg text').allTextContents()).not.toContain('Hot branch, retitled');
    expect(await dock.locator('.pinned-figure').count()).toBe(2);

    // unpin one; delete the other's node: its pin goes, and the dock with it
    await cold.getByRole('button', { name: 'Unpin' }).click();
    await expect.poll(() => dock.locator('.pinned-figure').count()).toBe(1);
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await showWholeGraph(page, 6);
    await page.locator('.react-flow__node[data-id="plot-hot"] header').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(5);
    await expect.poll(() => dock.count()).toBe(0);
    // the id comes back with an undo, but the pin stays gone
    await page.locator('.topbar').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(6);
    expect(await dock.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
