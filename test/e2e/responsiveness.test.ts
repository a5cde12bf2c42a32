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

  // A shared 2-core machine now and then pauses a frame (seen: one 68 ms task, a FrameRequestCallback plus a
  // ResizeObserver callback that take 10-25 ms on their own; a CI run needed a second try): the measurement is
  // retried, and every try's figures are kept. A page that computed on the main thread fails every try.
  const tries: unknown[] = [];
  it(
    'while an RBM trains, no main-thread task exceeds 50 ms and clicks are handled within 100 ms',
    { retry: 4, timeout: 240_000 },
    async () => {
      const report = await measureWhileTraining(app.context, app.url);
      tries.push(report);
      writeFileSync('test-results/responsiveness.json', JSON.stringify(tries, null, 2));
      expect(report.trainingMs).toBeGreaterThan(2000);
      expect(report.longestMs, JSON.stringify(report.longFrames)).toBeLessThanOrEqual(50);
      expect(Math.max(...report.clickMs)).toBeLessThanOrEqual(100);
    },
  );
});
