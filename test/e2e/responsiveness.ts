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

async function recordPage(page: Page): Promise<void> {
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
}

export async function measureWhileTraining(context: BrowserContext, url: string): Promise<Responsiveness> {
  const page = await context.newPage();
  await recordPage(page);
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

/** What panning a big graph costs the page: frame times (requestAnimationFrame deltas) and long tasks. */
export interface PanFigures {
  /** Nodes in the graph, and the fewest and most of them on the page (rendered) while it pans. */
  nodes: number;
  rendered: { min: number; max: number };
  panMs: number;
  frames: number;
  frameP50Ms: number;
  frameP95Ms: number;
  frameMaxMs: number;
  /** Frames that took over 20 ms (a missed frame at 60 Hz). */
  slowFrames: number;
  longTasks: number;
  longestMs: number;
  /** The longest animation frames while panning, with the scripts that ran in them. */
  longFrames: LongFrame[];
}

/**
 * A big graph: `chains` chains of Lattice Generator → Observables → Plot (3 × `chains` nodes), laid out in a
 * grid ten chains wide, with small params so that every node finishes in moments.
 */
export function chainsGraph(chains = 100): string {
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  for (let i = 0; i < chains; i++) {
    const x = (i % 10) * 900;
    const y = Math.floor(i / 10) * 380;
    nodes.push(
      {
        id: `lattice-${i}`,
        type: 'ising.lattice',
        typeVersion: 1,
        position: { x, y },
        label: `chain ${i}`,
        params: { L: 8, T: [2, 2.269185, 2.6], samples: 100, burnIn: 50, thin: 1, seed: i + 1 },
      },
      { id: `observables-${i}`, type: 'measure.observables', typeVersion: 1, position: { x: x + 240, y }, params: {} },
      {
        id: `plot-${i}`,
        type: 'plot',
        typeVersion: 1,
        position: { x: x + 480, y },
        params: { x: 'T', y: 'e' },
      },
    );
    edges.push(
      { id: `a-${i}`, source: `lattice-${i}`, sourcePort: 'spins', target: `observables-${i}`, targetPort: 'spins' },
      { id: `b-${i}`, source: `observables-${i}`, sourcePort: 'table', target: `plot-${i}`, targetPort: 'values' },
    );
  }
  const graph = {
    format: 'blockspin.graph',
    version: 2,
    meta: { title: `${chains} chains: lattice → observables → plot` },
    nodes,
    edges,
  };
  return JSON.stringify(graph, null, 2);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Waits until the visible nodes are done and no node of the graph has run for a second. */
async function waitForSettled(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const statuses = document.querySelectorAll('.react-flow__node .status');
      return statuses.length > 0 && [...statuses].every((s) => s.getAttribute('data-state') === 'done');
    },
    undefined,
    { timeout: timeoutMs, polling: 100 },
  );
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  for (;;) {
    if (await page.locator('.run-progress').count()) quietSince = Date.now();
    if (Date.now() - quietSince >= 1500) return;
    if (Date.now() > deadline) throw new Error(`the graph still runs after ${timeoutMs / 1000} s`);
    await page.waitForTimeout(100);
  }
}

/**
 * Opens `chainsGraph(chains)` in the app (through the file input, as Open does), waits for its nodes to
 * finish, then pans the canvas for `panMs` while the page records every frame and long task: strokes of
 * half a second, dragging right to left and a little up across the canvas, so that nodes keep entering and
 * leaving the view. The drag is with the middle button, which pans wherever it starts (a left-button drag
 * that starts on a node moves the node); the pointer moves by whole pixels, as a mouse does.
 */
export async function measurePanning(
  context: BrowserContext,
  url: string,
  {
    chains = 100,
    panMs = 3000,
    aroundPan,
  }: {
    chains?: number;
    panMs?: number;
    /** Called just before the pan (to start a trace, say); what it returns is awaited right after it. */
    aroundPan?: (page: Page) => Promise<() => Promise<void>>;
  } = {},
): Promise<PanFigures> {
  const page = await context.newPage();
  await recordPage(page);
  await page.goto(url);
  await page.locator('.react-flow__pane').waitFor();
  await page.locator('input[type=file]').setInputFiles({
    name: 'chains.blockspin.json',
    mimeType: 'application/json',
    buffer: Buffer.from(chainsGraph(chains)),
  });
  await waitForSettled(page, 120_000);
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  // Clear of the controls (bottom left) and the minimap (bottom right).
  const right = box.x + box.width - 40;
  const left = box.x + 40;
  const middle = box.y + box.height * 0.4;
  await page.evaluate(() => {
    // (A property, not a named function: tsx, which runs the bench, would wrap a name in a helper the page lacks.)
    const w = window as unknown as {
      panFrames: number[];
      panRendered: number[];
      panStop: boolean;
      panTick: (t: number) => void;
    };
    w.panFrames = [];
    w.panRendered = [];
    w.panStop = false;
    const rendered = document.getElementsByClassName('react-flow__node'); // live, and cheap to count
    w.panTick = (t) => {
      w.panFrames.push(t);
      w.panRendered.push(rendered.length);
      if (!w.panStop) requestAnimationFrame(w.panTick);
    };
    requestAnimationFrame(w.panTick);
  });
  const after = await aroundPan?.(page);
  const from = await page.evaluate(() => performance.now());
  const started = Date.now();
  const strokeMs = 500;
  while (Date.now() - started < panMs) {
    await page.mouse.move(right, middle + 80);
    await page.mouse.down({ button: 'middle' });
    const strokeStart = Date.now();
    for (;;) {
      const f = Math.min(1, (Date.now() - strokeStart) / strokeMs);
      await page.mouse.move(Math.round(right + (left - right) * f), Math.round(middle + 80 - 160 * f));
      if (f === 1) break;
    }
    await page.mouse.up({ button: 'middle' });
  }
  const { frames, rendered } = await page.evaluate(() => {
    const w = window as unknown as { panFrames: number[]; panRendered: number[]; panStop: boolean };
    w.panStop = true;
    return { frames: w.panFrames, rendered: w.panRendered };
  });
  const to = await page.evaluate(() => performance.now());
  await after?.();
  const records = await page.evaluate(() => (window as unknown as { records: PageRecords }).records);
  await page.close();
  const deltas = frames
    .slice(1)
    .map((t, i) => t - frames[i])
    .sort((a, b) => a - b);
  const during = records.longTasks.filter((t) => t.start >= from && t.start <= to);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    nodes: 3 * chains,
    rendered: { min: Math.min(...rendered), max: Math.max(...rendered) },
    panMs: Math.round(to - from),
    frames: deltas.length,
    frameP50Ms: round(percentile(deltas, 0.5)),
    frameP95Ms: round(percentile(deltas, 0.95)),
    frameMaxMs: round(deltas[deltas.length - 1] ?? NaN),
    slowFrames: deltas.filter((d) => d > 20).length,
    longTasks: during.length,
    longestMs: Math.round(Math.max(0, ...during.map((t) => t.duration))),
    longFrames: records.frames
      .filter((f) => f.start >= from && f.start <= to)
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 3)
      .map(({ start: _start, ...frame }) => frame),
  };
}
