/**
 * Graph files from other people, opened in Chromium: a share link that is a gzip bomb, a dropped file over
 * the size limit, and a figure PNG whose header claims more pixels than any machine has. Each is read with
 * bounds: refused with its size at once, or its graph opened without decoding the image.
 */
import { readFileSync } from 'node:fs';
import { crc32, gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_CHUNK_KEY } from '../../src/figures/png-text';
import { autosavedGraph, browserAvailable, serveAndOpen, shownTitle, type ServedApp } from './browser';

const MB = 1024 * 1024;
const graphText = readFileSync('graphs/ising-basics.blockspin.json', 'utf8');

/** The page's JS heap in use, in MB (Chromium's performance.memory). */
const heapMb = async (page: Page) =>
  (await page.evaluate(
    () => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize,
  )) / MB;

/** Drops a file made in the page from `bytes` (numbers, to cross into the page) on the canvas. */
async function drop(page: Page, name: string, bytes: number[] | { zeros: number }): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([name, bytes]) => {
      const data = new DataTransfer();
      const body = Array.isArray(bytes) ? Uint8Array.from(bytes) : new Uint8Array(bytes.zeros);
      data.items.add(new File([body], name));
      return data;
    },
    [name, bytes] as const,
  );
  await page.locator('.canvas').dispatchEvent('drop', { dataTransfer: transfer });
}

/** A PNG whose IHDR claims 2^31-1 x 2^31-1 RGBA pixels, with a few garbage bytes of IDAT and the graph. */
function hugeClaimPng(text: string): number[] {
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2 ** 31 - 1, 0);
  ihdr.writeUInt32BE(2 ** 31 - 1, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return [
    ...Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    ...chunk('IHDR', ihdr),
    ...chunk('IDAT', Buffer.from('not zlib at all')),
    ...chunk('tEXt', Buffer.concat([Buffer.from(`${GRAPH_CHUNK_KEY}\0`), Buffer.from(text, 'utf8')])),
    ...chunk('IEND', Buffer.alloc(0)),
  ];
}

describe.runIf(browserAvailable())('foreign input in Chromium', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('a share link that unpacks to 512 MB is refused in seconds, with the page heap small', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    const before = await autosavedGraph(page);
    const bomb = '#graph=' + gzipSync(Buffer.alloc(512 * MB, ' '), { level: 9 }).toString('base64url');
    expect(bomb.length).toBeLessThan(800_000);
    const start = Date.now();
    await page.goto(`${app.url}${bomb}`);
    // Read whole, this page grew past 1 GB and showed nothing after 25 s.
    await expect
      .poll(() => page.locator('.problems').textContent(), { timeout: 15_000 })
      .toContain('this share link would unpack to more than 20 MB (graph files are limited to 20 MB)');
    const seconds = (Date.now() - start) / 1000;
    const heap = await heapMb(page);
    console.log(`512 MB share-link bomb refused after ${seconds.toFixed(1)} s, page heap ${heap.toFixed(0)} MB`);
    expect(seconds).toBeLessThan(15);
    expect(heap).toBeLessThan(300);
    expect(await autosavedGraph(page)).toEqual(before);
    await page.close();
  }, 120_000);

  it('a dropped file over the limit is refused by its size', async () => {
    const page = await app.context.newPage();
    await page.goto(`${app.url}?example=ising-basics`);
    await page.locator('.react-flow__node').first().waitFor();
    const before = await autosavedGraph(page);
    await drop(page, 'huge.blockspin.json', { zeros: 25 * MB });
    await expect
      .poll(() => page.locator('.problems').textContent())
      .toContain('the file is 25.0 MB; graph files are limited to 20 MB');
    await drop(page, 'huge.png', { zeros: 70 * MB });
    await expect
      .poll(() => page.locator('.problems').textContent())
      .toContain('the PNG is 70.0 MB; figure PNGs are read up to 64 MB');
    expect(await autosavedGraph(page)).toEqual(before);
    await page.close();
  }, 120_000);

  it('a dropped PNG that claims 2^31-1 x 2^31-1 pixels opens its graph', async () => {
    const page = await app.context.newPage();
    await page.goto(app.url);
    await page.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
    await drop(page, 'figure.png', hugeClaimPng(graphText));
    const title = (JSON.parse(graphText) as { meta: { title: string } }).meta.title;
    await expect.poll(() => shownTitle(page)).toBe(title);
    expect(await page.locator('.problems').count()).toBe(0);
    await page.close();
  }, 120_000);

  it('a heavy graph from a link opens paused, says what it will do, and Run starts it', async () => {
    const page = await app.context.newPage();
    const text = readFileSync('graphs/rbm-basics.blockspin.json', 'utf8');
    await page.goto(`${app.url}#graph=${gzipSync(Buffer.from(text)).toString('base64url')}`);
    const notice = page.locator('.notice');
    await expect.poll(() => notice.textContent()).toMatch(/It is paused: it trains an RBM, needs about [\d.]+ MB/);
    await page.waitForTimeout(500);
    const states = () => page.locator('.status').evaluateAll((els) => els.map((el) => el.getAttribute('data-state')));
    expect(await states()).not.toContain('done');
    await notice.getByRole('button', { name: 'Run' }).click();
    await expect.poll(states, { timeout: 60_000 }).toContain('done');
    await page.close();
  }, 120_000);

  it('a graph over the memory budget opens, runs nothing, and says why, also after a reload', async () => {
    const page = await app.context.newPage();
    const nodes = Array.from({ length: 8 }, (_, i) => ({
      id: `lat${i}`,
      type: 'ising.lattice',
      typeVersion: 1,
      position: { x: 0, y: 140 * i },
      params: { L: 32, samples: i === 3 ? 1_040_000 : 1_000_000 },
    }));
    const text = JSON.stringify({ format: 'blockspin.graph', version: 2, meta: { title: 'eight' }, nodes, edges: [] });
    await page.goto(`${app.url}#graph=${gzipSync(Buffer.from(text)).toString('base64url')}`);
    const banner = page.locator('.problems.budget');
    const expected = /8 Lattice Generator nodes need about 16.6 GB of memory; the budget is [\d.]+ GB; largest: lat3/;
    await expect.poll(() => banner.textContent()).toMatch(expected);
    await page.waitForTimeout(1000);
    const states = () => page.locator('.status').evaluateAll((els) => els.map((el) => el.getAttribute('data-state')));
    expect(await states()).not.toContain('running');
    // The autosave holds it, and the reloaded tab still runs nothing (no crash loop).
    await page.reload();
    await expect.poll(() => banner.textContent()).toMatch(expected);
    expect(await states()).not.toContain('running');
    await page.close();
  }, 120_000);
});
