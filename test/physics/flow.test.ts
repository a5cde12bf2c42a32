/** Effective temperatures along a flow: the energy inverted through the exact curve of the same lattice. */
import { describe, expect, it } from 'vitest';
import { latticeNode } from '../../nodes/lattice/index';
import type { SpinsValue } from '../../src/graph/values';
import { TC, chainEnergy, exactEnergy2D } from '../../src/physics/exact';
import { effectiveTemperature, flowSeries, measureFlowPoints } from '../../src/physics/flow';
import { mulberry32 } from '../helpers/random';
import { runNode } from '../helpers/run-node';

async function lattice(params: Record<string, unknown>): Promise<SpinsValue> {
  return (await runNode(latticeNode, {}, params)).outputs.spins as SpinsValue;
}

describe('effectiveTemperature', () => {
  it('inverts the exact finite-L energy in 2D and the chain energy in 1D', () => {
    for (const T of [1.2, 2.0, TC, 3.5]) {
      expect(effectiveTemperature(exactEnergy2D(8, T), 2, 8, 1)).toBeCloseTo(T, 8);
      expect(effectiveTemperature(chainEnergy(100, T), 1, 100, 1)).toBeCloseTo(T, 10);
      expect(effectiveTemperature(chainEnergy(8, T), 1, 8, 1)).toBeCloseTo(T, 10);
    }
    expect(effectiveTemperature(chainEnergy(6, 4, 2), 1, 6, 2)).toBeCloseTo(4, 10);
  });

  it('uses the own N of a 1D chain: an N = 8 chain at T = 1 gives back T = 1, not the 0.87 of the infinite chain', () => {
    const e = chainEnergy(8, 1); // -(t + t^7) / (1 + t^8), t = tanh 1
    expect(effectiveTemperature(e, 1, 8, 1)).toBeCloseTo(1, 12);
    // What inverting the infinite chain's -tanh(1/T) gave: 13 % low.
    expect(1 / Math.atanh(-e)).toBeCloseTo(0.87, 2);
    expect(effectiveTemperature(e, 1, 1000, 1)).toBeCloseTo(1 / Math.atanh(-e), 10);
  });

  it('is NaN where no temperature has that energy', () => {
    expect(effectiveTemperature(0.1, 2, 8, 1)).toBeNaN();
    expect(effectiveTemperature(0.1, 1, 8, 1)).toBeNaN();
    expect(effectiveTemperature(-1, 1, 8, 1)).toBeNaN(); // T = 0 exactly: below the bracket
  });
});

describe('measureFlowPoints', () => {
  it('gives back the temperature Monte Carlo samples were drawn at, within a few standard errors (2D, 1D)', async () => {
    const spins2d = await lattice({ L: 8, T: [1.8, 3.0], samples: 4000, burnIn: 200, thin: 2, seed: 4 });
    const spins1d = await lattice({ dim: 1, L: 64, T: 1.5, samples: 4000, burnIn: 200, thin: 2, seed: 4 });
    const points = [...measureFlowPoints(spins2d), ...measureFlowPoints(spins1d)];
    expect(points.map((p) => [p.T0, p.L])).toEqual([
      [1.8, 8],
      [3.0, 8],
      [1.5, 64],
    ]);
    for (const p of points) {
      expect(p.TeffErr).toBeGreaterThan(0);
      expect(p.TeffErr).toBeLessThan(0.05);
      expect(Math.abs(p.Teff - p.T0) / p.TeffErr, `T0 = ${p.T0}`).toBeLessThan(4);
    }
  });

  it('gives back T = 1 for exact samples of a periodic N = 8 chain, within a few standard errors', () => {
    // Exact periodic-chain samples: independent bonds s_i s_{i+1} = +1 with probability (1 + tanh K) / 2,
    // kept when their product is +1 (a closed ring).
    const [N, n, K] = [8, 20_000, 1];
    const random = mulberry32(8);
    const data = new Int8Array(n * N);
    for (let k = 0; k < n;) {
      const bonds = Array.from({ length: N }, (): number => (random() < (1 + Math.tanh(K)) / 2 ? 1 : -1));
      if (bonds.reduce((a, b) => a * b, 1) !== 1) continue;
      let s = random() < 0.5 ? 1 : -1;
      for (let i = 0; i < N; i++, s *= bonds[i - 1]) data[k * N + i] = s;
      k++;
    }
    const spins: SpinsValue = {
      type: 'spins',
      shape: [n, N],
      data,
      T: new Float64Array(n).fill(1 / K),
      meta: { model: 'ising', dim: 1, L: N, J: 1, h: 0, boundary: 'periodic', blockFactor: 1 },
    };
    const [p] = measureFlowPoints(spins);
    expect(p.TeffErr).toBeGreaterThan(0);
    expect(p.TeffErr).toBeLessThan(0.02);
    expect(Math.abs(p.Teff - 1) / p.TeffErr).toBeLessThan(4);
  });

  it('ignores the field: only the bonds count', async () => {
    const spins = await lattice({ L: 8, T: 2.5, h: 0.3, algorithm: 'metropolis', samples: 200, burnIn: 100, seed: 2 });
    const withoutField = measureFlowPoints({ ...spins, meta: { ...spins.meta, h: 0 } });
    expect(measureFlowPoints(spins)).toEqual(withoutField);
  });
});

describe('flowSeries', () => {
  it('lays out one curve per starting temperature over the steps, with T_c as a line in 2D', async () => {
    const spins = await lattice({ L: 8, T: [1.8, 3.0], samples: 100, burnIn: 100, seed: 1 });
    const step = measureFlowPoints(spins);
    const series = flowSeries([step, step, step], 2, 'step');
    expect(series.x).toEqual([0, 1, 2]);
    expect(series.curves.map((c) => c.name)).toEqual(['T₀ = 1.8', 'T₀ = 3', 'T_c (exact)']);
    expect(series.curves[0].y).toEqual([step[0].Teff, step[0].Teff, step[0].Teff]);
    expect(series.curves[2]).toMatchObject({ style: 'line', y: [TC, TC, TC] });
    expect(flowSeries([step], 1, 'step').curves.map((c) => c.name)).toEqual(['T₀ = 1.8', 'T₀ = 3']);
  });
});
