/** The canvas as a user drives it: add, wire, edit, undo, save, share, open a bad file. */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFromPng } from '../../src/figures/png-text';
import {
  allNodesDone,
  autosavedGraph,
  browserAvailable,
  serveAndOpen,
  showWholeGraph,
  shownTitle,
  type ServedApp,
} from './browser';

/** Waits until every node is done, then fits the whole graph in view (previews make nodes grow). */
async function settleAndFit(page: Page): Promise<void> {
  await showWholeGraph(page);
  await allNodesDone(page);
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(300);
}

describe.runIf(browserAvailable())('the editor in Chromium', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen();
    mkdirSync('test-results', { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('builds a graph from the palette: drag a Lattice Generator, add a Plot, wire them, see the figure', async () => {
    const page = await app.context.newPage();
    await page.goto(app.url);
    await page.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
    await page.getByPlaceholder('Filter nodes…').fill('lattice');
    await page.locator('.palette-item[data-type="ising.lattice"]').dragTo(page.locator('.react-flow__pane'), {
      targetPosition: { x: 200, y: 200 },
    });
    await page.getByPlaceholder('Filter nodes…').fill('');
    await page.locator('.palette-item[data-type="plot"]').click();
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2);
    // make the lattice small, so the plot appears quickly
    await page.locator('.react-flow__node').filter({ hasText: 'Lattice Generator' }).click();
    const samples = page.locator('.inspector').getByLabel('samples', { exact: true });
    await samples.fill('50');
    await samples.press('Enter');
    const L = page.locator('.inspector').getByLabel('L', { exact: true });
    await L.fill('16');
    await L.press('Enter');
    await page
      .locator('.react-flow__node')
      .filter({ hasText: 'Lattice Generator' })
      .locator('.react-flow__handle[data-handleid="spins"]')
      .dragTo(
        page
          .locator('.react-flow__node')
          .filter({ hasText: 'Plot' })
          .locator('.react-flow__handle[data-handleid="values"]'),
      );
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);
    await page.locator('.preview svg').first().waitFor({ timeout: 60_000 });
    const saved = (await autosavedGraph(page)) as {
      nodes: { type: string; params: Record<string, unknown> }[];
      edges: unknown[];
    };
    expect(saved.nodes.map((n) => n.type).sort()).toEqual(['ising.lattice', 'plot']);
    expect(saved.nodes.find((n) => n.type === 'ising.lattice')!.params).toMatchObject({ L: 16, samples: 50 });
    await page.screenshot({ path: 'test-results/editor-built.png' });
    await page.close();
  }, 120_000);

  it('refuses an incompatible wire and says why, and shows an invalid param inline', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    await settleAndFit(page);
    const table = page.locator('.react-flow__node[data-id="observables"] .react-flow__handle[data-handleid="table"]');
    const blocks = page.locator(
      '.react-flow__node[data-id="block-observables"] .react-flow__handle[data-handleid="spins"]',
    );
    const edgesBefore = await page.locator('.react-flow__edge').count();
    await table.dragTo(blocks);
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Cannot connect');
    expect(await page.locator('.react-flow__edge').count()).toBe(edgesBefore);
    await page.locator('.react-flow__node[data-id="lattice"]').click();
    await page.locator('.inspector').getByLabel('L', { exact: true }).fill('1');
    await page.locator('.inspector').getByLabel('L', { exact: true }).press('Enter');
    await expect.poll(() => page.locator('.field.invalid .field-error').textContent()).toContain('>=2');
    await page.close();
  }, 120_000);

  it('undo and redo restore the exact graph, and autosave brings it back after a reload', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    const original = await autosavedGraph(page);
    await page.locator('.react-flow__node[data-id="blocks"]').click();
    await page.locator('.inspector').getByLabel('b', { exact: true }).fill('4');
    await page.locator('.inspector').getByLabel('b', { exact: true }).press('Enter');
    await page.locator('.inspector').getByLabel('label', { exact: true }).fill('renamed');
    await page.locator('.inspector').getByLabel('label', { exact: true }).press('Enter');
    await page.locator('.palette-item[data-type="plot"]').click();
    const edited = await autosavedGraph(page);
    expect(edited).not.toEqual(original);
    for (let i = 0; i < 3; i++) await page.locator('.topbar').getByRole('button', { name: 'Undo' }).click();
    expect(await autosavedGraph(page)).toEqual(original);
    for (let i = 0; i < 3; i++) await page.locator('.topbar').getByRole('button', { name: 'Redo' }).click();
    expect(await autosavedGraph(page)).toEqual(edited);
    await page.goto(app.url); // no example named: this tab's autosave
    await showWholeGraph(page, (edited as { nodes: unknown[] }).nodes.length);
    expect(await autosavedGraph(page)).toEqual(edited);
    expect(await page.locator('.react-flow__node').count()).toBe((edited as { nodes: unknown[] }).nodes.length);
    await page.close();
  }, 120_000);

  it('a share link opens the same graph', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=rbm-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    const shared = await autosavedGraph(page);
    // Share copies the link to the clipboard; the address bar stays as it was (a reload must not reopen it).
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('copied to the clipboard');
    const url = await page.evaluate(() => navigator.clipboard.readText());
    expect(url).toContain('#graph=');
    expect(url).not.toContain('?example=');
    expect(page.url()).not.toContain('#graph=');
    const other = await app.context.newPage();
    await other.goto(url);
    await expect.poll(() => shownTitle(other)).toBe((shared as { meta: { title: string } }).meta.title);
    expect(other.url()).not.toContain('#graph='); // consumed once
    expect(await autosavedGraph(other)).toEqual(shared);
    await other.close();
    await page.close();
  }, 120_000);

  it('quick search: a double-click adds a node there, and a wire dropped on empty canvas adds a connected one', async () => {
    const page = await app.context.newPage();
    await page.goto(app.url);
    await page.getByRole('button', { name: 'New' }).click();
    const pane = page.locator('.react-flow__pane');
    await pane.dblclick({ position: { x: 150, y: 150 } });
    await page.getByLabel('Search nodes').fill('lattice');
    await page.getByLabel('Search nodes').press('Enter');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(1);
    // let the view settle (fit-to-view runs on the next frame after New), then grab the port where it is
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('f');
    await page.waitForTimeout(500);
    const handle = page.locator('.react-flow__node .react-flow__handle[data-handleid="spins"]');
    await handle.hover();
    const box = (await handle.boundingBox())!;
    await page.mouse.down();
    await page.mouse.move(box.x + 40, box.y + 10, { steps: 5 });
    await page.locator('.react-flow__connectionline').waitFor(); // the wire is being dragged
    await page.mouse.move(box.x + 260, box.y + 40, { steps: 10 });
    await page.mouse.up();
    await page.getByLabel('Search nodes').waitFor();
    // only nodes that take spins are offered
    await page.getByLabel('Search nodes').fill('observ');
    await expect.poll(() => page.locator('.quick-search li').first().textContent()).toContain('Observables');
    await page.getByLabel('Search nodes').press('Enter');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2);
    const saved = (await autosavedGraph(page)) as { edges: { sourcePort: string; targetPort: string }[] };
    expect(saved.edges).toEqual([expect.objectContaining({ sourcePort: 'spins', targetPort: 'spins' })]);
    await page.close();
  }, 120_000);

  it('changing a param re-runs only the nodes that depend on it', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    await settleAndFit(page);
    // record every status change of every node from here on
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          const node = (r.target as Element).closest('.react-flow__node')?.getAttribute('data-id');
          if (node) (seen[node] ??= []).push((r.target as Element).getAttribute('data-state')!);
        }
      }).observe(document.querySelector('.react-flow')!, {
        attributes: true,
        attributeFilter: ['data-state'],
        subtree: true,
      });
    });
    await page.locator('.react-flow__node[data-id="blocks"]').click();
    await page.locator('.inspector').getByLabel('rule').selectOption({ label: 'decimation' });
    const seen = () => page.evaluate(() => (window as unknown as { seen: Record<string, string[]> }).seen);
    await expect.poll(async () => (await seen())['block-observables']?.at(-1), { timeout: 60_000 }).toBe('done');
    const changes = await seen();
    for (const id of [
      'lattice',
      'observables',
      'correlation',
      'exact',
      'energy-plot',
      'samples-plot',
      'correlation-plot',
    ]) {
      expect(changes[id], id).toBeUndefined();
    }
    // the dependents changed state and ended done (intermediate states may fall within one frame)
    expect(changes.blocks?.at(-1)).toBe('done');
    expect(changes['block-observables']?.at(-1)).toBe('done');
    await page.screenshot({ path: 'test-results/editor-param-change.png' });
    await page.close();
  }, 120_000);

  it('a slider changes a bounded param, committed once the drag pauses', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    await settleAndFit(page);
    await page.locator('.react-flow__node[data-id="blocks"]').click();
    const slider = page.locator('.inspector').getByLabel('levels slider');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(
        async () =>
          ((await autosavedGraph(page)) as { nodes: { id: string; params: { levels?: number } }[] }).nodes.find(
            (n) => n.id === 'blocks',
          )!.params.levels,
      )
      .toBe(2);
    await expect.poll(() => page.locator('.inspector').getByLabel('levels', { exact: true }).inputValue()).toBe('2');
    await page.close();
  }, 120_000);

  it('collapses a node to hide its preview, and expands it again', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await showWholeGraph(page, 9);
    const plot = page.locator('.react-flow__node[data-id="energy-plot"]');
    await plot.locator('.preview svg').waitFor({ timeout: 60_000 });
    await plot.getByRole('button', { name: 'Collapse' }).click();
    await expect.poll(() => plot.locator('.preview').count()).toBe(0);
    await plot.getByRole('button', { name: 'Expand' }).click();
    await expect.poll(() => plot.locator('.preview').count()).toBe(1);
    await page.close();
  }, 120_000);

  it('a figure opens large and exports SVG, CSV and a PNG that carries the graph', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await showWholeGraph(page, 9);
    await page.locator('.react-flow__node[data-id="energy-plot"] .preview svg').waitFor({ timeout: 60_000 });
    await page.locator('.react-flow__node[data-id="energy-plot"] .preview').click();
    const panel = page.getByRole('dialog', { name: /Figure/ });
    await panel.locator('svg').first().waitFor();
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'PNG' }).click(),
    ]);
    const bytes = readFileSync((await png.path())!);
    const embedded = graphFromPng(new Uint8Array(bytes));
    expect(JSON.parse(embedded!)).toEqual(await autosavedGraph(page));
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'CSV' }).click(),
    ]);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe('panel,curve,x,y,err');
    expect(text).toContain('e (exact, L = 32)');
    await page.screenshot({ path: 'test-results/editor-figure-panel.png' });
    await page.close();
  }, 120_000);

  it('a bad file dropped on the canvas shows the problems and leaves the graph alone', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    const before = await autosavedGraph(page);
    const file = readFileSync('graphs/ising-basics.blockspin.json', 'utf8');
    const bad = file.replace(/"version": \d+/, '"version": 999'); // the file's format version: the first
    expect(bad).not.toBe(file);
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'future.blockspin.json', { type: 'application/json' }));
      return data;
    }, bad);
    await page.locator('.canvas').dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => page.locator('.problems').textContent()).toContain('newer Blockspin');
    expect(await autosavedGraph(page)).toEqual(before);
    await page.screenshot({ path: 'test-results/editor-bad-file.png' });
    await page.close();
  }, 120_000);
});
