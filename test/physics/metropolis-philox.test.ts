/**
 * The Philox checkerboard Metropolis kernel's JavaScript twin (the reference of the WebGPU kernel): its
 * thresholds, its wiring and counters against a plain reading of the algorithm, and its samples against
 * exact results (enumeration at L = 4, the row transfer matrix at L = 6, Kaufman's energy at L = 16 and 32),
 * within 3 standard errors estimated by binning.
 */
import { describe, expect, it } from 'vitest';
import { TC, enumerateIsing2D, kaufmanEnergy } from '../../src/physics/exact';
import {
  ALWAYS_MASK,
  PHASE_INIT,
  PhiloxMetropolis,
  acceptanceThresholds,
  chainKey,
  philoxRefusal,
  runChains,
  type PhiloxLattice,
} from '../../src/physics/metropolis-philox';
import { philox4x32 } from '../../src/physics/philox';
import { Rng } from '../../src/physics/rng';
import { philoxRun, temperatureSpins, twinSamples } from '../helpers/philox-samples';
import { estimate, sigmas } from '../helpers/sample';
import { exactByTransferMatrix } from '../helpers/transfer-matrix';

const TWO_POW_32 = 2 ** 32;

describe('acceptance thresholds', () => {
  it.each([
    [2.0, 1, 0],
    [0.7, 1.3, 0.25],
    [5, -1, -0.5],
  ])('T = %f, J = %f, h = %f: floor(p 2^32), or the always bit where p >= 1', (T, J, h) => {
    const table = acceptanceThresholds(T, J, h);
    for (let sIndex = 0; sIndex < 2; sIndex++) {
      for (let k = 0; k < 5; k++) {
        const entry = sIndex * 5 + k;
        const dE = 2 * (2 * sIndex - 1) * (J * (2 * k - 4) + h);
        const always = (table[ALWAYS_MASK] >>> entry) & 1;
        expect(always).toBe(dE <= 0 ? 1 : 0);
        if (!always) {
          expect(table[entry]).toBe(Math.floor(Math.exp(-dE / T) * TWO_POW_32));
          // P(u < t) = t / 2^32 is p to within 2^-32
          expect(Math.abs(table[entry] / TWO_POW_32 - Math.exp(-dE / T))).toBeLessThan(2 ** -32);
        }
      }
    }
  });
});

describe('refusals', () => {
  it('runs 2D Metropolis with even L only, and says why not otherwise', () => {
    expect(philoxRefusal({ dim: 2, L: 16, algorithm: 'metropolis' })).toBeNull();
    expect(philoxRefusal({ dim: 2, L: 16, algorithm: 'wolff' })).toMatch(/^wolff stays on the CPU/);
    expect(philoxRefusal({ dim: 1, L: 16, algorithm: 'metropolis' })).toMatch(/2D only.*not ergodic/);
    expect(philoxRefusal({ dim: 2, L: 15, algorithm: 'metropolis' })).toMatch(/even L \(L = 15\)/);
  });
});

/** The algorithm as metropolis-philox.ts states it, written plainly: site by site, one Philox call per site. */
function plainSweep(lattice: PhiloxLattice, T: number, replica: number, spins: Int8Array, sweep: number): void {
  const { L, J, h } = lattice;
  const [k0, k1] = chainKey(lattice.seed, T);
  const table = acceptanceThresholds(T, J, h);
  for (let colour = 0; colour < 2; colour++) {
    for (let j = 0; j < (L * L) / 2; j++) {
      const y = Math.floor(j / (L / 2));
      const x = 2 * (j % (L / 2)) + ((y + colour) & 1);
      const at = (xx: number, yy: number) => spins[((yy + L) % L) * L + ((xx + L) % L)];
      const s = at(x, y);
      const S = at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1);
      const entry = ((s + 1) / 2) * 5 + (S + 4) / 2;
      const u = philox4x32(Math.floor(j / 4), sweep, colour, replica, k0, k1)[j % 4];
      if ((table[ALWAYS_MASK] >>> entry) & 1 || u < table[entry]) spins[y * L + x] = -s;
    }
  }
}

describe('the twin', () => {
  it.each([
    [6, 2.3, 1, 0.2, 1],
    [8, 1.7, 0.9, -0.3, 0],
    [10, 3.1, 1, 0, 2],
  ])('L = %i, T = %f, J = %f, h = %f, replica %i: the plain algorithm, sweep by sweep', (L, T, J, h, replica) => {
    const lattice: PhiloxLattice = { L, J, h, init: 'random', seed: 3 };
    const twin = new PhiloxMetropolis(lattice, { T, replica });
    const [k0, k1] = chainKey(3, T);
    const start = Int8Array.from({ length: L * L }, (_, i) =>
      philox4x32(Math.floor(i / 4), 0, PHASE_INIT, replica, k0, k1)[i % 4] >= 2 ** 31 ? 1 : -1,
    );
    expect(twin.spins).toEqual(start);
    const plain = start.slice();
    for (let sweep = 0; sweep < 5; sweep++) {
      twin.sweeps(1);
      plainSweep(lattice, T, replica, plain, sweep);
      expect(twin.spins).toEqual(plain);
    }
  });

  it('wires every neighbour: at T -> 0 a site flips where at least two neighbours are anti-aligned', () => {
    const L = 12;
    const twin = new PhiloxMetropolis({ L, J: 1, h: 0, init: 'random', seed: 1 }, { T: 1e-9, replica: 0 });
    const rng = new Rng(5);
    const spins = Int8Array.from({ length: L * L }, () => (rng.nextU32() & 1 ? 1 : -1));
    twin.spins.set(spins);
    for (let sweep = 0; sweep < 3; sweep++) {
      for (let colour = 0; colour < 2; colour++) {
        for (let y = 0; y < L; y++) {
          for (let x = (y + colour) & 1; x < L; x += 2) {
            const s = spins[y * L + x];
            const n = [
              spins[y * L + ((x + L - 1) % L)],
              spins[y * L + ((x + 1) % L)],
              spins[((y + L - 1) % L) * L + x],
              spins[((y + 1) % L) * L + x],
            ];
            if (n.filter((v) => v !== s).length >= 2) spins[y * L + x] = -s;
          }
        }
      }
      twin.sweeps(1);
      expect(twin.spins).toEqual(spins);
    }
  });

  it('starts ordered or from its own random state per chain', () => {
    const lattice: PhiloxLattice = { L: 16, J: 1, h: 0, init: 'random', seed: 1 };
    const a = new PhiloxMetropolis(lattice, { T: 2, replica: 0 }).spins;
    const again = new PhiloxMetropolis(lattice, { T: 2, replica: 0 }).spins;
    const replica = new PhiloxMetropolis(lattice, { T: 2, replica: 1 }).spins;
    const otherT = new PhiloxMetropolis(lattice, { T: 2.5, replica: 0 }).spins;
    const otherSeed = new PhiloxMetropolis({ ...lattice, seed: 2 }, { T: 2, replica: 0 }).spins;
    expect(again).toEqual(a);
    for (const other of [replica, otherT, otherSeed]) expect(other).not.toEqual(a);
    const up = a.reduce((n, s) => n + (s === 1 ? 1 : 0), 0);
    expect(Math.abs(up - 128)).toBeLessThan(4 * Math.sqrt(64)); // 4 sigma of Binomial(256, 1/2)
    const ordered = new PhiloxMetropolis({ ...lattice, init: 'ordered' }, { T: 2, replica: 0 }).spins;
    expect(ordered.every((s) => s === 1)).toBe(true);
  });

  it('lays the chains out temperature by temperature, replica by replica', () => {
    expect(runChains({ temperatures: [2, 3], replicas: 2 })).toEqual([
      { T: 2, replica: 0 },
      { T: 2, replica: 1 },
      { T: 3, replica: 0 },
      { T: 3, replica: 1 },
    ]);
  });
});

describe('the twin against exact results', () => {
  it.each([1.8, TC, 3.0])('L = 4, T = %f: e, |m| and m² match enumeration', async (T) => {
    const run = philoxRun({ L: 4, temperatures: [T], replicas: 4, samples: 40_000, burnIn: 100, seed: 21 });
    const { e, absm, m2 } = estimate(temperatureSpins(run, await twinSamples(run), 0));
    const exact = enumerateIsing2D(4, T);
    expect(e.error).toBeLessThan(0.01);
    expect(Math.abs(sigmas(e, exact.e))).toBeLessThan(3);
    expect(Math.abs(sigmas(absm, exact.absm))).toBeLessThan(3);
    expect(Math.abs(sigmas(m2, exact.m2))).toBeLessThan(3);
  });

  it('L = 4 in a field (J = 0.8, h = 0.3, T = 2.5): e, |m| and m² match enumeration', async () => {
    const run = philoxRun({ L: 4, temperatures: [2.5], J: 0.8, h: 0.3, samples: 40_000, seed: 22 });
    const { e, absm, m2 } = estimate(temperatureSpins(run, await twinSamples(run), 0));
    const exact = enumerateIsing2D(4, 2.5, 0.8, 0.3);
    expect(Math.abs(sigmas(e, exact.e))).toBeLessThan(3);
    expect(Math.abs(sigmas(absm, exact.absm))).toBeLessThan(3);
    expect(Math.abs(sigmas(m2, exact.m2))).toBeLessThan(3);
  });

  it('L = 6 at three temperatures: e, |m| and m² match the transfer matrix', async () => {
    const run = philoxRun({ L: 6, temperatures: [1.8, TC, 3.0], replicas: 2, samples: 30_000, burnIn: 200, seed: 23 });
    const data = await twinSamples(run);
    run.temperatures.forEach((T, t) => {
      const { e, absm, m2 } = estimate(temperatureSpins(run, data, t));
      const exact = exactByTransferMatrix(6, T);
      expect(exact.e).toBeCloseTo(kaufmanEnergy(6, T), 10);
      expect(Math.abs(sigmas(e, exact.e)), `e at T = ${T}`).toBeLessThan(3);
      expect(Math.abs(sigmas(absm, exact.absm)), `|m| at T = ${T}`).toBeLessThan(3);
      expect(Math.abs(sigmas(m2, exact.m2)), `m² at T = ${T}`).toBeLessThan(3);
    });
  });

  it.each([16, 32])('L = %i: the energy at three temperatures matches Kaufman', async (L) => {
    const run = philoxRun({ L, temperatures: [2.0, 2.6, 3.5], samples: 4000, burnIn: 1000, thin: 2, seed: 24 });
    const data = await twinSamples(run);
    run.temperatures.forEach((T, t) => {
      const { e } = estimate(temperatureSpins(run, data, t));
      expect(e.error).toBeLessThan(0.005);
      expect(Math.abs(sigmas(e, kaufmanEnergy(L, T))), `T = ${T}`).toBeLessThan(3);
    });
  });
});
