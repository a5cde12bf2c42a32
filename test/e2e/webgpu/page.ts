/**
 * A test-only page, served by Vite's dev server, that runs the WebGPU lattice kernel for
 * test/e2e/webgpu-lattice.test.ts: `window.gpuLattice.run(run)` gives the samples as base64, the run's stats
 * and the sweeps reported after each chunk.
 */
import { openWebGpu, runPhiloxWebGpu, type GpuRunStats, type WebGpu } from '../../../src/physics/gpu-lattice';
import { runChains, samplesPerReplica, type PhiloxRun } from '../../../src/physics/metropolis-philox';

let gpu: WebGpu | null = null;

function base64(bytes: Int8Array): string {
  const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text = '';
  for (let i = 0; i < u8.length; i += 0x8000) text += String.fromCharCode(...u8.subarray(i, i + 0x8000));
  return btoa(text);
}

export interface PageRunOptions {
  chunking?: { sampleChunkBytes?: number; maxSweepsPerSubmission?: number };
  /** Throw from the progress hook after this many chunks, as a cancelled run does. */
  failAfterChunks?: number;
}

const api = {
  async open(): Promise<{ adapter: string; software: boolean; architecture: string } | { missing: string }> {
    const opened = await openWebGpu({ software: true });
    if ('missing' in opened) return opened;
    gpu = opened;
    const adapter = await navigator.gpu.requestAdapter();
    return { adapter: opened.adapter, software: opened.software, architecture: adapter?.info.architecture ?? '' };
  },
  /** What `backend: 'auto'` gets here: a software adapter counts as none. */
  async openHardwareOnly(): Promise<{ missing: string } | { adapter: string }> {
    const opened = await openWebGpu({ software: false });
    if ('missing' in opened) return opened;
    opened.device.destroy();
    return { adapter: opened.adapter };
  },
  async run(
    run: PhiloxRun,
    options: PageRunOptions = {},
  ): Promise<{ samples: string; stats: GpuRunStats; chunks: number[] }> {
    if (!gpu) throw new Error('open() first');
    const out = new Int8Array(runChains(run).length * samplesPerReplica(run) * run.L * run.L);
    const chunks: number[] = [];
    const hooks = {
      afterChunk(sweeps: number) {
        chunks.push(sweeps);
        if (chunks.length === options.failAfterChunks) throw new Error('stopped by the test');
      },
    };
    const stats = await runPhiloxWebGpu(gpu.device, run, out, hooks, options.chunking);
    return { samples: base64(out), stats, chunks };
  },
  close(): void {
    gpu?.device.destroy();
    gpu = null;
  },
};

export type GpuLatticePage = typeof api;
(window as unknown as { gpuLattice: GpuLatticePage }).gpuLattice = api;
