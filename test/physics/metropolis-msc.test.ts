/**
 * The multi-spin-coded Metropolis kernel at any even L with 8 to 32 lanes per word: the neighbour wiring
 * against a direct checkerboard update (at T -> 0 the rule is deterministic: flip where at least two
 * neighbours are anti-aligned), and the chain's energy against Kaufman.
 */
import { describe, expect, it } from 'vitest';
import { kaufmanEnergy } from '../../src/physics/exact';
import { canUseMultiSpin, lanesFor, MultiSpinMetropolis } from '../../src/physics/metropolis-msc';
import { Rng } from '../../src/physics/rng';
import { estimate, sample, sigmas } from '../helpers/sample';

/** One checkerboard sweep at zero temperature, site by site: flip where dE < 0, or dE = 0 (c = 2). */
function zeroTemperatureSweep(spins: Int8Array, L: number): void {
  for (let parity = 0; parity < 2; parity++) {
    for (let y = 0; y < L; y++) {
      for (let x = (y + parity) & 1; x < L; x += 2) {
        const s = spins[y * L + x];
        const neighbours = [
          spins[y * L + ((x + L - 1) % L)],
          spins[y * L + ((x + 1) % L)],
          spins[((y + L - 1) % L) * L + x],
          spins[((y + 1) % L) * L + x],
        ];
        const antiAligned = neighbours.filter((n) => n !== s).length;
        if (antiAligned >= 2) spins[y * L + x] = -s as -1 | 1;
      }
    }
  }
}

function randomSpins(L: number, seed: number): Int8Array {
  const rng = new Rng(seed);
  return Int8Array.from({ length: L * L }, () => (rng.nextU32() & 1 ? 1 : -1));
}

describe('multi-spin-coded Metropolis', () => {
  it('packs as many lanes per word as L allows', () => {
    expect([16, 24, 30, 40, 64, 100, 128, 1000, 1024].map(lanesFor)).toEqual([8, 12, 15, 20, 32, 25, 32, 25, 32]);
    expect(lanesFor(33)).toBeNull(); // odd: no checkerboard
    expect(lanesFor(14)).toBeNull(); // 7 lanes: no faster than the scalar kernel
    expect(canUseMultiSpin(2, 40, 1, 0)).toBe(true);
    expect(canUseMultiSpin(2, 40, 1, 0.1)).toBe(false);
    expect(canUseMultiSpin(1, 64, 1, 0)).toBe(false);
  });

  it.each([16, 24, 30, 40, 64, 100, 200])('L = %i: wires every neighbour as the lattice does (T -> 0)', (L) => {
    const spins = randomSpins(L, L);
    const msc = new MultiSpinMetropolis(L, 1e-9, 1, new Rng(1));
    msc.load(spins);
    const round = new Int8Array(L * L);
    msc.store(round);
    expect(round).toEqual(spins);
    for (let sweep = 0; sweep < 3; sweep++) {
      msc.sweeps(1);
      zeroTemperatureSweep(spins, L);
      msc.store(round);
      expect(round).toEqual(spins);
    }
  });

  it.each([
    [40, 2.0],
    [40, 2.6],
    [40, 3.5],
    [24, 2.269185],
    [100, 2.6],
  ])('L = %i: energy at T = %f matches Kaufman', async (L, T) => {
    expect(canUseMultiSpin(2, L, 1, 0)).toBe(true); // so the chain runs on this kernel
    const spins = await sample({ L, T, algorithm: 'metropolis', samples: 4000, burnIn: 2000, thin: 2, seed: 21 });
    const { e } = estimate(spins);
    expect(e.error).toBeLessThan(0.01);
    expect(Math.abs(sigmas(e, kaufmanEnergy(L, T)))).toBeLessThan(3);
  });
});
