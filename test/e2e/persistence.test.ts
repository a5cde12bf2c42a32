/**
 * Work is never lost or overwritten: share links, reloads, several tabs, blocked storage, undo of a delete,
 * placeholders saved and reopened, notes from the canvas menu. Each test is a user's flow in Chromium, and
 * each is one of the ways the editor used to lose or damage work.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeShareFragment } from '../../src/editor/share';
import {
  autosavedGraph,
  browserAvailable,
  serveAndOpen,
  showWholeGraph,
  shownTitle,
  tabId,
  type ServedApp,
} from './browser';

interface SavedGraph {
  meta: { title: string };
  nodes: { id: string; type: string; position: { x: number; y: number }; [field: string]: unknown }[];
  edges: unknown[];
  notes?: { id: string; text: string }[];
}

const exampleText = (name: string) => readFileSync(`graphs/${name}.blockspin.json`, 'utf8');
const example = (name: string) => JSON.parse(exampleText(name)) as SavedGraph;
const BINDER = example('binder-crossing');
const ISING = example('ising-basics');

const saved = async (page: Page) => (await autosavedGraph(page)) as SavedGraph;
const graphNodes = (page: Page) => page.locator('.react-flow__node-blockspin');
const notice = (page: Page) => page.getByRole('status');

/** Types a new graph title into the top bar, as a user renames the graph. */
async function retitle(page: Page, title: string): Promise<void> {
  const field = page.getByRole('textbox', { name: 'Graph title' });
  await field.fill(title);
  await field.press('Enter');
  await expect.poll(async () => (await saved(page)).meta.title).toBe(title);
}

describe.runIf(browserAvailable())('persistence in Chromium', () => {
  let app: ServedApp;
  /** The binder-crossing example as a share link's fragment (#graph=...), made as the app makes it. */
  let binderFragment: string;
  beforeAll(async () => {
    app = await serveAndOpen();
    binderFragment = await encodeShareFragment(exampleText('binder-crossing'));
    mkdirSync('test-results', { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('a share link opened, then edited: a reload shows the edited graph, not the link again', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}${binderFragment}`);
    await expect.poll(() => shownTitle(page)).toBe(BINDER.meta.title);
    expect(page.url()).not.toContain('#graph='); // consumed: removed from the address bar once read
    expect((await saved(page)).nodes.map((n) => n.id)).toEqual(BINDER.nodes.map((n) => n.id));

    await retitle(page, 'Binder crossing, my version');
    await showWholeGraph(page, BINDER.nodes.length);
    await page.locator('.react-flow__node[data-id="lattice-8"] header').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => graphNodes(page).count()).toBe(BINDER.nodes.length - 1);
    const edited = await saved(page);

    await page.reload();
    await page.locator('.react-flow__node').first().waitFor();
    expect(page.url()).not.toContain('#graph=');
    expect(await shownTitle(page)).toBe('Binder crossing, my version');
    expect(await saved(page)).toEqual(edited);
    expect(edited.nodes.map((n) => n.id)).not.toContain('lattice-8');
    await showWholeGraph(page, BINDER.nodes.length - 1);
    await page.screenshot({ path: 'test-results/persistence-share-edit-reload.png' });
    await page.close();
  }, 60_000);

  it('an example opened from its link (?example=), then edited: a reload keeps the edits', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=binder-crossing`);
    await expect.poll(() => shownTitle(page)).toBe(BINDER.meta.title);
    expect(page.url()).not.toContain('example='); // consumed, as share links are
    await retitle(page, 'Binder crossing, edited');
    const edited = await saved(page);
    await page.reload();
    await page.locator('.react-flow__node').first().waitFor();
    expect(await shownTitle(page)).toBe('Binder crossing, edited');
    expect(await saved(page)).toEqual(edited);
    await page.close();
  }, 60_000);

  it('deleting a connected node and one undo bring back the node and every one of its wires', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await showWholeGraph(page, 9);
    const correlation = page.locator('.react-flow__node[data-id="correlation"]');
    await expect
      .poll(() => correlation.locator('.status').getAttribute('data-state'), { timeout: 60_000 })
      .toBe('done');
    const original = await saved(page);
    expect([original.nodes.length, original.edges.length]).toEqual([9, 8]);

    await correlation.locator('header').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => graphNodes(page).count()).toBe(8);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(6); // lattice -> it, it -> its plot
    expect([(await saved(page)).nodes.length, (await saved(page)).edges.length]).toEqual([8, 6]);

    await page.keyboard.press('Control+z');
    await expect.poll(() => graphNodes(page).count()).toBe(9);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(8);
    expect(await saved(page)).toEqual(original);
    // wired again, so it runs (a cached result) rather than waiting on an input
    await expect
      .poll(() => correlation.locator('.status').getAttribute('data-state'), { timeout: 60_000 })
      .toBe('done');
    expect(await correlation.locator('.status').textContent()).not.toContain('not connected');
    expect(await page.locator('.status', { hasText: 'not connected' }).count()).toBe(0);
    await page.screenshot({ path: 'test-results/persistence-delete-undo.png' });
    await page.close();
  }, 90_000);

  it('a share link pasted into an open tab opens, and the notice offers Undo back to the graph before', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    const before = await saved(page);
    expect(before.meta.title).toBe(ISING.meta.title);

    await page.evaluate((hash) => (window.location.hash = hash), binderFragment);
    await expect.poll(() => shownTitle(page)).toBe(BINDER.meta.title);
    expect(page.url()).not.toContain('#graph=');
    expect((await saved(page)).nodes.map((n) => n.id)).toEqual(BINDER.nodes.map((n) => n.id));
    // The binder graph needs about 336 MB, so from a link it opens paused.
    await expect
      .poll(() => notice(page).textContent())
      .toMatch(
        /Opened the shared graph\. It is paused: it needs about [\d.]+ MB of memory\. Run starts it\. Undo brings back the graph you had/,
      );
    await page.screenshot({ path: 'test-results/persistence-pasted-link.png' });

    await notice(page).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => shownTitle(page)).toBe(ISING.meta.title);
    expect(await saved(page)).toEqual(before);
    await page.close();
  }, 60_000);

  it('two tabs and a duplicated tab each keep their own graph across reloads', async () => {
    const open = async (name: string, title: string) => {
      const page = await app.context.newPage();
      await page.goto(app.url);
      await page.locator('.react-flow__node').first().waitFor();
      await page.getByLabel('Example graph').selectOption(name);
      await expect.poll(async () => (await saved(page)).nodes.length).toBe(example(name).nodes.length);
      await retitle(page, title);
      return page;
    };
    const a = await open('ising-basics', 'Tab A: Ising');
    const b = await open('binder-crossing', 'Tab B: Binder');
    const idA = (await tabId(a))!;
    expect(idA).toBeTruthy();
    expect(await tabId(b)).not.toBe(idA);

    for (const [page, title, name] of [
      [a, 'Tab A: Ising', 'ising-basics'],
      [b, 'Tab B: Binder', 'binder-crossing'],
    ] as const) {
      await page.reload();
      await page.locator('.react-flow__node').first().waitFor();
      expect(await shownTitle(page)).toBe(title);
      expect((await saved(page)).nodes.map((n) => n.id)).toEqual(example(name).nodes.map((n) => n.id));
    }
    expect(await tabId(a)).toBe(idA); // a reload keeps the tab's id

    // A duplicated tab: Chrome copies sessionStorage (the tab id with it) into the new tab, while A stays open.
    const c = await app.context.newPage();
    await c.addInitScript((id) => {
      if (sessionStorage.getItem('e2e.duplicated')) return; // only the first page: C's reload is C's own
      sessionStorage.setItem('e2e.duplicated', '1');
      sessionStorage.setItem('blockspin.tab', id);
    }, idA);
    await c.goto(app.url);
    await c.locator('.react-flow__node').first().waitFor();
    expect(await shownTitle(c)).toBe('Tab A: Ising'); // starts from a copy of A's graph
    const idC = (await tabId(c))!;
    expect(idC).not.toBe(idA); // under a key of its own
    await retitle(c, 'Tab C: a copy of A');
    await c.screenshot({ path: 'test-results/persistence-duplicated-tab.png' });

    await a.reload();
    await a.locator('.react-flow__node').first().waitFor();
    expect(await shownTitle(a)).toBe('Tab A: Ising');
    expect(await tabId(a)).toBe(idA);
    await c.reload();
    await c.locator('.react-flow__node').first().waitFor();
    expect(await shownTitle(c)).toBe('Tab C: a copy of A');
    expect(await tabId(c)).toBe(idC);
    await b.reload();
    await b.locator('.react-flow__node').first().waitFor();
    expect(await shownTitle(b)).toBe('Tab B: Binder');
    await a.screenshot({ path: 'test-results/persistence-tab-a.png' });
    for (const page of [a, b, c]) await page.close();
  }, 120_000);

  it('a placeholder duplicated and saved reopens, both placeholders where they were', async () => {
    const file = JSON.stringify({
      format: 'blockspin.graph',
      version: 2,
      meta: { title: 'From the future' },
      nodes: [
        {
          id: 'lattice',
          type: 'ising.lattice',
          typeVersion: 1,
          position: { x: 0, y: 0 },
          params: { L: 8, T: [2.269], samples: 50, burnIn: 10, thin: 1, algorithm: 'wolff', seed: 1 },
        },
        {
          id: 'annealer',
          type: 'future.quantum-annealer',
          typeVersion: 3,
          position: { x: 400, y: 0 },
          label: 'from a newer Blockspin',
          params: { qubits: 128 },
          calibration: { drift: 0.01 },
        },
      ],
      edges: [],
    });
    const page = await app.context.newPage();
    await page.goto(app.url);
    await page.locator('.react-flow__node').first().waitFor();
    const input = page.locator('input[type="file"]');
    await input.setInputFiles({
      name: 'future.blockspin.json',
      mimeType: 'application/json',
      buffer: Buffer.from(file),
    });
    await expect.poll(() => shownTitle(page)).toBe('From the future');
    const placeholders = page.locator('.react-flow__node:has(.node.placeholder)');
    await expect.poll(() => placeholders.count()).toBe(1);

    await placeholders.first().locator('header').click();
    await page.keyboard.press('Control+d');
    await expect.poll(() => placeholders.count()).toBe(2);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('From-the-future.blockspin.json');
    const text = readFileSync((await download.path())!, 'utf8');
    const written = JSON.parse(text) as SavedGraph;
    const annealers = written.nodes.filter((n) => n.type === 'future.quantum-annealer');
    expect(annealers.map((n) => n.id)).toEqual(['annealer', expect.not.stringMatching(/^annealer$/)]);
    expect(annealers.map((n) => n.position)).toEqual([
      { x: 400, y: 0 },
      { x: 440, y: 40 },
    ]);
    for (const node of annealers) {
      expect(node).toMatchObject({ typeVersion: 3, params: { qubits: 128 }, calibration: { drift: 0.01 } });
    }

    // open it in a fresh graph: it loads, with both placeholders drawn where the file puts them
    await page.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => graphNodes(page).count()).toBe(0);
    await input.setInputFiles({
      name: download.suggestedFilename(),
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await expect.poll(() => placeholders.count()).toBe(2);
    expect(await page.locator('.problems').count()).toBe(0);
    await expect.poll(() => notice(page).textContent()).toContain('Opened From-the-future.blockspin.json');
    expect(await saved(page)).toEqual(written);
    for (const node of annealers) {
      const style = await page.locator(`.react-flow__node[data-id="${node.id}"]`).getAttribute('style');
      expect(style).toContain(`translate(${node.position.x}px, ${node.position.y}px)`);
    }
    await page.screenshot({ path: 'test-results/persistence-placeholders.png' });
    await page.close();
  }, 60_000);

  it('a right-click on the canvas offers "Add note"; the note appears there, and Ctrl+Z takes it away', async () => {
    const page = await app.context.newPage();
    await page.goto(app.url);
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
    await page.waitForTimeout(400); // the view fits a newly opened graph 300 ms after it opens
    const pane = page.locator('.react-flow__pane');
    const box = (await pane.boundingBox())!;
    const at = { x: 300, y: 220 };
    await pane.click({ button: 'right', position: at });
    const menu = page.getByRole('menu');
    await menu.waitFor();
    await page.screenshot({ path: 'test-results/persistence-context-menu.png' });
    await menu.getByRole('menuitem', { name: /^Add note/ }).click();
    expect(await menu.count()).toBe(0);

    const note = page.locator('.react-flow__node-note');
    await expect.poll(() => note.count()).toBe(1);
    await page.screenshot({ path: 'test-results/persistence-note.png' });
    expect(await note.textContent()).toBe('Note');
    await expect.poll(() => note.isVisible(), { timeout: 5_000 }).toBe(true); // drawn, not just in the page
    const noteBox = (await note.boundingBox())!;
    expect(Math.abs(noteBox.x - (box.x + at.x))).toBeLessThan(2);
    expect(Math.abs(noteBox.y - (box.y + at.y))).toBeLessThan(2);
    expect((await saved(page)).notes).toHaveLength(1);

    await page.keyboard.press('Control+z');
    await expect.poll(() => note.count()).toBe(0);
    expect((await saved(page)).notes ?? []).toHaveLength(0);
    await page.close();
  }, 60_000);

  it('blocked storage leaves a working app that says it cannot autosave', async () => {
    const page = await app.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // as in a sandboxed frame or with site data blocked: touching localStorage throws
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() {
          throw new DOMException("Failed to read the 'localStorage' property from 'Window'", 'SecurityError');
        },
      });
    });
    await page.goto(app.url);
    const first = example('mehta-schwab-2014'); // the first example: there is no autosave to start from
    await expect.poll(() => shownTitle(page)).toBe(first.meta.title);
    // it trains for minutes: hold it, this test needs the editor, not the run
    await page.getByRole('button', { name: 'Pause' }).click();
    await showWholeGraph(page, first.nodes.length);
    await expect.poll(() => notice(page).textContent()).toContain('cannot autosave');
    expect(await page.locator('.autosave-off').textContent()).toBe('no autosave');
    await page.screenshot({ path: 'test-results/persistence-blocked-storage.png' });

    await page.locator('.palette-item[data-type="plot"]').click();
    await expect.poll(() => graphNodes(page).count()).toBe(first.nodes.length + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => graphNodes(page).count()).toBe(first.nodes.length);
    expect(await page.locator('.topbar').getByRole('button', { name: 'Redo' }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
