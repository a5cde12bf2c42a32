/**
 * The page in headless Chromium: long tasks and click latency while an RBM trains in a worker, frame times
 * while a 300-node graph (100 chains of lattice → observables → plot) pans, and the RBM epoch as the app
 * trains it (the ML bench's shapes, default params).
 */
import type { BrowserContext } from 'playwright-core';
import { browserAvailable, serveAndOpen } from '../e2e/browser';
import { measurePanning, measureWhileTraining } from '../e2e/responsiveness';
import { median, type BenchResult } from './measure';

const section = 'browser';

/** Lattice Generator → RBM Layer (1600 → 400, default params, 5 epochs), as a file opened in the app. */
function epochGraph(): string {
  return JSON.stringify({
    format: 'blockspin.graph',
    version: 2,
    meta: { title: 'RBM epoch' },
    nodes: [
      {
        id: 'lattice',
        type: 'ising.lattice',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: { L: 40, algorithm: 'metropolis', samples: 10_000, burnIn: 10, thin: 1 },
      },
      { id: 'rbm', type: 'rbm.layer', typeVersion: 1, position: { x: 360, y: 0 }, params: { epochs: 5 } },
    ],
    edges: [{ id: 'e', source: 'lattice', sourcePort: 'spins', target: 'rbm', targetPort: 'data' }],
  });
}

/** Seconds per epoch of the app's training, read from the node's status line as it changes. */
async function epochsInApp(context: BrowserContext, url: string): Promise<{ epochs: number[]; engine: string }> {
  const page = await context.newPage();
  try {
    await page.goto(`${url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    await page.locator('input[type="file"]').setInputFiles({
      name: 'epoch.blockspin.json',
      mimeType: 'application/json',
      buffer: Buffer.from(epochGraph()),
    });
    await page.locator('.notice').getByRole('button', { name: 'Run' }).click(); // a file that trains opens paused
    const status = page.locator('.react-flow__node[data-id="rbm"] .status');
    const starts: number[] = [];
    let engine = '';
    for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
      const [state, text] = [await status.getAttribute('data-state'), (await status.textContent()) ?? ''];
      if (state === 'done' || state === 'error') break;
      const match = /epoch (\d+)\/\d+ · (.*)$/.exec(text);
      if (match && starts[Number(match[1]) - 1] === undefined) {
        starts[Number(match[1]) - 1] = Date.now();
        engine = match[2];
      }
      await page.waitForTimeout(20);
    }
    const end = Date.now();
    return { epochs: starts.map((start, i) => ((starts[i + 1] ?? end) - start) / 1000), engine };
  } finally {
    await page.close();
  }
}

export async function browserBench(): Promise<BenchResult[]> {
  if (!browserAvailable()) return [];
  const app = await serveAndOpen();
  try {
    const r = await measureWhileTraining(app.context, app.url);
    const pan = await measurePanning(app.context, app.url, { chains: 100, panMs: 3000 });
    const training = await epochsInApp(app.context, app.url);
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
      {
        section,
        name: `RBM epoch in the app, 1600 x 400, default params (${training.engine})`,
        value: median(training.epochs.slice(1, -1)),
        unit: 's',
        note: 'as `npm run bench -- ml` trains it, through the page and its workers; median of epochs 2-4',
      },
    ];
  } finally {
    await app.close();
  }
}
