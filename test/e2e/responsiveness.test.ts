/**
 * The requirement: while a long heavy node runs, no main-thread task over 50 ms and a button click handled
 * within 100 ms. The page is built as it ships (React's production build) and an RBM trains in a worker.
 * Timing needs the machine to itself: vite.config.ts runs this file in a project of its own, after every
 * other test file has finished (with other browsers and workers running beside it, the page showed tasks of
 * 150 ms that were the machine's, not the page's). The figures go to test-results/responsiveness.json,
 * with the longest animation frames and the scripts that ran in them, to tell what a failure was.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, serveAndOpen, type ServedApp } from './browser';
import { measureWhileTraining } from './responsiveness';

describe.runIf(browserAvailable())('responsiveness', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen({ production: true });
    mkdirSync('test-results', { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  // A shared 2-core machine occasionally pauses a frame (one 68 ms task in one run of many, from a
  // FrameRequestCallback plus a ResizeObserver callback that take 10-25 ms on their own): the measurement is
  // retried, and each try writes its figures. A page that computed on the main thread fails every try.
  it(
    'while an RBM trains, no main-thread task exceeds 50 ms and clicks are handled within 100 ms',
    { retry: 2, timeout: 240_000 },
    async () => {
      const report = await measureWhileTraining(app.context, app.url);
      writeFileSync('test-results/responsiveness.json', JSON.stringify(report, null, 2));
      expect(report.trainingMs).toBeGreaterThan(2000);
      expect(report.longestMs, JSON.stringify(report.longFrames)).toBeLessThanOrEqual(50);
      expect(Math.max(...report.clickMs)).toBeLessThanOrEqual(100);
    },
  );
});
