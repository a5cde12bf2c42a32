/**
 * Checkerboard Metropolis on Philox4x32-10 random numbers: the algorithm of the WebGPU kernel
 * (metropolis-philox.wgsl.ts, run by gpu-lattice.ts), and its plain-JavaScript twin, which makes exactly the
 * same decisions from exactly the same numbers. The twin is the reference the kernel is tested against bit for
 * bit, and what `backend: 'auto'` runs where there is no usable GPU, so a graph gives the same samples on every
 * machine.
 *
 * - A chain is one (temperature, replica). Its random numbers are Philox with key (seed, hashNumber(T)) and
 *   counter (site group, sweep, colour, replica): a temperature's samples do not depend on the other
 *   temperatures in the list, as with the CPU kernels.
 * - A sweep updates the sites with (x + y) even (colour 0), then those with (x + y) odd (colour 1). Within a
 *   colour no two sites are neighbours (L must be even), so the order inside a colour does not matter and the
 *   GPU updates them all at once. The sites of a colour are numbered j = 0 .. L²/2 - 1 row by row; group
 *   q = floor(j / 4) draws one Philox block and site j uses its word j mod 4.
 * - Acceptance: exp(-dE / T) in float64, once per chain, as a uint32 threshold t = floor(p 2^32), and a flip
 *   is accepted when the site's word u < t: probability t / 2^32 exactly (p off by less than 2^-32). Where
 *   p >= 1 a bit in a mask accepts always.
 * - Random start: site i (row-major) is +1 where the top bit of word i mod 4 of Philox counter
 *   (floor(i / 4), 0, 2, replica) is set.
 *
 * Not ergodic in 1D: there every site with dE = 0 must flip, so domain walls move ballistically and the
 * number of left-moving minus right-moving walls never changes (from the ordered state an 8-site ring reaches
 * 140 of its 256 states). In 2D, at h = 0 and L divisible by 4, the states with dE = 0 at every site
 * (diagonal stripes of period 4, 36 of the 65,536 at L = 4) flip into their negation and back forever; they
 * all have E = 0 and weigh under 6e-4 of Z at any temperature (36 / 2^16 at T = infinity), and every
 * checkerboard Metropolis (the CPU kernels too) shares this.
 */
import { hashNumber } from './rng';
import { philox4x32 } from './philox';

/** The lattices the Philox kernel runs: what the GPU path needs of a Lattice Generator's params. */
export interface PhiloxLattice {
  L: number;
  J: number;
  h: number;
  init: 'random' | 'ordered';
  seed: number;
}

/** One chain: a temperature and which of its independent replicas. */
export interface PhiloxChain {
  T: number;
  replica: number;
}

/** A run of many chains: every temperature, `replicas` chains each. */
export interface PhiloxRun extends PhiloxLattice {
  temperatures: readonly number[];
  replicas: number;
  /** Samples per temperature, split evenly over its replicas. */
  samples: number;
  burnIn: number;
  thin: number;
}

/** Counter word 2 holds the phase in its low two bits (0, 1: the colours; 2: the random start). */
export const PHASE_INIT = 2;
/** uint32s per chain in the thresholds buffer: 10 thresholds, the always-accept mask, padding. */
export const THRESHOLD_STRIDE = 16;
export const ALWAYS_MASK = 10;
const TWO_POW_32 = 4294967296;

/**
 * Why the Philox kernel cannot run these params (null when it can). The WebGPU kernel is checkerboard
 * Metropolis in 2D; `backend: 'auto'` runs the CPU kernels where this says no.
 */
export function philoxRefusal(p: { dim: 1 | 2; L: number; algorithm: string }): string | null {
  if (p.algorithm !== 'metropolis') {
    return (
      `${p.algorithm} stays on the CPU: the GPU kernel is checkerboard Metropolis (use algorithm 'metropolis', ` +
      `or backend 'cpu' or 'auto', which run ${p.algorithm} on the CPU)`
    );
  }
  if (p.dim !== 2) {
    return (
      'the GPU kernel is 2D only: a checkerboard Metropolis chain in 1D is not ergodic (every dE = 0 move ' +
      "is forced, so domain walls only drift); use backend 'cpu' or 'auto' (random-site Metropolis on the CPU)"
    );
  }
  if (p.L % 2 !== 0) {
    return (
      `the GPU kernel needs an even L (L = ${p.L}): with odd L the two colours of the checkerboard meet ` +
      "across the periodic boundary; use backend 'cpu' or 'auto'"
    );
  }
  return null;
}

/** Chain c of a run is temperature floor(c / replicas), replica c mod replicas; its samples are rows c * perReplica... */
export function runChains(run: Pick<PhiloxRun, 'temperatures' | 'replicas'>): PhiloxChain[] {
  return run.temperatures.flatMap((T) => Array.from({ length: run.replicas }, (_, replica) => ({ T, replica })));
}

/** The Philox key of a chain, (seed, hash of T); its replica is counter word 3. */
export function chainKey(seed: number, T: number): [number, number] {
  return [seed >>> 0, hashNumber(T)];
}

/**
 * A chain's acceptance thresholds, written at out[offset ..]: entry ((s + 1) / 2) * 5 + (S + 4) / 2 for spin s
 * and neighbour sum S is floor(exp(-dE / T) 2^32), dE = 2 s (J S + h); bit k of entry ALWAYS_MASK is set
 * where exp(-dE / T) >= 1 (accept always).
 */
export function acceptanceThresholds(
  T: number,
  J: number,
  h: number,
  out: Uint32Array = new Uint32Array(THRESHOLD_STRIDE),
  offset = 0,
): Uint32Array {
  let always = 0;
  for (let sIndex = 0; sIndex < 2; sIndex++) {
    const s = 2 * sIndex - 1;
    for (let k = 0; k < 5; k++) {
      const S = 2 * k - 4;
      const p = Math.exp((-2 * s * (J * S + h)) / T);
      const entry = sIndex * 5 + k;
      if (p >= 1) {
        always |= 1 << entry;
        out[offset + entry] = 0;
      } else {
        out[offset + entry] = Math.floor(p * TWO_POW_32);
      }
    }
  }
  out[offset + ALWAYS_MASK] = always;
  return out;
}

/** Writes a chain's starting state (±1, row-major) into out. */
export function initialSpins(lattice: PhiloxLattice, chain: PhiloxChain, out: Int8Array | Int32Array): void {
  const N = lattice.L * lattice.L;
  if (lattice.init === 'ordered') {
    out.fill(1, 0, N);
    return;
  }
  const [k0, k1] = chainKey(lattice.seed, chain.T);
  const words = new Uint32Array(4);
  for (let i = 0; i < N; i++) {
    if ((i & 3) === 0) philox4x32(i >>> 2, 0, PHASE_INIT, chain.replica, k0, k1, words);
    out[i] = words[i & 3] >>> 31 ? 1 : -1;
  }
}

/** One chain of the Philox checkerboard kernel, in JavaScript. */
export class PhiloxMetropolis {
  /** The lattice, ±1, row-major. */
  readonly spins: Int8Array;
  /** Sweeps done: the next sweep's counter word. */
  sweepsDone = 0;
  private readonly accept = new Float64Array(10);
  private readonly key: [number, number];
  private readonly words = new Uint32Array(4);

  constructor(
    readonly lattice: PhiloxLattice,
    readonly chain: PhiloxChain,
  ) {
    const { L } = lattice;
    if (L % 2 !== 0 || L < 2) throw new Error(`PhiloxMetropolis: L must be even, got ${L}`);
    this.spins = new Int8Array(L * L);
    initialSpins(lattice, chain, this.spins);
    const thresholds = acceptanceThresholds(chain.T, lattice.J, lattice.h);
    const always = thresholds[ALWAYS_MASK];
    // The kernel's test `always bit || u < t` as one comparison: 2^32 exceeds every uint32.
    for (let e = 0; e < 10; e++) this.accept[e] = (always >>> e) & 1 ? TWO_POW_32 : thresholds[e];
    this.key = chainKey(lattice.seed, chain.T);
  }

  /** Runs `count` sweeps (colour 0, then colour 1). */
  sweeps(count: number): void {
    for (let n = 0; n < count; n++) {
      this.colour(0);
      this.colour(1);
      this.sweepsDone++;
    }
  }

  private colour(colour: 0 | 1): void {
    const { L } = this.lattice;
    const spins = this.spins;
    const accept = this.accept;
    const words = this.words;
    const [k0, k1] = this.key;
    const sweepLo = this.sweepsDone >>> 0;
    const phase = ((Math.floor(this.sweepsDone / TWO_POW_32) << 2) | colour) >>> 0;
    const replica = this.chain.replica;
    let j = 0;
    for (let y = 0; y < L; y++) {
      const row = y * L;
      const up = (y === 0 ? L - 1 : y - 1) * L;
      const down = (y === L - 1 ? 0 : y + 1) * L;
      for (let x = (y + colour) & 1; x < L; x += 2, j++) {
        if ((j & 3) === 0) philox4x32(j >>> 2, sweepLo, phase, replica, k0, k1, words);
        const i = row + x;
        const s = spins[i];
        const S =
          spins[row + (x === 0 ? L - 1 : x - 1)] +
          spins[row + (x === L - 1 ? 0 : x + 1)] +
          spins[up + x] +
          spins[down + x];
        // no branch on accept: a random branch costs more than the arithmetic
        spins[i] = s - 2 * s * +(words[j & 3] < accept[((s + 1) >> 1) * 5 + ((S + 4) >> 1)]);
      }
    }
  }
}

export interface PhiloxHooks {
  /** Called after every sweep with the sweeps done so far; may await (to yield or cancel). */
  afterSweep(sweeps: number): void | Promise<void>;
  /** Called after sample k of this chain was written. */
  afterSample?(k: number): void | Promise<void>;
}

/**
 * Runs one chain in JavaScript: `burnIn` sweeps, then `count` samples `thin` sweeps apart, sample k written
 * to out[k N, (k + 1) N).
 */
export async function runPhiloxChain(
  lattice: PhiloxLattice,
  chain: PhiloxChain,
  schedule: { count: number; burnIn: number; thin: number },
  out: Int8Array,
  hooks: PhiloxHooks,
): Promise<void> {
  const N = lattice.L * lattice.L;
  if (out.length < schedule.count * N) throw new Error('runPhiloxChain: output array too small');
  const kernel = new PhiloxMetropolis(lattice, chain);
  let sweeps = 0;
  for (; sweeps < schedule.burnIn;) {
    kernel.sweeps(1);
    await hooks.afterSweep(++sweeps);
  }
  for (let k = 0; k < schedule.count; k++) {
    for (let t = 0; t < schedule.thin; t++) {
      kernel.sweeps(1);
      await hooks.afterSweep(++sweeps);
    }
    out.set(kernel.spins, k * N);
    await hooks.afterSample?.(k);
  }
}

/** Samples per replica: `samples` must split evenly over the replicas. */
export function samplesPerReplica(run: Pick<PhiloxRun, 'samples' | 'replicas'>): number {
  if (run.samples % run.replicas !== 0) {
    throw new Error(`samples (${run.samples}) must be a multiple of replicas (${run.replicas})`);
  }
  return run.samples / run.replicas;
}
