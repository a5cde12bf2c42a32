/**
 * The RBM on WebGPU in Chromium, on SwiftShader (a CPU emulation of a GPU: no GPU is needed, and it is
 * slow, so the models are small and the test asserts numbers, not speed). Against wasm, on the same data,
 * weights and random numbers: one CD step's gradient agrees to float32 rounding, and a short training
 * reaches the same pseudo-log-likelihood within its noise. Then a graph with RBM nodes on backend 'webgpu'
 * runs to the end in the app and says so in its status.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleFromValue } from '../../src/ml/data';
import type { TrainOptions } from '../../src/ml/train';
import { Rng } from '../../src/physics/rng';
import { sample } from '../helpers/sample';
import {
  browserAvailable,
  launchChromium,
  openGraphText,
  serveAndOpen,
  showWholeGraph,
  type ServedApp,
} from './browser';
import type { GradientInput, GradientOutput, RbmWebgpuPage, TrainInput, TrainOutput } from './rbm-webgpu/page';

/** float32's unit roundoff, 2^-24. */
const U = 2 ** -24;

/** The test page (rbm-webgpu/index.html), built and served from 127.0.0.1: WebGPU needs a secure context. */
async function servePage(): Promise<{ url: string; server: PreviewServer }> {
  const outDir = mkdtempSync(join(tmpdir(), 'blockspin-e2e-webgpu-'));
  await build({
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rolldownOptions: { input: 'test/e2e/rbm-webgpu/index.html' } },
  });
  const server = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 4300 + Math.floor(Math.random() * 600), strictPort: false },
  });
  return { url: `${server.resolvedUrls!.local[0]}test/e2e/rbm-webgpu/index.html`, server };
}

const onPage = {
  gradient: (page: Page, input: GradientInput) =>
    page.evaluate((i) => (window as unknown as { rbmWebgpu: RbmWebgpuPage }).rbmWebgpu.gradient(i), input),
  train: (page: Page, input: TrainInput) =>
    page.evaluate((i) => (window as unknown as { rbmWebgpu: RbmWebgpuPage }).rbmWebgpu.train(i), input),
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

describe.runIf(browserAvailable())('The RBM on WebGPU (Chromium on SwiftShader) against wasm', () => {
  let context: BrowserContext;
  let server: PreviewServer;
  let page: Page;
  beforeAll(async () => {
    const served = await servePage();
    server = served.server;
    context = await launchChromium({ webgpu: true });
    page = await context.newPage();
    await page.goto(served.url);
    await page.waitForFunction(() => 'rbmWebgpu' in window);
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await server?.close();
  });

  it('has a WebGPU adapter, SwiftShader', async () => {
    const adapter = await page.evaluate(() => (window as unknown as { rbmWebgpu: RbmWebgpuPage }).rbmWebgpu.adapter());
    expect(adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true });
  });

  it('computes the gradient of one CD step as wasm does, to float32 rounding', async () => {
    // Tile-unfriendly sizes (the matMul kernels tile by 4 to 64), a batch of 64 so that dvb is exact.
    const [batch, nv, nh] = [64, 100, 37];
    const rng = new Rng(5);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const input: Omit<GradientInput, 'backend'> = {
      batch,
      nv,
      nh,
      k: 1,
      uniformSeed: 9,
      v0: Array.from({ length: batch * nv }, () => (rng.next() < 0.5 ? 1 : 0)),
      // large enough that the probabilities spread over (0, 1): hidden inputs of about ±2
      W: Array.from({ length: nv * nh }, () => Math.fround(0.3 * normal())),
      vb: Array.from({ length: nv }, () => Math.fround(0.5 * normal())),
      hb: Array.from({ length: nh }, () => Math.fround(0.5 * normal())),
    };
    const wasm: GradientOutput = await onPage.gradient(page, { ...input, backend: 'wasm' });
    const gpu: GradientOutput = await onPage.gradient(page, { ...input, backend: 'webgpu' });
    expect([wasm.backend, gpu.backend]).toEqual(['wasm', 'webgpu']);
    expect([wasm.leakedTensors, gpu.leakedTensors]).toEqual([0, 0]);
    // dvb = mean over the batch of v0 - v1: multiples of 1/64, summed exactly in float32. Equal, so both
    // backends drew the same chain states from the same uniforms (a sample flipped by rounding would move
    // an entry by 1/64).
    expect(gpu.dvb).toEqual(wasm.dvb);
    // dW_ij = (1/B) Σ_r (v0_ir p0_jr - v1_ir p1_jr) and dhb_j = (1/B) Σ_r (p0_jr - p1_jr): 2B terms, each at most
    // 1/B in size (v in {0, 1}, p in [0, 1]), so Σ|terms| ≤ 2. Each p is σ of a length-nv dot product, and
    // WGSL's exp is accurate to 3 + 2|x| ulp (|x| < 7 here), so a first-order bound on the difference of two
    // correctly rounded float32 evaluations is (B + nv + 17) u · 2 ≈ 2.2e-5. Measured: 1.8e-7 in dW, 3.6e-7 in dhb.
    const tolerance = (batch + nv + 17) * U * 2;
    const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));
    console.info(
      `one CD-1 step, ${batch} x ${nv} -> ${nh}: webgpu - wasm at most ${maxDiff(gpu.dW, wasm.dW).toExponential(2)} ` +
        `in dW, ${maxDiff(gpu.dhb, wasm.dhb).toExponential(2)} in dhb (tolerance ${tolerance.toExponential(2)})`,
    );
    expect(maxDiff(gpu.dW, wasm.dW)).toBeLessThan(tolerance);
    expect(maxDiff(gpu.dhb, wasm.dhb)).toBeLessThan(tolerance);
    // a mean of B nv squares of numbers in [0, 1], each from a p as above
    expect(Math.abs(gpu.reconstructionError - wasm.reconstructionError)).toBeLessThan((nv + 17) * U * 2);
    // and the gradient is not trivially zero
    expect(Math.max(...wasm.dW.map(Math.abs))).toBeGreaterThan(0.05);
  }, 60_000);

  it('trains to the same pseudo-log-likelihood as wasm, within its noise', async () => {
    // 400 Wolff samples of the 8 x 8 lattice at T = 3; 16 hidden units, 5 epochs of 10 batches.
    const spins = await sample({ dim: 2, L: 8, T: 3, algorithm: 'wolff', samples: 400, burnIn: 200, thin: 2, seed: 4 });
    const visible = visibleFromValue(spins);
    const options: TrainOptions = {
      hidden: 16,
      epochs: 5,
      batchSize: 40,
      learningRate: 0.1,
      k: 1,
      persistent: false,
      l1: 0,
      l2: 0,
      momentum: 0.5,
      seed: 1,
    };
    const run = (backend: 'wasm' | 'webgpu', seed: number): Promise<TrainOutput> =>
      onPage.train(page, {
        backend,
        data: Array.from(visible.data),
        n: visible.n,
        nv: visible.nv,
        options: { ...options, seed },
      });
    const last = (out: TrainOutput) => out.history[out.history.length - 1].pseudoLogLikelihood;
    // The noise: how far the final PLL of one training lies from another's. Each seed draws other initial
    // weights, batch orders, Gibbs uniforms and PLL units (the PLL flips one random unit per row), so the
    // spread over seeds holds the training's noise and the estimator's own.
    const seeds = [1, 2, 3, 4, 5, 6];
    const wasm: TrainOutput[] = [];
    for (const seed of seeds) wasm.push(await run('wasm', seed));
    const noise = std(wasm.map(last));
    expect(noise).toBeGreaterThan(0);
    // On webgpu, two seeds (SwiftShader takes about a second an epoch at this size).
    for (const [i, seed] of seeds.slice(0, 2).entries()) {
      const gpu = await run('webgpu', seed);
      expect(gpu.backend).toBe('webgpu');
      expect(gpu.leakedTensors).toBe(0);
      expect(wasm[i].leakedTensors).toBe(0);
      // Same seed, same numbers: the two runs differ by rounding only, until a rounding flips a sample; from
      // then on they are two trainings, whose final PLLs differ by up to √2 · noise (3σ).
      const difference = last(gpu) - last(wasm[i]);
      expect(Math.abs(difference)).toBeLessThan(3 * Math.SQRT2 * noise);
      // every epoch, not just the last
      gpu.history.forEach((h, e) =>
        expect(Math.abs(h.pseudoLogLikelihood - wasm[i].history[e].pseudoLogLikelihood)).toBeLessThan(
          3 * Math.SQRT2 * noise,
        ),
      );
      console.info(
        `webgpu vs wasm, seed ${seed}: final PLL ${last(gpu).toFixed(5)} vs ${last(wasm[i]).toFixed(5)} ` +
          `(difference ${difference.toExponential(2)}; noise over ${seeds.length} seeds ${noise.toFixed(3)}); ` +
          `webgpu epochs ${gpu.epochMs.map((ms) => Math.round(ms)).join(', ')} ms (the first compiles the kernels)`,
      );
    }
    // The training did something: the PLL rose over the epochs by more than its noise, on average.
    const rise = mean(wasm.map((out) => last(out) - out.history[0].pseudoLogLikelihood));
    expect(rise).toBeGreaterThan((3 * noise) / Math.sqrt(seeds.length));
  }, 120_000);
});

const webgpuGraph = () =>
  JSON.stringify({
    format: 'blockspin.graph',
    version: 1,
    meta: { title: 'RBM on WebGPU' },
    nodes: [
      {
        id: 'lattice',
        type: 'ising.lattice',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        // the lattice on the GPU too: a graph with both on WebGPU
        params: { L: 8, T: 3, samples: 200, burnIn: 100, algorithm: 'metropolis', backend: 'webgpu' },
      },
      {
        id: 'rbm',
        type: 'rbm.layer',
        typeVersion: 1,
        position: { x: 360, y: 0 },
        params: { hidden: 9, epochs: 4, batchSize: 40, backend: 'webgpu' },
      },
      {
        id: 'sampler',
        type: 'rbm.sampler',
        typeVersion: 1,
        position: { x: 720, y: 0 },
        params: { samples: 20, steps: 30, backend: 'webgpu' },
      },
      {
        id: 'flow',
        type: 'rbm.flow',
        typeVersion: 1,
        position: { x: 720, y: 300 },
        params: { steps: 3, backend: 'webgpu' },
      },
    ],
    edges: [
      { id: 'e1', source: 'lattice', sourcePort: 'spins', target: 'rbm', targetPort: 'data' },
      { id: 'e2', source: 'rbm', sourcePort: 'model', target: 'sampler', targetPort: 'model' },
      { id: 'e3', source: 'rbm', sourcePort: 'model', target: 'flow', targetPort: 'model' },
      { id: 'e4', source: 'lattice', sourcePort: 'spins', target: 'flow', targetPort: 'init' },
    ],
  });

describe.runIf(browserAvailable())("the lattice and the RBM nodes on backend 'webgpu' in the app", () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen({ webgpu: true });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('sample, train, sample and flow on WebGPU in the workers, and say so in their status lines', async () => {
    const { page, errors } = await openGraphText(app, webgpuGraph());
    await showWholeGraph(page, 4);
    // Every status line each RBM node shows while it runs.
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { statusLines: typeof seen }).statusLines = seen;
      const record = () => {
        for (const id of ['lattice', 'rbm', 'sampler', 'flow']) {
          const text = document.querySelector(`.react-flow__node[data-id="${id}"] .status`)?.textContent ?? '';
          if (text && !(seen[id] ??= []).includes(text)) seen[id].push(text);
        }
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // A file from elsewhere that trains opens paused.
    await page.locator('.notice').getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.status[data-state="done"]').length === 4, undefined, {
      timeout: 90_000,
    });
    expect(await page.locator('.status[data-state="error"]').count()).toBe(0);
    const lines = await page.evaluate(
      () => (window as unknown as { statusLines: Record<string, string[]> }).statusLines,
    );
    expect(
      lines.lattice.some((line) => /WebGPU \(google swiftshader\): 1 chains/.test(line)),
      lines.lattice.join(' | '),
    ).toBe(true);
    expect(lines.rbm.some((line) => /^\d+% · epoch \d\/4 · webgpu · 1 thread$/.test(line))).toBe(true);
    expect(lines.flow.some((line) => /^\d+% · step \d\/3 · webgpu$/.test(line))).toBe(true);
    // the Sampler reports every 40 ms, so its line may not show in a short run; its model and the top bar do
    await expect.poll(() => page.locator('.backend').textContent()).toBe('TensorFlow.js: webgpu');
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);
});
