/**
 * The WebGPU lattice kernel (src/physics/gpu-lattice.ts) in Chromium on SwiftShader, on a test page served by
 * Vite's dev server (test/e2e/webgpu/): bit for bit the samples of its JavaScript twin, run here in Node, and
 * e, |m|, m² against exact values within 3 standard errors (binning) at two sizes and three temperatures.
 * SwiftShader runs the shader on the CPU, slowly: the runs are sized for numbers, not speed.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TC, enumerateIsing2D, kaufmanEnergy } from '../../src/physics/exact';
import type { PhiloxRun } from '../../src/physics/metropolis-philox';
import { philoxRun, temperatureSpins, twinSamples } from '../helpers/philox-samples';
import { estimate, sigmas } from '../helpers/sample';
import { exactByTransferMatrix } from '../helpers/transfer-matrix';
import { browserAvailable, launchChromium, openGraphText, serveAndOpen, type ServedApp } from './browser';
import type { GpuLatticePage, PageRunOptions } from './webgpu/page';

describe.runIf(browserAvailable())('the WebGPU lattice kernel in Chromium (SwiftShader)', () => {
  let server: ViteDevServer;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await createServer({
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: 4900 + Math.floor(Math.random() * 600), strictPort: false },
    });
    await server.listen();
    context = await launchChromium({ webgpu: true });
    page = await context.newPage();
    // 127.0.0.1 is a secure context: WebGPU needs one
    await page.goto(`${server.resolvedUrls!.local[0]}test/e2e/webgpu/index.html`);
    await page.waitForFunction(() => 'gpuLattice' in window, undefined, { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await page?.evaluate(() => (window as unknown as { gpuLattice: GpuLatticePage }).gpuLattice.close());
    await context?.close();
    await server?.close();
  });

  const runOnGpu = async (run: PhiloxRun, options: PageRunOptions = {}) => {
    const result = await page.evaluate(
      ([r, o]) => (window as unknown as { gpuLattice: GpuLatticePage }).gpuLattice.run(r, o),
      [run, options] as const,
    );
    return { ...result, samples: new Int8Array(Buffer.from(result.samples, 'base64')) };
  };

  it('has a SwiftShader adapter on the page', async () => {
    const opened = await page.evaluate(() => (window as unknown as { gpuLattice: GpuLatticePage }).gpuLattice.open());
    expect(opened).toMatchObject({ adapter: 'google swiftshader', software: true, architecture: 'swiftshader' });
    // backend 'auto' takes no software adapter: it runs the JavaScript twin instead (same samples, faster here)
    expect(
      await page.evaluate(() => (window as unknown as { gpuLattice: GpuLatticePage }).gpuLattice.openHardwareOnly()),
    ).toEqual({ missing: 'only a software adapter (google swiftshader)' });
  });

  it.each<[string, Partial<PhiloxRun> & Pick<PhiloxRun, 'L' | 'temperatures'>, PageRunOptions]>([
    [
      'L = 6 (a short last group), a field, two replicas',
      { L: 6, temperatures: [1.5, 2.5], replicas: 2, J: 0.9, h: 0.1, samples: 6, burnIn: 3, thin: 2, seed: 7 },
      {},
    ],
    [
      'L = 16, ordered start, read back 3 samples at a time',
      {
        L: 16,
        temperatures: [2.0, TC, 3.0],
        replicas: 3,
        samples: 30,
        burnIn: 20,
        thin: 3,
        init: 'ordered' as const,
        seed: 8,
      },
      { chunking: { sampleChunkBytes: 3 * 9 * 256 } },
    ],
    [
      'L = 32, up to 5 sweeps a submission',
      { L: 32, temperatures: [2.4], replicas: 2, samples: 8, burnIn: 30, thin: 1, seed: 9 },
      { chunking: { maxSweepsPerSubmission: 5 } },
    ],
  ])(
    '%s: the samples of the JavaScript twin, bit for bit',
    async (_name, spec, options) => {
      const run = philoxRun(spec);
      const gpu = await runOnGpu(run, options);
      const twin = await twinSamples(run);
      expect(gpu.samples.length).toBe(twin.length);
      let differ = 0;
      for (let i = 0; i < twin.length; i++) if (gpu.samples[i] !== twin[i]) differ++;
      expect(differ).toBe(0);
      const total = run.burnIn + (run.samples / run.replicas) * run.thin;
      expect(gpu.chunks.at(-1)).toBe(total);
      expect(gpu.chunks).toEqual([...gpu.chunks].sort((a, b) => a - b));
      if (options.chunking) expect(gpu.chunks.length).toBeGreaterThan(2);
    },
    60_000,
  );

  it('frees its buffers when the run stops, and the device runs on', async () => {
    const run = philoxRun({ L: 8, temperatures: [2.2], samples: 20, burnIn: 10, thin: 2, seed: 10 });
    const options = { chunking: { maxSweepsPerSubmission: 4 } };
    await expect(runOnGpu(run, { ...options, failAfterChunks: 2 })).rejects.toThrow('stopped by the test');
    expect(Array.from((await runOnGpu(run, options)).samples)).toEqual(Array.from(await twinSamples(run)));
  }, 60_000);

  const report = (
    L: number,
    stats: { chains: number; sweeps: number; ms: number; flipsPerNs: number },
    lines: string[],
  ) =>
    console.log(
      `WebGPU (SwiftShader), L = ${L}: ${stats.chains} chains x ${stats.sweeps} sweeps in ${stats.ms.toFixed(0)} ms ` +
        `(${stats.flipsPerNs.toFixed(4)} flips/ns); off by ${lines.join('; ')} sigma`,
    );

  // Many short replicas keep SwiftShader's dispatches full; at these sizes the chains decorrelate in a few sweeps.
  it.each([
    [4, (T: number) => enumerateIsing2D(4, T)],
    [6, (T: number) => exactByTransferMatrix(6, T)],
  ])(
    'L = %i at T = 1.8, Tc, 3: e, |m| and m² within 3 sigma of exact',
    async (L, exact) => {
      const temperatures = [1.8, TC, 3.0];
      const run = philoxRun({ L, temperatures, replicas: 128, samples: 128 * 150, burnIn: 100, seed: 30 + L });
      const { samples, stats } = await runOnGpu(run);
      const off = temperatures.map((T, t) => {
        const { e, absm, m2 } = estimate(temperatureSpins(run, samples, t));
        const x = exact(T);
        expect(e.error).toBeLessThan(0.01);
        return { T, e: sigmas(e, x.e), absm: sigmas(absm, x.absm), m2: sigmas(m2, x.m2) };
      });
      report(
        L,
        stats,
        off.map((o) => `T = ${o.T.toFixed(3)}: e ${o.e.toFixed(2)}, |m| ${o.absm.toFixed(2)}, m² ${o.m2.toFixed(2)}`),
      );
      for (const o of off) {
        expect(Math.abs(o.e), `e at T = ${o.T}`).toBeLessThan(3);
        expect(Math.abs(o.absm), `|m| at T = ${o.T}`).toBeLessThan(3);
        expect(Math.abs(o.m2), `m² at T = ${o.T}`).toBeLessThan(3);
      }
    },
    120_000,
  );

  it('L = 16 at T = 2, 2.6, 3.5: e within 3 sigma of Kaufman', async () => {
    const temperatures = [2.0, 2.6, 3.5];
    const run = philoxRun({ L: 16, temperatures, replicas: 16, samples: 16 * 300, burnIn: 300, thin: 2, seed: 40 });
    const { samples, stats } = await runOnGpu(run);
    const off = temperatures.map((T, t) => {
      const { e } = estimate(temperatureSpins(run, samples, t));
      expect(e.error).toBeLessThan(0.005);
      return { T, e: sigmas(e, kaufmanEnergy(16, T)) };
    });
    report(
      16,
      stats,
      off.map((o) => `T = ${o.T}: e ${o.e.toFixed(2)}`),
    );
    for (const o of off) expect(Math.abs(o.e), `T = ${o.T}`).toBeLessThan(3);
  }, 120_000);
});

/** A graph whose Lattice Generator runs on WebGPU, measured downstream. */
const webgpuGraph = () =>
  JSON.stringify({
    format: 'blockspin.graph',
    version: 1,
    meta: { title: 'Lattice on WebGPU' },
    nodes: [
      {
        id: 'lattice',
        type: 'ising.lattice',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: {
          L: 16,
          T: [2.0, 3.0],
          algorithm: 'metropolis',
          backend: 'webgpu',
          replicas: 4,
          samples: 200,
          burnIn: 50,
          thin: 1,
        },
      },
      { id: 'observables', type: 'measure.observables', typeVersion: 1, position: { x: 360, y: 0 }, params: {} },
    ],
    edges: [{ id: 'e1', source: 'lattice', sourcePort: 'spins', target: 'observables', targetPort: 'spins' }],
  });

describe.runIf(browserAvailable())("the app's Lattice Generator with backend 'webgpu' (SwiftShader)", () => {
  let app: ServedApp;
  beforeAll(async () => {
    app = await serveAndOpen({ webgpu: true });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  /** Opens the graph in a page of `context` at the app and waits until both nodes are done or one failed. */
  const openAndRun = async (context: BrowserContext) => {
    const { page, errors } = await openGraphText(app, webgpuGraph(), context);
    const run = page.locator('.notice').getByRole('button', { name: 'Run' });
    if (await run.count()) await run.click();
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.status[data-state="done"]').length === 2 ||
        document.querySelector('.status[data-state="error"]') !== null,
      undefined,
      { timeout: 90_000 },
    );
    return { page, errors };
  };

  it('runs in its pool worker on WebGPU and feeds the measurement', async () => {
    const { page, errors } = await openAndRun(app.context);
    const failed = page.locator('.status[data-state="error"]');
    expect(await failed.count(), (await failed.allTextContents()).join('\n')).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);

  it('fails the node with a clear message in a browser without WebGPU', async () => {
    const plain = await launchChromium();
    try {
      const { page } = await openAndRun(plain);
      const status = page.locator('.react-flow__node[data-id="lattice"] .status');
      await expect.poll(() => status.getAttribute('data-state')).toBe('error');
      expect(await status.getAttribute('title')).toContain(
        'WebGPU is not available here: the browser offers no WebGPU adapter',
      );
    } finally {
      await plain.close();
    }
  }, 150_000);
});
