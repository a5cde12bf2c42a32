/** Measures the page while an RBM trains in a worker: main-thread long tasks and click-to-frame latency. */
import type { BrowserContext } from 'playwright-core';

export interface Responsiveness {
  trainingMs: number;
  longTasks: number;
  longestMs: number;
  clickMs: number[];
}

export async function measureWhileTraining(context: BrowserContext, url: string): Promise<Responsiveness> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${url}?example=rbm-basics`);
  const state = () => page.locator('.react-flow__node[data-id="rbm"] .status').getAttribute('data-state');
  while ((await state()) !== 'running') await page.waitForTimeout(50);
  const from = await page.evaluate(() => performance.now());
  const clickMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    clickMs.push(
      await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const button = document.querySelector<HTMLButtonElement>('button.help')!;
            const start = performance.now();
            button.addEventListener('click', () => requestAnimationFrame(() => resolve(performance.now() - start)), {
              once: true,
            });
            button.click();
          }),
      ),
    );
    await page.locator('.shortcuts').click();
    await page.waitForTimeout(300);
  }
  while ((await state()) !== 'done') await page.waitForTimeout(100);
  const to = await page.evaluate(() => performance.now());
  const tasks = await page.evaluate(
    () => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks,
  );
  const during = tasks.filter((t) => t.start >= from && t.start <= to);
  await page.close();
  return {
    trainingMs: Math.round(to - from),
    longTasks: during.length,
    longestMs: Math.round(Math.max(0, ...during.map((t) => t.duration))),
    clickMs: clickMs.map(Math.round),
  };
}
