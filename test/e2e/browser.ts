/** Builds the app, serves it on 127.0.0.1 and drives it with Debian's Chromium (playwright-core). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { expect } from 'vitest';

export function chromiumPath(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Whether the browser tests can run here; under CI a missing browser is a failure, not a skip. */
export function browserAvailable(): boolean {
  const found = chromiumPath() !== null;
  if (!found && process.env.CI) throw new Error('Chromium is missing: .ci/run installs it with apt-get');
  if (!found)
    console.warn("Browser tests skipped: install Debian's Chromium (apt-get install -y chromium) to run them.");
  return found;
}

export interface ServedApp {
  url: string;
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium's flags for a WebGPU adapter with no GPU: SwiftShader, a CPU emulation of a GPU. The page must be
 * a secure context (served from 127.0.0.1), and the adapter reports architecture 'swiftshader'.
 */
export const WEBGPU_SWIFTSHADER_FLAGS = [
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
];

export interface LaunchOptions {
  /** Give the page WebGPU on SwiftShader (WEBGPU_SWIFTSHADER_FLAGS); off by default. */
  webgpu?: boolean;
}

/** Debian's Chromium, headless, in a fresh profile. */
export function launchChromium(options: LaunchOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'blockspin-chromium-')), {
    headless: true,
    executablePath: chromiumPath()!,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.webgpu ? WEBGPU_SWIFTSHADER_FLAGS : []),
    ],
  });
}

export interface ServeOptions extends LaunchOptions {
  /**
   * Build the app as it ships (React's production build). Under vitest NODE_ENV is 'test', which makes
   * `vite build` bundle React's development build: slower, with extra checks and warnings. Browser tests
   * that look for console errors want the latter; tests that time the page want the former.
   */
  production?: boolean;
}

export async function serveAndOpen(options: ServeOptions = {}): Promise<ServedApp> {
  const outDir = mkdtempSync(join(tmpdir(), 'blockspin-e2e-build-'));
  const nodeEnv = process.env.NODE_ENV;
  if (options.production) process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const server: PreviewServer = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 4300 + Math.floor(Math.random() * 600), strictPort: false },
  });
  const url = server.resolvedUrls!.local[0];
  const context = await launchChromium(options);
  return {
    url,
    context,
    async close() {
      await context.close();
      await server.close();
    },
  };
}

/**
 * Waits until every node on the canvas reports done. Frames and notes are canvas nodes too, but carry no
 * status; nodes outside the view are not drawn (so not counted: call showWholeGraph first to count all).
 */
export async function allNodesDone(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.status[data-state="done"]').length ===
      document.querySelectorAll('.react-flow__node-blockspin').length,
    undefined,
    { timeout: 60_000 },
  );
}

/**
 * Zooms out to the whole graph with the canvas's own "fit view" control, as a user would. The app's first
 * fit keeps text readable (a large graph shows its top-left part), and the canvas only draws what is in
 * view, so a test that counts or reaches every node asks for the whole graph first. Waits for the app's
 * first fit (about 300 ms after a document opens) so that it does not undo this one; when `nodes` is given,
 * fits again until that many graph nodes are drawn.
 */
export async function showWholeGraph(page: Page, nodes?: number): Promise<void> {
  await page.locator('.react-flow__node').first().waitFor();
  await page.waitForTimeout(400);
  const fit = page.locator('.react-flow__controls-fitview');
  await fit.click();
  if (nodes === undefined) return;
  await expect
    .poll(async () => {
      const drawn = await page.locator('.react-flow__node-blockspin').count();
      if (drawn !== nodes) await fit.click();
      return drawn;
    })
    .toBe(nodes);
}

/** The graph title shown in the top bar (an input the user can edit). */
export function shownTitle(page: Page): Promise<string> {
  return page.getByRole('textbox', { name: 'Graph title' }).inputValue();
}

/** This tab's id, as the app keeps it in sessionStorage. */
export function tabId(page: Page): Promise<string | null> {
  return page.evaluate(() => sessionStorage.getItem('blockspin.tab'));
}

/** The tab's autosaved document: exactly the graph on the canvas. */
export function autosavedGraph(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const record = localStorage.getItem(`blockspin.autosave.v2.${sessionStorage.getItem('blockspin.tab')}`);
    return record === null ? null : JSON.parse(JSON.parse(record).graph);
  });
}

/**
 * A new page of the app with `text` opened through the file input, as File → Open does, once the graph's
 * title shows; page errors are collected into the returned list.
 */
export async function openGraphText(
  app: ServedApp,
  text: string,
  context: BrowserContext = app.context,
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${app.url}?example=ising-basics`);
  await page.locator('.react-flow__node').first().waitFor();
  const title = (JSON.parse(text) as { meta?: { title?: string } }).meta?.title ?? '';
  await page.locator('input[type="file"]').setInputFiles({
    name: 'graph.blockspin.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect.poll(() => page.locator('.graph-title').inputValue()).toBe(title);
  return { page, errors };
}
