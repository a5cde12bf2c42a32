/** Measures the page while an RBM trains in a worker: main-thread long tasks and click-to-frame latency. */
import type { BrowserContext, Page } from 'playwright-core';

export interface Responsiveness {
  trainingMs: number;
  longTasks: number;
  longestMs: number;
  /** Per click on a top-bar button: from the mouse button's release to the next frame after the click handler. */
  clickMs: number[];
  /** The longest animation frames while training, with the scripts that ran in them (for a failure's cause). */
  longFrames: LongFrame[];
}

export interface LongFrame {
  durationMs: number;
  blockingMs: number;
  /** Time spent on style and layout at the end of the frame. */
  renderMs: number;
  scripts: { invoker: string; ms: number; source: string }[];
}

interface PageRecords {
  longTasks: { start: number; duration: number }[];
  frames: (LongFrame & { start: number })[];
  release: number;
}

async function waitForState(page: Page, id: string, wanted: string, timeoutMs: number): Promise<void> {
  const status = page.locator(`.react-flow__node[data-id="${id}"] .status`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await status.getAttribute('data-state');
    if (state === wanted) return;
    if (state === 'error') throw new Error(`node '${id}' failed: ${await status.textContent()}`);
    if (Date.now() > deadline) throw new Error(`node '${id}' is still '${state}' after ${timeoutMs / 1000} s`);
    await page.waitForTimeout(50);
  }
}

export async function measureWhileTraining(context: BrowserContext, url: string): Promise<Responsiveness> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const records: PageRecords = { longTasks: [], frames: [], release: 0 };
    (window as unknown as { records: PageRecords }).records = records;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        records.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Long animation frames say which scripts ran in a slow frame (Chromium 123+).
    if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const frame = entry as PerformanceEntry & {
            blockingDuration: number;
            styleAndLayoutStart: number;
            scripts: { invoker: string; duration: number; sourceFunctionName: string; sourceURL: string }[];
          };
          records.frames.push({
            start: frame.startTime,
            durationMs: Math.round(frame.duration),
            blockingMs: Math.round(frame.blockingDuration),
            renderMs: Math.round(frame.startTime + frame.duration - (frame.styleAndLayoutStart || frame.startTime)),
            scripts: frame.scripts.map((s) => ({
              invoker: s.invoker,
              ms: Math.round(s.duration),
              source: `${s.sourceFunctionName} ${s.sourceURL.split('/').pop()}`,
            })),
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    }
    // The click's start: when the mouse button is released (the click event follows it).
    addEventListener('pointerup', (e) => (records.release = e.timeStamp), { capture: true });
  });
  await page.goto(`${url}?example=rbm-basics`);
  await waitForState(page, 'rbm', 'running', 120_000);
  const from = await page.evaluate(() => performance.now());
  const clickMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    // The next frame after the click handler: the dialog it opens is drawn in that frame.
    await page.evaluate(() => {
      const w = window as unknown as { records: PageRecords; handled: Promise<number> };
      w.handled = new Promise<number>((resolve) => {
        document
          .querySelector('button.help')!
          .addEventListener(
            'click',
            () => requestAnimationFrame(() => resolve(performance.now() - w.records.release)),
            {
              once: true,
            },
          );
      });
    });
    await page.locator('button.help').click();
    clickMs.push(await page.evaluate(() => (window as unknown as { handled: Promise<number> }).handled));
    await page.locator('.shortcuts').click();
    await page.waitForTimeout(300);
  }
  await waitForState(page, 'rbm', 'done', 170_000);
  const to = await page.evaluate(() => performance.now());
  const records = await page.evaluate(() => (window as unknown as { records: PageRecords }).records);
  const during = records.longTasks.filter((t) => t.start >= from && t.start <= to);
  await page.close();
  return {
    trainingMs: Math.round(to - from),
    longTasks: during.length,
    longestMs: Math.round(Math.max(0, ...during.map((t) => t.duration))),
    clickMs: clickMs.map(Math.round),
    longFrames: records.frames
      .filter((f) => f.start >= from && f.start <= to)
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 3)
      .map(({ start: _start, ...frame }) => frame),
  };
}
