/**
 * The page in headless Chromium: long tasks and click latency while an RBM trains in a worker, and frame
 * times while a 300-node graph (100 chains of lattice → observables → plot) pans.
 */
import { browserAvailable, serveAndOpen } from '../e2e/browser';
import { measurePanning, measureWhileTraining } from '../e2e/responsiveness';
import { median, type BenchResult } from './measure';

const section = 'browser';

export async function browserBench(): Promise<BenchResult[]> {
  if (!browserAvailable()) return [];
  const app = await serveAndOpen();
  try {
    const r = await measureWhileTraining(app.context, app.url);
    const pan = await measurePanning(app.context, app.url, { chains: 100, panMs: 3000 });
    const panNote = `${pan.nodes} nodes (${pan.rendered.min}-${pan.rendered.max} rendered), ${pan.frames} frames in ${(pan.panMs / 1000).toFixed(1)} s`;
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
      { section, name: 'frame time while panning 300 nodes, p50', value: pan.frameP50Ms, unit: 'ms', note: panNote },
      {
        section,
        name: 'frame time while panning 300 nodes, p95',
        value: pan.frameP95Ms,
        unit: 'ms',
        note: `max ${pan.frameMaxMs} ms, ${pan.slowFrames} frames over 20 ms; target ≤ 20`,
      },
      {
        section,
        name: 'long tasks while panning 300 nodes',
        value: pan.longTasks,
        unit: 'tasks',
        note: `longest ${pan.longestMs} ms; target: none over 50 ms`,
      },
    ];
  } finally {
    await app.close();
  }
}
