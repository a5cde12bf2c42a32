/**
 * An RBM Layer with `threads: 2` in the browser: its pool worker starts a peer worker, and the page is
 * cross-origin isolated, so the two share memory. The model must come out whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, serveAndOpen, type ServedApp } from './browser';

const twoThreadGraph = () =>
  JSON.stringify({
    format: 'blockspin.graph',
    version: 1,
    meta: { title: 'Two threads' },
    nodes: [
      {
        id: 'lattice',
        type: 'ising.lattice',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: { L: 8, T: 3, samples: 400, burnIn: 100 },
      },
      {
        id: 'rbm',
        type: 'rbm.layer',
        typeVersion: 1,
        position: { x: 360, y: 0 },
        params: { hidden: 9, epochs: 3, batchSize: 40, threads: 2 },
      },
      { id: 'weights', type: 'plot', typeVersion: 1, position: { x: 720, y: 0 }, params: {} },
    ],
    edges: [
      { id: 'e1', source: 'lattice', sourcePort: 'spins', target: 'rbm', targetPort: 'data' },
      { id: 'e2', source: 'rbm', sourcePort: 'model', target: 'weights', targetPort: 'values' },
    ],
  });

describe.runIf(browserAvailable())('RBM training on two threads in the browser', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('trains with a peer worker over shared memory and shows the whole model', async () => {
    const page = await app.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.locator('input[type="file"]').setInputFiles({
      name: 'two.blockspin.json',
      mimeType: 'application/json',
      buffer: Buffer.from(twoThreadGraph()),
    });
    await expect.poll(() => page.locator('.graph-title').inputValue()).toBe('Two threads');
    // A file from elsewhere that trains opens paused.
    await page.locator('.notice').getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.status[data-state="done"]').length === 3, undefined, {
      timeout: 90_000,
    });
    expect(await page.locator('.status[data-state="error"]').count()).toBe(0);
    // the Plot shows one receptive field per hidden unit: 9, from both threads' halves
    const tiles = await page.locator('.react-flow__node[data-id="weights"] svg image').count();
    expect(tiles).toBe(9);
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);
});
