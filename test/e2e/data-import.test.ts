/**
 * Data in and out of the app, in Chromium: a .npy and its .T.npy dropped on the canvas become an Import
 * data node that runs (and runs again after a reload, from the browser's storage); its spins train an RBM
 * Layer, whose model downloads from the node menu as the .npz the CLI writes; and that .npz dropped back
 * imports as the same model.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/graph/npy';
import { rbmFromNpz } from '../../src/graph/rbm-npz';
import { browserAvailable, serveAndOpen, type ServedApp } from './browser';

const spins = Int8Array.from({ length: 40 * 8 * 8 }, (_, i) => ((i * 2654435761) % 7 < 3 ? 1 : -1));
const temperatures = Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? 2 : 3));

/** Drops files (their bytes as numbers, to cross into the page) on the canvas at a point. */
async function drop(page: Page, files: { name: string; bytes: Uint8Array }[], at = { x: 500, y: 300 }) {
  const transfer = await page.evaluateHandle(
    (list) => {
      const data = new DataTransfer();
      for (const { name, bytes } of list) data.items.add(new File([Uint8Array.from(bytes)], name));
      return data;
    },
    files.map((f) => ({ name: f.name, bytes: Array.from(f.bytes) })),
  );
  await page.locator('.canvas').dispatchEvent('drop', { dataTransfer: transfer, clientX: at.x, clientY: at.y });
}

const nodeTitled = (page: Page, title: string) => page.locator('.react-flow__node').filter({ hasText: title });

describe.runIf(browserAvailable())('data in and out, in Chromium', () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('a dropped .npy runs as Import data, trains an RBM, and the model downloads as a .npz that imports back', async () => {
    const page = await app.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(app.url);
    await page.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);

    await drop(page, [
      { name: 'run.npy', bytes: encodeNpy(spins, [40, 8, 8]) },
      { name: 'run.T.npy', bytes: encodeNpy(temperatures, [40]) },
    ]);
    const imported = nodeTitled(page, 'Import data');
    await expect.poll(() => imported.locator('.status').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    // only the output its file holds, and the file as the graph records it
    expect(await imported.locator('.react-flow__handle.source').count()).toBe(1);
    await expect
      .poll(() => page.locator('.inspector .file-record').textContent())
      .toBe('run.npy · spins [40, 8, 8], temperatures from run.T.npy');

    // a reload finds the file again in the browser's storage
    await page.reload();
    await expect.poll(() => imported.locator('.status').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');

    // its spins train a small RBM Layer
    await page.getByPlaceholder('Filter nodes…').fill('RBM Layer');
    await page.locator('.palette-item[data-type="rbm.layer"]').click();
    await page.getByPlaceholder('Filter nodes…').fill('');
    const rbm = nodeTitled(page, 'RBM Layer');
    await rbm.click();
    for (const [name, value] of [
      ['hidden', '6'],
      ['epochs', '2'],
      ['batchSize', '20'],
    ]) {
      const field = page.locator('.inspector').getByLabel(name, { exact: true });
      await field.fill(value);
      await field.press('Enter');
    }
    await imported
      .locator('.react-flow__handle[data-handleid="spins"]')
      .dragTo(rbm.locator('.react-flow__handle[data-handleid="data"]'));
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);
    await expect.poll(() => rbm.locator('.status').getAttribute('data-state'), { timeout: 60_000 }).toBe('done');

    // the node menu downloads the model as <node>.<port>.npz
    await rbm.click({ button: 'right' });
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /Download model/ }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^layer(-\d+)?\.model\.npz$/);
    const bytes = new Uint8Array(readFileSync((await file.path())!));
    const model = rbmFromNpz(bytes, 'model.npz', { maxBytes: 1e7 });
    expect(model).toMatchObject({ nv: 64, nh: 6, visibleShape: [8, 8], training: { epochsDone: 2, samples: 40 } });

    // dropped back, it imports as the same model, which downloads as the same bytes
    await drop(page, [{ name: 'model.npz', bytes }], { x: 500, y: 600 });
    const again = page.locator('.react-flow__node').filter({ hasText: 'Import data' }).nth(1);
    await expect.poll(() => again.locator('.status').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await expect.poll(() => page.locator('.inspector .file-record').textContent()).toBe('model.npz · RBM 64 → 6');
    await again.click({ button: 'right' });
    const [back] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /Download model/ }).click(),
    ]);
    expect(new Uint8Array(readFileSync((await back.path())!))).toEqual(bytes);
    expect(errors).toEqual([]);
    await page.screenshot({ path: 'test-results/data-import.png' });
    await page.close();
  }, 180_000);
});
