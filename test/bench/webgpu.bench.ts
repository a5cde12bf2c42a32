/**
 * WebGPU in headless Chromium, on whatever adapter it finds (here SwiftShader, a CPU emulation; on a laptop
 * its GPU): flips per ns of the lattice kernel (src/physics/gpu-lattice.ts) and the 1600 x 400 CD-1 epoch on
 * TensorFlow.js's WebGPU backend, each naming the adapter. The test pages of test/e2e/webgpu and
 * test/e2e/rbm-webgpu, built and served from 127.0.0.1 (WebGPU needs a secure context).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import type { GpuLatticePage } from '../e2e/webgpu/page';
import type { RbmWebgpuPage, TrainInput } from '../e2e/rbm-webgpu/page';
import { browserAvailable, launchChromium } from '../e2e/browser';
import { philoxRun } from '../helpers/philox-samples';
import { median, type BenchResult } from './measure';

const section = 'browser';

export async function webgpuBench(): Promise<BenchResult[]> {
  if (!browserAvailable()) return [];
  const outDir = mkdtempSync(join(tmpdir(), 'blockspin-bench-webgpu-'));
  await build({
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: { input: ['test/e2e/webgpu/index.html', 'test/e2e/rbm-webgpu/index.html'] },
    },
  });
  const server = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 4300 + Math.floor(Math.random() * 600), strictPort: false },
  });
  const context = await launchChromium({ webgpu: true });
  try {
    const base = server.resolvedUrls!.local[0];
    const results: BenchResult[] = [];

    const page = await context.newPage();
    await page.goto(`${base}test/e2e/webgpu/index.html`);
    await page.waitForFunction(() => 'gpuLattice' in window);
    const opened = await page.evaluate(() => (window as unknown as { gpuLattice: GpuLatticePage }).gpuLattice.open());
    if ('missing' in opened) return [{ section, name: 'WebGPU', value: NaN, unit: '', note: opened.missing }];
    const adapter = `${opened.adapter}${opened.software ? ', software' : ''}`;
    // sized so a software adapter takes seconds; a GPU gets a lattice that fills it
    const L = opened.software ? 128 : 1024;
    const run = philoxRun({
      L,
      temperatures: [2.0, 2.269185, 2.6],
      replicas: 4,
      samples: 4,
      burnIn: opened.software ? 20 : 400,
      thin: opened.software ? 5 : 25,
    });
    const rates: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const { stats } = await page.evaluate(
        (r) => (window as unknown as { gpuLattice: GpuLatticePage }).gpuLattice.run(r),
        run,
      );
      rates.push(stats.flipsPerNs);
    }
    await page.evaluate(() => (window as unknown as { gpuLattice: GpuLatticePage }).gpuLattice.close());
    results.push({
      section,
      name: `WebGPU lattice, checkerboard Metropolis on Philox (${adapter})`,
      value: median(rates),
      unit: 'flips/ns',
      note: `L = ${L}, 12 chains at once, median of 3 runs; goal on a real GPU ≥ 100`,
    });

    const rbmPage = await context.newPage();
    await rbmPage.goto(`${base}test/e2e/rbm-webgpu/index.html`);
    await rbmPage.waitForFunction(() => 'rbmWebgpu' in window);
    // a software adapter takes seconds per batch: three batches there, the whole 10,000-sample epoch on a GPU
    const n = opened.software ? 300 : 10_000;
    const nv = 1600;
    const data = Array.from({ length: n * nv }, (_, i) => ((i * 2654435761) >>> 31) & 1);
    const input: TrainInput = {
      backend: 'webgpu' as TrainInput['backend'],
      data,
      n,
      nv,
      options: {
        hidden: 400,
        epochs: 3,
        batchSize: 100,
        learningRate: 0.01,
        k: 1,
        persistent: false,
        l1: 0,
        l2: 0,
        momentum: 0.5,
        seed: 1,
      },
    };
    const trained = await rbmPage.evaluate(
      (i) => (window as unknown as { rbmWebgpu: RbmWebgpuPage }).rbmWebgpu.train(i),
      input,
    );
    const perEpochMs = median(trained.epochMs.slice(1)) * (10_000 / n);
    results.push({
      section,
      name: `RBM CD-1 epoch on WebGPU, 10,000 x 1600 -> 400, batch 100 (${adapter})`,
      value: perEpochMs / 1000,
      unit: 's',
      note:
        (opened.software ? `from ${n / 100} batches per epoch, scaled to 100` : 'median of epochs 2-3') +
        `; the first epoch (shader compilation) took ${((trained.epochMs[0] * (10_000 / n)) / 1000).toFixed(1)} s; goal on a real GPU ≤ 0.1 s`,
    });
    return results;
  } finally {
    await context.close();
    await server.close();
  }
}
