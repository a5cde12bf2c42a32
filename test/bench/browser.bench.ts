/** The page in headless Chromium while an RBM trains in a worker: long tasks and click latency. */
import { browserAvailable, serveAndOpen } from '../e2e/browser';
import { measureWhileTraining } from '../e2e/responsiveness';
import { median, type BenchResult } from './measure';

const section = 'browser';

export async function browserBench(): Promise<BenchResult[]> {
  if (!browserAvailable()) return [];
  const app = await serveAndOpen();
  try {
    const r = await measureWhileTraining(app.context, app.url);
    return [
      {
        section,
        name: 'long tasks while the RBM trains',
        value: r.longTasks,
        unit: 'tasks',
        note: `over ${(r.trainingMs / 1000).toFixed(1)} s; target: none over 50 ms`,
      },
      { section, name: 'longest main-thread task while training', value: r.longestMs, unit: 'ms', note: 'target ≤ 50' },
      {
        section,
        name: 'click (button release) to next frame while training',
        value: median(r.clickMs),
        unit: 'ms',
        note: `median of 5, max ${Math.max(...r.clickMs)}; target ≤ 100`,
      },
    ];
  } finally {
    await app.close();
  }
}
