/** ising.lattice — Lattice Generator: Monte Carlo samples of the periodic Ising model (NODES.md). */
import { z } from 'zod';
import { spinsSize } from '../../src/graph/budget';
import { defineNode } from '../../src/graph/node-definition';
import { concatSpins, type SpinsValue } from '../../src/graph/values';
import { chainSweeps, runChain, type ChainInfo } from '../../src/physics/ising-chain';
import { siteCount } from '../../src/physics/lattice';
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
  });

export type LatticeParams = z.output<typeof latticeParams>;

export const latticeNode = defineNode({
  type: 'ising.lattice',
  version: 1,
  title: 'Lattice Generator',
  category: 'Sampling',
  doc: 'Monte Carlo samples of the periodic Ising model (Metropolis, Wolff or Swendsen–Wang), at one or more temperatures.',
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
    return { outputs: { spins }, working: spins.bytes + chain };
  },
  async run(_inputs, p, ctx) {
    const temperatures = Array.isArray(p.T) ? p.T : [p.T];
    const N = siteCount(p.dim, p.L);
    const shape = p.dim === 1 ? [p.L] : [p.L, p.L];
    const data = new Int8Array(p.samples * temperatures.length * N);
    const T = new Float64Array(p.samples * temperatures.length);
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
      chains: [] as (ChainInfo & { T: number })[],
    };
    const totalSweeps = temperatures.length * chainSweeps({ ...p, T: temperatures[0] });
    let sweepsBefore = 0;
    let kept = 0;
    let lastYield = performance.now();
    let lastEmit = lastYield;
    // Views, not copies: runChain writes each sample once and T is filled a chain ahead, so the first
    // `count` samples never change again (the output `grows`).
    const snapshot = (count: number): SpinsValue => ({
      type: 'spins',
      shape: [count, ...shape],
      data: data.subarray(0, count * N),
      T: T.subarray(0, count),
      meta: { ...meta, chains: [...meta.chains] },
    });
    for (let t = 0; t < temperatures.length; t++) {
      const spec = { ...p, T: temperatures[t] };
      const offset = t * p.samples;
      T.fill(temperatures[t], offset, offset + p.samples);
      const info = await runChain(spec, data.subarray(offset * N, (offset + p.samples) * N), {
        afterSweep: async (sweeps) => {
          const now = performance.now();
          if (now - lastYield < YIELD_INTERVAL_MS) return;
          lastYield = now;
          ctx.progress((sweepsBefore + sweeps) / totalSweeps, `T = ${temperatures[t]}: sweep ${sweeps}`);
          await ctx.checkpoint();
        },
        afterSample: (k) => {
          kept = offset + k + 1;
          const now = performance.now();
          if (now - lastEmit >= EMIT_INTERVAL_MS && kept < T.length) {
            lastEmit = now;
            ctx.emit({ spins: snapshot(kept) });
          }
        },
      });
      meta.chains.push({ T: temperatures[t], ...info });
      sweepsBefore += chainSweeps(spec);
    }
    ctx.progress(1);
    const spins: SpinsValue = { type: 'spins', shape: [T.length, ...shape], data, T, meta };
    return { spins };
  },
  // Each temperature's chain has a random stream of its own (runChain), so the chains can run anywhere.
  fanOut: {
    split(p, inputs, parts) {
      if (!Array.isArray(p.T) || p.T.length < 2) return null;
      const updates = p.T.length * chainSweeps({ ...p, T: p.T[0] }) * siteCount(p.dim, p.L);
      if (updates < SPLIT_MIN_UPDATES) return null;
      return contiguousGroups(p.T, parts).map((group) => ({ params: { ...p, T: group }, inputs }));
    },
    merge: (outputs) => ({ spins: mergeChains(outputs.map((o) => o.spins as SpinsValue)) }),
  },
});
