/**
 * In the app, a short job never waits behind a training: in Mehta–Schwab, Block-Spin RG finishes within
 * seconds of the lattice while the first RBM is still training (training has a worker of its own).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, serveAndOpen, type ServedApp } from './browser';

describe.runIf(browserAvailable())('queueing in the app', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('finishes Block-Spin RG within seconds of the lattice, beside the training', { timeout: 240_000 }, async () => {
    const page = await app.context.newPage();
    try {
      await page.goto(`${app.url}?example=mehta-schwab-2014`);
      const status = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] .status`);
      await status('lattice').and(page.locator('[data-state="done"]')).waitFor({ timeout: 180_000 });
      const latticeDone = Date.now();
      await status('blocks').and(page.locator('[data-state="done"]:not([data-partial])')).waitFor({ timeout: 30_000 });
      const after = (Date.now() - latticeDone) / 1000;
      expect(await status('rbm1').getAttribute('data-state')).toBe('running');
      expect(after).toBeLessThan(10);
      // its own run time, short: it did not wait
      expect(await status('blocks').textContent()).toMatch(/^done · (\d+ ms|\d\.\d s)/);
    } finally {
      await page.close();
    }
  });
});
