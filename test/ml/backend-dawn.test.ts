/**
 * Headless WebGPU: the CLI trains, samples and flows on backend 'webgpu' through the optional `webgpu`
 * package (Dawn for Node), and gets the numbers wasm gets. Runs where that package is installed and finds an
 * adapter: on a machine without a GPU, through Chromium's SwiftShader Vulkan driver
 * (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, set here when it is there); Debian 12's
 * lavapipe (mesa-vulkan-drivers 22.3) is refused by Dawn. Skipped with a message elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env = {
  ...process.env,
  ...(!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD) ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD } : {}),
};

/** Whether Dawn loads here and finds an adapter (in a child process: with the driver chosen above). */
function dawnAdapter(): string | null {
  const probe = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { create } = await import('webgpu'); const a = await create([]).requestAdapter();" +
        "console.log(a ? a.info.vendor + ' ' + a.info.architecture : '');",
    ],
    { encoding: 'utf8', env, timeout: 60_000 },
  );
  const found = probe.status === 0 ? probe.stdout.trim() : '';
  if (!found) {
    console.warn(
      "Headless WebGPU test skipped: the optional package `webgpu` (Dawn) is not installed or finds no adapter (npm install --no-save webgpu; a Vulkan driver). The browser's WebGPU is tested in test/e2e/rbm-webgpu.test.ts.",
    );
  }
  return found || null;
}

const graph = (backend: string) => ({
  format: 'blockspin.graph',
  version: 1,
  meta: { title: `headless ${backend}` },
  nodes: [
    {
      id: 'lattice',
      type: 'ising.lattice',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: { L: 8, T: 3, samples: 400, burnIn: 100 },
    },
    {
      id: 'rbm',
      type: 'rbm.layer',
      typeVersion: 1,
      position: { x: 300, y: 0 },
      params: { hidden: 16, epochs: 3, batchSize: 40, backend },
    },
    {
      id: 'sampler',
      type: 'rbm.sampler',
      typeVersion: 1,
      position: { x: 600, y: 0 },
      params: { samples: 50, steps: 20, backend },
    },
    { id: 'flow', type: 'rbm.flow', typeVersion: 1, position: { x: 600, y: 200 }, params: { steps: 3, backend } },
  ],
  edges: [
    { id: 'e1', source: 'lattice', sourcePort: 'spins', target: 'rbm', targetPort: 'data' },
    { id: 'e2', source: 'rbm', sourcePort: 'model', target: 'sampler', targetPort: 'model' },
    { id: 'e3', source: 'rbm', sourcePort: 'model', target: 'flow', targetPort: 'model' },
    { id: 'e4', source: 'lattice', sourcePort: 'spins', target: 'flow', targetPort: 'init' },
  ],
});

interface Summary {
  backend: string;
  nodes: Record<string, { status: string; error: string | null; outputs: Record<string, unknown> }>;
}

function runHeadless(backend: string): Summary {
  const dir = mkdtempSync(join(tmpdir(), `blockspin-dawn-${backend}-`));
  const file = join(dir, 'g.blockspin.json');
  writeFileSync(file, JSON.stringify(graph(backend)));
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './src/workers/node-preload.mjs', 'src/cli/main.ts', 'run', file, '--out', dir],
    { encoding: 'utf8', env, timeout: 120_000 },
  );
  expect(run.status, run.stderr + run.stdout).toBe(0);
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
}

const pll = (summary: Summary) =>
  (summary.nodes.rbm.outputs.history as { curves: { name: string; y: number[] }[] }).curves.find(
    (c) => c.name === 'pseudo-log-likelihood',
  )!.y;

describe.runIf(dawnAdapter() !== null)('the CLI on WebGPU through Dawn', () => {
  it("runs RBM nodes on backend 'webgpu', names it in summary.json, and matches wasm", () => {
    const gpu = runHeadless('webgpu');
    expect(gpu.backend).toBe('webgpu');
    for (const id of ['lattice', 'rbm', 'sampler', 'flow']) expect(gpu.nodes[id]).toMatchObject({ status: 'done' });
    const wasm = runHeadless('wasm');
    expect(wasm.backend).toBe('wasm');
    // The same seed gives both every random number; they differ by float32 rounding only (measured: 1e-5
    // of a PLL of -44), unless a rounding flips a sample, which would show as a difference of order 0.1.
    pll(gpu).forEach((y, i) => expect(Math.abs(y - pll(wasm)[i])).toBeLessThan(1e-3));
  }, 240_000);
});
