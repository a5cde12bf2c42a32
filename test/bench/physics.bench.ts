/** Physics kernels: Monte Carlo updates, block spins and measurements, on one core. */
import { blockSpins } from '../../src/physics/blockspin';
import { TC } from '../../src/physics/exact';
import { createLattice } from '../../src/physics/lattice';
import { metropolisSweeps } from '../../src/physics/metropolis';
import { canUseMultiSpin, MultiSpinMetropolis } from '../../src/physics/metropolis-msc';
import { measureCorrelation } from '../../src/physics/correlation';
import { measureObservables } from '../../src/physics/observables';
import { Rng } from '../../src/physics/rng';
import { SwendsenWangUpdater } from '../../src/physics/swendsen-wang';
import { WolffUpdater } from '../../src/physics/wolff';
import type { SpinsValue } from '../../src/graph/values';
import { median, type BenchResult } from './measure';
import { cNanoseconds } from './reference';

const section = 'physics';

/** Median over `repeats` of the time per unit of work, in ns. */
function nsPer(units: number, work: () => void, repeats = 5): number {
  work(); // warm up
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    work();
    times.push(((performance.now() - start) * 1e6) / units);
  }
  return median(times);
}

function equilibratedSpins(L: number, n: number): SpinsValue {
  const rng = new Rng(9);
  const lattice = createLattice(2, L, 'random', rng);
  const wolff = new WolffUpdater(lattice, TC, 1, rng);
  const data = new Int8Array(n * L * L);
  wolff.clusters(200);
  for (let k = 0; k < n; k++) {
    wolff.clusters(5);
    data.set(lattice.data, k * L * L);
  }
  return { type: 'spins', shape: [n, L, L], data, T: new Float64Array(n).fill(TC), meta: { dim: 2, L, J: 1, h: 0 } };
}

/** Time per unit of one run of `work`, in ns. */
function nsOnce(units: number, work: () => void): number {
  const start = performance.now();
  work();
  return ((performance.now() - start) * 1e6) / units;
}

interface Paired {
  js: number;
  c: number | null;
  /** The median of the ratios of runs made back to back: this machine's speed drifts by up to 2x within a minute. */
  ratio: number | null;
}

/** The JavaScript kernel and its C reference, `pairs` times each, alternating, after a warm-up of the JS one. */
function paired(js: () => number, c: () => number | null, pairs = 5): Paired {
  js();
  const jsTimes: number[] = [];
  const cTimes: number[] = [];
  for (let k = 0; k < pairs; k++) {
    jsTimes.push(js());
    const reference = c();
    if (reference === null)
      return { js: median(jsTimes.concat(Array.from({ length: pairs - 1 }, js))), c: null, ratio: null };
    cTimes.push(reference);
  }
  return { js: median(jsTimes), c: median(cTimes), ratio: median(jsTimes.map((t, k) => t / cTimes[k])) };
}

/** The JavaScript figure, the C reference's beside it (when a compiler is found), and their ratio. */
function withReference(name: string, m: Paired, unit: string, note: string): BenchResult[] {
  const rows: BenchResult[] = [{ section, name, value: m.js, unit, note }];
  if (m.c !== null && m.ratio !== null) {
    rows.push({ section, name: `${name}, C`, value: m.c, unit, note: 'reference/ising.c, cc -O2, same algorithm' });
    rows.push({
      section,
      name: `${name}, JS / C`,
      value: m.ratio,
      unit: '×',
      note: `${note}; median of 5 back-to-back pairs`,
    });
  }
  return rows;
}

export async function physicsBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const L of [16, 40, 64, 256, 1024]) {
    const sweeps = Math.max(2, Math.round(1e7 / (L * L)));
    const rng = new Rng(1);
    const lattice = createLattice(2, L, 'random', rng);
    const scalar = paired(
      () => nsOnce(sweeps * L * L, () => metropolisSweeps(lattice, TC, 1, 0, rng, sweeps)),
      () => cNanoseconds('metropolis2d', L, sweeps, 1),
    );
    results.push(...withReference(`Metropolis 2D, scalar, L = ${L}`, scalar, 'ns/flip', 'at Tc; target ≤ 1.5× C'));
    if (!canUseMultiSpin(2, L, 1, 0)) continue;
    const msc = new MultiSpinMetropolis(L, TC, 1, rng);
    msc.load(lattice.data);
    const coded = paired(
      () => nsOnce(4 * sweeps * L * L, () => msc.sweeps(4 * sweeps)),
      () => cNanoseconds('multispin2d', L, 4 * sweeps, 1),
    );
    const note = `${msc.lanes} spins per word, exact; C: the same algorithm`;
    results.push(...withReference(`Metropolis, multi-spin, L = ${L}`, coded, 'ns/flip', note));
  }
  for (const L of [16, 1000, 100_000]) {
    const sweeps = Math.max(2, Math.round(1e7 / L));
    const rng = new Rng(5);
    const lattice = createLattice(1, L, 'random', rng);
    const scalar = paired(
      () => nsOnce(sweeps * L, () => metropolisSweeps(lattice, 1, 1, 0, rng, sweeps)),
      () => cNanoseconds('metropolis1d', L, sweeps, 1),
    );
    results.push(
      ...withReference(`Metropolis 1D, L = ${L}`, scalar, 'ns/flip', 'T = 1, random sites; target ≤ 1.5× C'),
    );
  }
  for (const L of [64, 256]) {
    const rng = new Rng(2);
    const lattice = createLattice(2, L, 'random', rng);
    const wolff = new WolffUpdater(lattice, TC, 1, rng);
    wolff.clusters(1000);
    const target = 2e7;
    const perSpin = () => {
      let flipped = 0;
      const start = performance.now();
      while (flipped < target) flipped += wolff.cluster();
      return ((performance.now() - start) * 1e6) / flipped;
    };
    const clusters = paired(perSpin, () => cNanoseconds('wolff2d', L, Math.round(target / (0.4 * L * L)), 1));
    results.push(...withReference(`Wolff, L = ${L}`, clusters, 'ns/spin', 'per flipped spin at Tc; target ≤ 1.5× C'));
  }
  for (const L of [64, 256]) {
    const rng = new Rng(3);
    const lattice = createLattice(2, L, 'random', rng);
    const sw = new SwendsenWangUpdater(lattice, TC, 1, rng);
    const sweeps = Math.max(2, Math.round(4e6 / (L * L)));
    const time = nsPer(sweeps * L * L, () => {
      for (let s = 0; s < sweeps; s++) sw.sweep();
    });
    results.push({
      section,
      name: `Swendsen–Wang, L = ${L}`,
      value: time,
      unit: 'ns/spin',
      note: 'per spin per sweep at Tc',
    });
  }
  const spins = equilibratedSpins(64, 1000);
  const blockRng = new Rng(4);
  const block = nsPer(spins.data.length, () =>
    blockSpins(spins.data, 1000, { dim: 2, L: 64, b: 2, rule: 'majority', tieBreak: 'random' }, blockRng),
  );
  results.push({
    section,
    name: 'block spins, majority b = 2',
    value: 1e3 / block,
    unit: 'Mspins/s',
    note: '1000 x 64²',
  });
  const observe = nsPer(spins.data.length, () => measureObservables(spins));
  results.push({
    section,
    name: 'observables',
    value: 1e3 / observe,
    unit: 'Mspins/s',
    note: '1000 x 64², with binning',
  });
  const correlate = nsPer(spins.data.length, () => measureCorrelation(spins, 32), 3);
  results.push({
    section,
    name: 'correlation C(r), r ≤ 32',
    value: 1e3 / correlate,
    unit: 'Mspins/s',
    note: '1000 x 64²',
  });
  return results;
}
