/**
 * The samplers against exact results: each comparison is within 3 standard errors estimated by
 * binning, with enough samples that a wrong algorithm (a missing factor 2 in dE, a biased Wolff stop
 * rule, a wrong bond probability) is many errors off.
 */
import { describe, expect, it } from 'vitest';
import { TC, chainCorrelation, enumerateIsing2D, kaufmanEnergy } from '../../src/physics/exact';
import type { Algorithm } from '../../src/physics/ising-chain';
import { blockSpins } from '../../src/physics/blockspin';
import { Rng } from '../../src/physics/rng';
import { estimate, sample, sigmas } from '../helpers/sample';

const ALGORITHMS: Algorithm[] = ['metropolis', 'wolff', 'swendsen-wang'];

describe.each(ALGORITHMS)('%s', (algorithm) => {
  it.each([1.5, 2.0, TC, 3.0])('L = 8: energy per spin at T = %f matches Kaufman', async (T) => {
    const spins = await sample({ L: 8, T, algorithm, samples: 20_000, seed: 11 });
    const { e } = estimate(spins);
    expect(e.error).toBeGreaterThan(0);
    expect(e.error).toBeLessThan(0.01);
    expect(Math.abs(sigmas(e, kaufmanEnergy(8, T)))).toBeLessThan(3);
  });

  it('L = 4, T = 2: <|m|> and <m²> match exact enumeration', async () => {
    const exact = enumerateIsing2D(4, 2.0);
    const spins = await sample({ L: 4, T: 2.0, algorithm, samples: 40_000, seed: 12 });
    const { absm, m2, e } = estimate(spins);
    expect(exact.absm).toBeCloseTo(0.918943267402, 10);
    expect(Math.abs(sigmas(absm, exact.absm))).toBeLessThan(3);
    expect(Math.abs(sigmas(m2, exact.m2))).toBeLessThan(3);
    expect(Math.abs(sigmas(e, exact.e))).toBeLessThan(3);
  });
});

describe('cluster algorithms where they differ most from a biased variant', () => {
  it('Wolff at L = 32, T = 3 (small clusters: a flip-count stop rule would be ~20 errors off)', async () => {
    const spins = await sample({ L: 32, T: 3.0, algorithm: 'wolff', samples: 20_000, seed: 13 });
    const { e } = estimate(spins);
    expect(Math.abs(sigmas(e, kaufmanEnergy(32, 3.0)))).toBeLessThan(3);
  });

  it('Swendsen–Wang at L = 32, T = 2.5', async () => {
    const spins = await sample({ L: 32, T: 2.5, algorithm: 'swendsen-wang', samples: 10_000, seed: 14 });
    expect(Math.abs(sigmas(estimate(spins).e, kaufmanEnergy(32, 2.5)))).toBeLessThan(3);
  });
});

describe('multi-spin-coded Metropolis (L divisible by 64)', () => {
  it.each([2.0, 2.6, 3.5])('L = 64: energy at T = %f matches Kaufman', async (T) => {
    const spins = await sample({ L: 64, T, algorithm: 'metropolis', samples: 4000, burnIn: 2000, thin: 2, seed: 15 });
    const { e } = estimate(spins);
    expect(e.error).toBeLessThan(0.002);
    expect(Math.abs(sigmas(e, kaufmanEnergy(64, T)))).toBeLessThan(3);
  });
});

describe('finite-size scaling at Tc', () => {
  it('the Binder cumulant at Tc is near U* = 0.61069 for L = 8 and 16', async () => {
    for (const L of [8, 16]) {
      const { binder } = estimate(await sample({ L, T: TC, algorithm: 'wolff', samples: 40_000, seed: 16 }));
      // finite-size corrections at these sizes are below 0.005
      expect(Math.abs(binder.mean - 0.61069)).toBeLessThan(3 * binder.error + 0.005);
      expect(binder.error).toBeLessThan(0.005);
    }
  });

  it('Binder curves for L = 8 and 16 cross near Tc', async () => {
    const temperatures = [2.15, 2.2, 2.25, 2.3, 2.35, 2.4];
    const U = async (L: number, T: number) =>
      estimate(await sample({ L, T, algorithm: 'wolff', samples: 20_000, seed: 17 })).binder;
    const diff: number[] = [];
    for (const T of temperatures) diff.push((await U(16, T)).mean - (await U(8, T)).mean);
    // L = 16 is more ordered below Tc and less above it
    expect(diff[0]).toBeGreaterThan(0.01);
    expect(diff.at(-1)).toBeLessThan(-0.01);
    const i = diff.findIndex((d, k) => k > 0 && diff[k - 1] > 0 && d <= 0);
    const crossing =
      temperatures[i - 1] + ((temperatures[i] - temperatures[i - 1]) * diff[i - 1]) / (diff[i - 1] - diff[i]);
    expect(Math.abs(crossing - TC)).toBeLessThan(0.03);
  });
});

describe('1D chain', () => {
  it('nearest-neighbour correlation matches the finite periodic formula', async () => {
    for (const T of [0.8, 1.5, 3.0]) {
      const spins = await sample({
        dim: 1,
        L: 24,
        T,
        algorithm: 'metropolis',
        samples: 20_000,
        burnIn: 500,
        thin: 2,
        seed: 18,
      });
      // in 1D the energy per spin is -<s_i s_{i+1}>
      const { e } = estimate(spins);
      expect(Math.abs(sigmas(e, -chainCorrelation(24, T, 1)))).toBeLessThan(3);
    }
  });
});

describe("1D decimation: the block chain has tanh K' = tanh^b K", () => {
  it.each([2, 3])(
    "b = %i: the decimated chain's nearest-neighbour correlation is the original's at distance b",
    async (b) => {
      const N = 36;
      const T = 1.2;
      const spins = await sample({
        dim: 1,
        L: N,
        T,
        algorithm: 'wolff',
        samples: 20_000,
        burnIn: 200,
        thin: 2,
        seed: 19,
      });
      const blocked = blockSpins(
        spins.data,
        20_000,
        { dim: 1, L: N, b, rule: 'decimation', tieBreak: 'random' },
        new Rng(1),
      );
      const decimated = { ...spins, shape: [20_000, N / b], data: blocked, meta: { ...spins.meta, L: N / b } };
      const { e } = estimate(decimated);
      // exact for the periodic chain, and within 1e-4 of the infinite chain's tanh^b K at this size
      expect(Math.abs(sigmas(e, -chainCorrelation(N, T, b)))).toBeLessThan(3);
      expect(Math.abs(chainCorrelation(N, T, b) - Math.tanh(1 / T) ** b)).toBeLessThan(1e-4);
    },
  );
});

describe('majority-rule block spins flow away from Tc', () => {
  const block = (spins: Awaited<ReturnType<typeof sample>>, L: number) => ({
    ...spins,
    shape: [spins.shape[0], L / 2, L / 2],
    data: blockSpins(spins.data, spins.shape[0], { dim: 2, L, b: 2, rule: 'majority', tieBreak: 'random' }, new Rng(2)),
    meta: { ...spins.meta, L: L / 2 },
  });

  it('an ordered state (T = 1.5) stays ordered and T = infinity noise stays disordered', async () => {
    const cold = await sample({ L: 32, T: 1.5, algorithm: 'wolff', samples: 2000, seed: 20 });
    const coldBlocks = estimate(block(cold, 32));
    expect(coldBlocks.absm.mean).toBeGreaterThan(estimate(cold).absm.mean);
    const rng = new Rng(3);
    const noise = { ...cold, data: cold.data.map(() => (rng.nextU32() & 1 ? 1 : -1)) };
    const noiseBlocks = estimate(block(noise, 32));
    expect(Math.abs(noiseBlocks.e.mean)).toBeLessThan(3 * noiseBlocks.e.error);
    expect(noiseBlocks.absm.mean).toBeLessThan(0.1);
  });

  it('above Tc the nearest-neighbour correlation drops, below Tc it rises', async () => {
    // in 2D the energy per spin is -2 <s_i s_j> over nearest neighbours
    for (const [T, direction] of [
      [2.6, -1],
      [2.0, 1],
    ]) {
      const spins = await sample({ L: 32, T, algorithm: 'wolff', samples: 4000, seed: 21 });
      const before = estimate(spins).e;
      const after = estimate(block(spins, 32)).e;
      const change = -(after.mean - before.mean) / 2;
      expect(Math.sign(change)).toBe(direction);
      expect(Math.abs(change)).toBeGreaterThan(5 * Math.hypot(before.error, after.error));
    }
  });
});
