/** ising.lattice — Lattice Generator: Monte Carlo samples of the periodic Ising model (NODES.md). */
import { z } from 'zod';
import { spinsSize } from '../../src/graph/budget';
import { defineNode, type RunContext } from '../../src/graph/node-definition';
import { concatSpins, type SpinsValue } from '../../src/graph/values';
import { openWebGpu, runPhiloxWebGpu, type WebGpu } from '../../src/physics/gpu-lattice';
import { chainSweeps, runChain, type ChainInfo } from '../../src/physics/ising-chain';
import { siteCount } from '../../src/physics/lattice';
import { philoxRefusal, runChains, runPhiloxChain, type PhiloxRun } from '../../src/physics/metropolis-philox';
import { contiguousGroups } from '../shared/temperature-fan-out';

/** Largest spins output, so a typo in `samples` or `L` is refused before anything is allocated. */
export const MAX_SPINS_BYTES = 1024 * 1024 * 1024;
/** How often a growing sample set is streamed downstream while sampling. */
const EMIT_INTERVAL_MS = 500;
/** How often the sampler yields to the event loop (progress, cancellation). */
const YIELD_INTERVAL_MS = 40;
/** Site updates below which a list of temperatures runs as one job: a second worker costs more to start. */
const SPLIT_MIN_UPDATES = 2e7;

/** The samples of consecutive temperature groups as one value, as a single run over all of them gives. */
export function mergeChains(parts: readonly SpinsValue[]): SpinsValue {
  const chains = parts.flatMap((part) => (part.meta.chains as unknown[] | undefined) ?? []);
  const merged = concatSpins(parts);
  return { ...merged, meta: { ...merged.meta, chains } };
}

const temperature = z.number().positive('must be > 0 (temperatures are in units of J/k_B)');

/*
 * `backend`, where the chains run:
 * - 'cpu': the CPU kernels of src/physics (xoshiro128** random numbers), as before the param existed.
 * - 'webgpu': 2D checkerboard Metropolis on the GPU (src/physics/gpu-lattice.ts), every chain (temperatures x
 *   replicas) at once, on Philox4x32-10 random numbers keyed by seed and temperature. Wolff and Swendsen–Wang
 *   stay on the CPU, and 1D and odd L are not run there: asking for them is a params error that says so.
 *   Where there is no WebGPU (Node, the CLI, a browser without it) the node fails with "WebGPU is not
 *   available here: ...".
 * - 'auto' (the default): the Philox kernel on the GPU where the browser has a hardware adapter (a software one,
 *   SwiftShader, is slower than the CPU), else the CPU kernels, exactly as 'cpu' (so in the CLI and on a machine
 *   without a GPU, a graph gives the numbers it gave before the param existed, at the CPU kernels' speed).
 *   Where the GPU kernel does not apply (Wolff, Swendsen–Wang, 1D, odd L) it runs the CPU kernels too. With
 *   replicas, which only the Philox kernel has, it runs that kernel's JavaScript twin
 *   (src/physics/metropolis-philox.ts) where there is no GPU: the GPU's samples, bit for bit. meta.chains
 *   says which kernel ran on which device: a GPU and a CPU give different samples (other generators).
 * `replicas`: independent chains per temperature on the Philox kernel (counter word 3), sharing `samples`
 * evenly: replica r gives rows r samples/replicas .. of its temperature, in Markov-chain order. More chains fill
 * a GPU that one small lattice leaves idle.
 */
const backend = z.enum(['auto', 'cpu', 'webgpu']).default('auto');

export const latticeParams = z
  .strictObject({
    dim: z.union([z.literal(1), z.literal(2)]).default(2),
    L: z.number().int().min(2).max(1_000_000).default(32),
    T: z.union([temperature, z.array(temperature).min(1).max(1000)]).default(2.269185),
    J: z.number().default(1),
    h: z.number().default(0),
    algorithm: z.enum(['metropolis', 'wolff', 'swendsen-wang']).default('wolff'),
    samples: z.number().int().min(1).max(100_000_000).default(1000),
    burnIn: z.number().int().min(0).max(100_000_000).default(1000),
    thin: z.number().int().min(1).max(1_000_000).default(10),
    init: z.enum(['random', 'ordered']).default('random'),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    backend,
    replicas: z.number().int().min(1).max(4096).default(1),
  })
  .superRefine((p, ctx) => {
    if (p.dim === 2 && p.L > 4096) {
      ctx.addIssue({ code: 'custom', path: ['L'], message: `L = ${p.L} is too large for a 2D lattice (at most 4096)` });
      return;
    }
    const temperatures = Array.isArray(p.T) ? p.T : [p.T];
    if (new Set(temperatures).size !== temperatures.length) {
      ctx.addIssue({ code: 'custom', path: ['T'], message: 'the list of temperatures has a repeated value' });
    }
    const bytes = p.samples * temperatures.length * siteCount(p.dim, p.L);
    if (bytes > MAX_SPINS_BYTES) {
      const mb = (n: number) => `${Math.round(n / 1024 / 1024).toLocaleString('en-US')} MB`;
      ctx.addIssue({
        code: 'custom',
        path: ['samples'],
        message:
          `${p.samples} samples x ${temperatures.length} temperatures x ${siteCount(p.dim, p.L)} spins would need ` +
          `${mb(bytes)}; the limit is ${mb(MAX_SPINS_BYTES)}: use fewer samples, temperatures or sites`,
      });
    }
    if (p.algorithm !== 'metropolis' && p.h !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['algorithm'],
        message: `${p.algorithm} clusters do not support a field (h = ${p.h}); use metropolis`,
      });
    }
    if (p.algorithm !== 'metropolis' && p.J <= 0) {
      ctx.addIssue({ code: 'custom', path: ['J'], message: `${p.algorithm} clusters need J > 0; use metropolis` });
    }
    const refusal = philoxRefusal(p);
    if (p.backend === 'webgpu' && refusal) {
      ctx.addIssue({ code: 'custom', path: ['backend'], message: refusal });
    }
    if (p.replicas > 1 && (p.backend === 'cpu' || refusal)) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicas'],
        message:
          "replicas run on the Philox kernel: backend 'auto' or 'webgpu' with 2D Metropolis and even L" +
          (p.backend === 'cpu' ? '' : ` (here ${refusal})`),
      });
    }
    if (p.samples % p.replicas !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['samples'],
        message: `${p.samples} samples per temperature do not split evenly over ${p.replicas} replicas`,
      });
    }
  });

export type LatticeParams = z.output<typeof latticeParams>;

export const latticeNode = defineNode({
  type: 'ising.lattice',
  version: 1,
  title: 'Lattice Generator',
  category: 'Sampling',
  doc:
    'Monte Carlo samples of the periodic Ising model (Metropolis, Wolff or Swendsen–Wang), at one or more temperatures; ' +
    "backend 'webgpu' runs 2D Metropolis on the GPU (Wolff and Swendsen–Wang stay on the CPU).",
  inputs: {},
  outputs: { spins: { type: 'spins', grows: true } },
  params: latticeParams,
  heavy: true,
  resources(p) {
    const temperatures = Array.isArray(p.T) ? p.T.length : 1;
    const spins = spinsSize([p.samples * temperatures, ...(p.dim === 1 ? [p.L] : [p.L, p.L])]);
    // The worker fills its arrays while the samples so far are streamed here: two copies at the end. The
    // chain's lattice and, in 2D, Metropolis's copy with ghost columns come on top.
    const chain = p.dim === 1 ? p.L : p.L * p.L + p.L * (p.L + 2);
    // On the GPU every chain's start (int32 per site) is built here first.
    const gpuStart =
      p.backend !== 'cpu' && !philoxRefusal(p) ? temperatures * p.replicas * siteCount(p.dim, p.L) * 4 : 0;
    return { outputs: { spins }, working: spins.bytes + chain + gpuStart };
  },
  async run(_inputs, p, ctx) {
    const temperatures = Array.isArray(p.T) ? p.T : [p.T];
    const N = siteCount(p.dim, p.L);
    const shape = p.dim === 1 ? [p.L] : [p.L, p.L];
    const data = new Int8Array(p.samples * temperatures.length * N);
    const T = new Float64Array(p.samples * temperatures.length);
    for (let t = 0; t < temperatures.length; t++) T.fill(temperatures[t], t * p.samples, (t + 1) * p.samples);
    const meta = {
      model: 'ising',
      dim: p.dim,
      L: p.L,
      J: p.J,
      h: p.h,
      boundary: 'periodic',
      blockFactor: 1,
      algorithm: p.algorithm,
      provenance: [{ node: 'ising.lattice', seed: p.seed, burnIn: p.burnIn, thin: p.thin }],
      chains: [] as LatticeChainInfo[],
    };
    // Views, not copies: each sample is written once and T is filled before, so the first `count` samples
    // never change again (the output `grows`).
    const snapshot = (count: number): SpinsValue => ({
      type: 'spins',
      shape: [count, ...shape],
      data: data.subarray(0, count * N),
      T: T.subarray(0, count),
      meta: { ...meta, chains: [...meta.chains] },
    });
    const output = { temperatures, N, data, snapshot, chains: meta.chains };
    if (p.backend === 'cpu' || philoxRefusal(p)) await runCpu(p, ctx, output);
    else await runPhilox(p, ctx, output);
    ctx.progress(1);
    const spins: SpinsValue = { type: 'spins', shape: [T.length, ...shape], data, T, meta };
    return { spins };
  },
  // Each temperature's chain has a random stream of its own (runChain), so the chains can run anywhere.
  fanOut: {
    split(p, inputs, parts) {
      // On WebGPU one device runs every chain at once.
      if (!Array.isArray(p.T) || p.T.length < 2 || p.backend === 'webgpu') return null;
      const updates = p.T.length * chainSweeps({ ...p, T: p.T[0] }) * siteCount(p.dim, p.L);
      if (updates < SPLIT_MIN_UPDATES) return null;
      return contiguousGroups(p.T, parts).map((group) => ({ params: { ...p, T: group }, inputs }));
    },
    merge: (outputs) => ({ spins: mergeChains(outputs.map((o) => o.spins as SpinsValue)) }),
  },
});

/** What meta.chains records of each temperature's chain(s). */
type LatticeChainInfo = { T: number } & (
  ChainInfo | { kernel: 'philox'; device: 'webgpu' | 'javascript'; replicas: number; adapter?: string }
);

/** Where a run writes its samples, and how it streams them. */
interface LatticeOutput {
  temperatures: number[];
  N: number;
  data: Int8Array;
  snapshot(count: number): SpinsValue;
  chains: LatticeChainInfo[];
}

/** Reports progress and yields at most every YIELD_INTERVAL_MS; streams the samples so far every EMIT_INTERVAL_MS. */
function pacer(ctx: RunContext, total: number) {
  let lastYield = performance.now();
  let lastEmit = lastYield;
  return {
    async sweep(done: number, message: string) {
      const now = performance.now();
      if (now - lastYield < YIELD_INTERVAL_MS) return;
      lastYield = now;
      ctx.progress(done / total, message);
      await ctx.checkpoint();
    },
    sample(out: LatticeOutput, kept: number) {
      const now = performance.now();
      if (now - lastEmit >= EMIT_INTERVAL_MS && kept < out.data.length / out.N) {
        lastEmit = now;
        ctx.emit({ spins: out.snapshot(kept) });
      }
    },
  };
}

/** The CPU kernels (src/physics/ising-chain.ts): one chain per temperature, one after the other. */
async function runCpu(p: LatticeParams, ctx: RunContext, out: LatticeOutput): Promise<void> {
  const { temperatures, N, data } = out;
  const pace = pacer(ctx, temperatures.length * chainSweeps({ ...p, T: temperatures[0] }));
  let sweepsBefore = 0;
  for (let t = 0; t < temperatures.length; t++) {
    const spec = { ...p, T: temperatures[t] };
    const offset = t * p.samples;
    const info = await runChain(spec, data.subarray(offset * N, (offset + p.samples) * N), {
      afterSweep: (sweeps) => pace.sweep(sweepsBefore + sweeps, `T = ${temperatures[t]}: sweep ${sweeps}`),
      afterSample: (k) => pace.sample(out, offset + k + 1),
    });
    out.chains.push({ T: temperatures[t], ...info });
    sweepsBefore += chainSweeps(spec);
  }
}

/**
 * The Philox checkerboard kernel on WebGPU, where it is asked for or, for 'auto', where a hardware adapter is
 * there; else (for 'auto') the CPU kernels, or with replicas the kernel's JavaScript twin.
 */
async function runPhilox(p: LatticeParams, ctx: RunContext, out: LatticeOutput): Promise<void> {
  const opened = await openWebGpu({ software: p.backend === 'webgpu' });
  if ('missing' in opened) {
    if (p.backend === 'webgpu') {
      throw new Error(`WebGPU is not available here: ${opened.missing}. backend 'auto' runs the CPU kernels instead`);
    }
    return p.replicas > 1 ? runPhiloxJs(p, ctx, out) : runCpu(p, ctx, out);
  }
  const gpu: WebGpu = opened;
  const perChain = p.burnIn + (p.samples / p.replicas) * p.thin;
  const C = out.temperatures.length * p.replicas;
  try {
    ctx.progress(0, `WebGPU (${gpu.adapter}): ${C} chains`);
    // No growing sample sets here: every chain advances at once, so no prefix of the output is done early.
    await runPhiloxWebGpu(gpu.device, { ...p, temperatures: out.temperatures }, out.data, {
      afterChunk: async (sweeps) => {
        ctx.progress(sweeps / perChain, `WebGPU (${gpu.adapter}): ${C} chains, sweep ${sweeps} of ${perChain}`);
        await ctx.checkpoint();
      },
    });
  } catch (error) {
    // 'auto' falls back to the CPU (a lattice too big for the device's buffers, a lost device): replicas to the
    // Philox kernel's JavaScript twin, which gives the GPU's samples, one chain per temperature to the CPU kernels.
    if (p.backend === 'webgpu' || ctx.signal.aborted) throw error;
    if (p.replicas === 1) return runCpu(p, ctx, out);
    return runPhiloxJs(p, ctx, out, `WebGPU failed (${(error as Error).message})`);
  } finally {
    gpu.device.destroy();
  }
  for (const T of out.temperatures) {
    out.chains.push({ T, kernel: 'philox', device: 'webgpu', replicas: p.replicas, adapter: gpu.adapter });
  }
}

/** The Philox kernel's JavaScript twin, chain by chain: the WebGPU kernel's samples, bit for bit. */
async function runPhiloxJs(p: LatticeParams, ctx: RunContext, out: LatticeOutput, note?: string): Promise<void> {
  const run: PhiloxRun = { ...p, temperatures: out.temperatures };
  const perReplica = p.samples / p.replicas;
  const perChain = p.burnIn + perReplica * p.thin;
  const chains = runChains(run);
  const pace = pacer(ctx, chains.length * perChain);
  for (let c = 0; c < chains.length; c++) {
    const { T, replica } = chains[c];
    const offset = c * perReplica;
    const where = `${note ? `${note}; ` : ''}T = ${T}${p.replicas > 1 ? `, replica ${replica + 1}` : ''}`;
    const schedule = { count: perReplica, burnIn: p.burnIn, thin: p.thin };
    await runPhiloxChain(run, chains[c], schedule, out.data.subarray(offset * out.N), {
      afterSweep: (sweeps) => pace.sweep(c * perChain + sweeps, `${where}: sweep ${sweeps}`),
      afterSample: (k) => pace.sample(out, offset + k + 1),
    });
    if (replica === p.replicas - 1) {
      out.chains.push({ T, kernel: 'philox', device: 'javascript', replicas: p.replicas, ...(note ? { note } : {}) });
    }
  }
}
