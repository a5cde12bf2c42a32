/**
 * The page stays usable while an RBM trains in a worker. The exact figures (longest task, click latency)
 * are measured by `npm run bench -- browser` on an idle machine; here, with other test files running
 * beside it, the test checks what would break if training ran on the main thread: it would block the
 * page for the whole training (seconds).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, serveAndOpen, type ServedApp } from './browser';
import { measureWhileTraining } from './responsiveness';

describe.runIf(browserAvailable())('responsiveness', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen();
    mkdirSync('test-results', { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('while an RBM trains, the page answers clicks and never freezes', async () => {
    const report = await measureWhileTraining(app.context, app.url);
    writeFileSync('test-results/responsiveness.json', JSON.stringify(report, null, 2));
    expect(report.trainingMs).toBeGreaterThan(2000);
    expect(Math.max(...report.clickMs)).toBeLessThan(1000);
    expect(report.longestMs).toBeLessThan(1000);
  }, 180_000);
});
