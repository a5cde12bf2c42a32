import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { browserAvailable, serveAndOpen, showWholeGraph, shownTitle, type ServedApp } from './browser';

const examples = readdirSync('graphs')
  .filter((f) => f.endsWith('.blockspin.json'))
  .map((f) => ({ name: f.replace('.blockspin.json', ''), graph: JSON.parse(readFileSync(`graphs/${f}`, 'utf8')) }));

describe.runIf(browserAvailable())('the app in Chromium', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen();
    mkdirSync('test-results', { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('starts with the canvas, the top bar and no console errors', async () => {
    const page = await app.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await page.locator('.react-flow').waitFor();
    expect(await page.locator('.brand').textContent()).toBe('Blockspin');
    await page.screenshot({ path: 'test-results/app-start.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  // Examples that train for a minute or more: the app must open them and start them; the headless tests run
  // them to the end (test/graphs: scaled down, or rbm-flow at full size).
  const LONG = new Set(['mehta-schwab-2014', 'torlai-melko-2016', 'rbm-flow']);

  it.each(examples)(
    'opens example $name, shows every node, and runs it',
    async ({ name, graph }) => {
      const page = await app.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${app.url}?example=${name}`);
      await showWholeGraph(page, graph.nodes.length);
      expect(await page.locator('.react-flow__node').count()).toBe(graph.nodes.length);
      expect(await shownTitle(page)).toBe(graph.meta.title);
      if (LONG.has(name)) {
        await page.waitForFunction(() => document.querySelector('.status[data-state="running"]') !== null, undefined, {
          timeout: 120_000,
        });
      } else {
        await page.waitForFunction(
          (n) => document.querySelectorAll('.status[data-state="done"]').length === n,
          graph.nodes.length,
          { timeout: 120_000 },
        );
      }
      await page.screenshot({ path: `test-results/example-${name}.png` });
      expect(await page.locator('.status[data-state="error"]').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    },
    180_000,
  );

  it('refuses a broken example URL gracefully by opening the first example', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=does-not-exist`);
    await page.locator('.react-flow').waitFor();
    expect(await page.locator('.problems').count()).toBe(0);
    await page.close();
  });
});
