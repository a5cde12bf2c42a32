/**
 * The requirements: while a long heavy node runs, no main-thread task over 50 ms and a button click handled
 * within 100 ms; and a big graph (300 nodes: 100 chains of lattice → observables → plot) pans smoothly, with
 * frames at p95 ≤ 20 ms and no long task. The page is built as it ships (React's production build).
 * Timing needs the machine to itself: vite.config.ts runs this file in a project of its own, after every
 * other test file has finished (with other browsers and workers running beside it, the page showed tasks of
 * 150 ms that were the machine's, not the page's). The figures go to test-results/responsiveness.json
 * ({ training: [...tries], panning: [...tries] }), with the longest animation frames and the scripts that
 * ran in them, to tell what a failure was.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, serveAndOpen, type ServedApp } from './browser';
import { measurePanning, measureWhileTraining } from './responsiveness';

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
  // ResizeObserver callback that take 10-25 ms on their own; a CI run needed a second try): each measurement
  // is retried, and every try's figures are kept. A page that computed on the main thread, or that redrew
  // the whole canvas in every frame of a pan, fails every try.
  const tries = { training: [] as unknown[], panning: [] as unknown[] };
  const save = () => writeFileSync('test-results/responsiveness.json', JSON.stringify(tries, null, 2));

  it(
    'while an RBM trains, no main-thread task exceeds 50 ms and clicks are handled within 100 ms',
    { retry: 4, timeout: 240_000 },
    async () => {
      const report = await measureWhileTraining(app.context, app.url);
      tries.training.push(report);
      save();
      expect(report.trainingMs).toBeGreaterThan(2000);
      expect(report.longestMs, JSON.stringify(report.longFrames)).toBeLessThanOrEqual(50);
      expect(Math.max(...report.clickMs)).toBeLessThanOrEqual(100);
    },
  );

  // Measured on Chromium with --disable-gpu: it rasterises and composites in software, on the same two cores.
  it(
    'a 300-node graph pans for 3 s with frames at p95 ≤ 20 ms and no main-thread task over 50 ms',
    { retry: 4, timeout: 180_000 },
    async () => {
      const report = await measurePanning(app.context, app.url, { chains: 100, panMs: 3000 });
      tries.panning.push(report);
      save();
      expect(report.nodes).toBe(300);
      // Only what is in view is rendered (the measurement must not be of a canvas that shows nothing).
      expect(report.rendered.min).toBeGreaterThan(0);
      expect(report.rendered.max).toBeLessThan(report.nodes / 4);
      expect(report.frames).toBeGreaterThan(60);
      const why = JSON.stringify({ slowFrames: report.slowFrames, longFrames: report.longFrames });
      expect(report.frameP95Ms, why).toBeLessThanOrEqual(20);
      expect(report.longestMs, why).toBeLessThanOrEqual(50);
    },
  );
});
