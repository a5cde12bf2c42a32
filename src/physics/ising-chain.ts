/** One Markov chain of Ising samples at one temperature: burn-in, then `samples` states `thin` sweeps apart. */
import { createLattice, siteCount, type Lattice } from './lattice';
import { metropolisSweeps } from './metropolis';
import { MultiSpinMetropolis, canUseMultiSpin } from './metropolis-msc';
import { Rng, hashNumber } from './rng';
import { SwendsenWangUpdater } from './swendsen-wang';
import { WolffUpdater } from './wolff';

export type Algorithm = 'metropolis' | 'wolff' | 'swendsen-wang';

export interface ChainSpec {
  dim: 1 | 2;
  L: number;
  T: number;
  J: number;
  h: number;
  algorithm: Algorithm;
  samples: number;
  burnIn: number;
  thin: number;
  init: 'random' | 'ordered';
  seed: number;
}

export interface ChainHooks {
  /** Called after every sweep with the number of sweeps done so far; may await (to yield or cancel). */
  afterSweep(sweeps: number): void | Promise<void>;
  /** Called after sample k was written. */
  afterSample?(k: number): void | Promise<void>;
}

export interface ChainInfo {
  /** Which Metropolis kernel ran: 32 spins per word (2D, h = 0, J > 0, L divisible by 64) or one at a time. */
  kernel?: 'multi-spin' | 'scalar';
  /** Wolff only: the mean cluster size measured in burn-in and the clusters per sweep chosen from it. */
  meanClusterSize?: number;
  clustersPerSweep?: number;
}

/** Fewest clusters over which the Wolff mean cluster size is measured. */
const MIN_MEASURED_CLUSTERS = 100;

/** The total number of sweeps a chain makes: for progress. */
export function chainSweeps(spec: ChainSpec): number {
  return spec.burnIn + spec.samples * spec.thin;
}

/**
 * Runs the chain, writing sample k into out[k N, (k + 1) N). Each temperature gets its own random
 * stream (from the seed and the temperature's value), so a temperature's samples do not depend on
 * which other temperatures are in the list.
 */
export async function runChain(spec: ChainSpec, out: Int8Array, hooks: ChainHooks): Promise<ChainInfo> {
  const N = siteCount(spec.dim, spec.L);
  if (out.length < spec.samples * N) throw new Error('runChain: output array too small');
  const rng = new Rng(spec.seed, hashNumber(spec.T));
  const lattice = createLattice(spec.dim, spec.L, spec.init, rng);
  const info: ChainInfo = {};
  let sweeps = 0;
  let update: () => void;
  let write = (k: number) => out.set(lattice.data, k * N);

  if (spec.algorithm === 'metropolis') {
    if (canUseMultiSpin(spec.dim, spec.L, spec.J, spec.h)) {
      const msc = new MultiSpinMetropolis(spec.L, spec.T, spec.J, rng);
      msc.load(lattice.data);
      info.kernel = 'multi-spin';
      update = () => msc.sweeps(1);
      write = (k) => msc.store(out, k * N);
    } else {
      info.kernel = 'scalar';
      update = () => metropolisSweeps(lattice, spec.T, spec.J, spec.h, rng, 1);
    }
  } else {
    if (spec.h !== 0) throw new Error(`${spec.algorithm} does not support a field h != 0: use metropolis`);
    if (spec.algorithm === 'swendsen-wang') {
      const sw = new SwendsenWangUpdater(lattice, spec.T, spec.J, rng);
      update = () => sw.sweep();
    } else {
      const wolff = new WolffUpdater(lattice, spec.T, spec.J, rng);
      const measured = await wolffBurnIn(wolff, lattice, spec.burnIn, async (done) => hooks.afterSweep(done));
      sweeps = spec.burnIn;
      info.meanClusterSize = measured;
      info.clustersPerSweep = Math.max(1, Math.round(N / measured));
      const perSweep = info.clustersPerSweep;
      update = () => wolff.clusters(perSweep);
    }
  }

  for (; sweeps < spec.burnIn;) {
    update();
    await hooks.afterSweep(++sweeps);
  }
  for (let k = 0; k < spec.samples; k++) {
    for (let t = 0; t < spec.thin; t++) {
      update();
      await hooks.afterSweep(++sweeps);
    }
    write(k);
    await hooks.afterSample?.(k);
  }
  return info;
}

/**
 * Wolff burn-in: flips about burnIn x N spins (nothing is measured here, so stopping on a flip count
 * is harmless), measuring the mean cluster size over the second half and at least 100 clusters.
 */
async function wolffBurnIn(
  wolff: WolffUpdater,
  lattice: Lattice,
  burnIn: number,
  afterSweep: (sweeps: number) => Promise<void>,
): Promise<number> {
  const N = lattice.data.length;
  const target = burnIn * N;
  let flipped = 0;
  let measuredSize = 0;
  let measuredCount = 0;
  let sweepsReported = 0;
  while (flipped < target || measuredCount < MIN_MEASURED_CLUSTERS) {
    const size = wolff.cluster();
    flipped += size;
    if (flipped >= target / 2) {
      measuredSize += size;
      measuredCount++;
    }
    const sweepsDone = Math.min(burnIn, Math.floor(flipped / N));
    if (sweepsDone > sweepsReported) {
      sweepsReported = sweepsDone;
      await afterSweep(sweepsDone);
    }
  }
  return measuredSize / measuredCount;
}
