/** Effective temperatures along a flow: the energy inverted through the exact curve of the same lattice. */
import { describe, expect, it } from 'vitest';
import { latticeNode } from '../../nodes/lattice/index';
import type { SpinsValue } from '../../src/graph/values';
import { TC, exactEnergy2D } from '../../src/physics/exact';
import { effectiveTemperature, flowSeries, measureFlowPoints } from '../../src/physics/flow';
import { runNode } from '../helpers/run-node';

async function lattice(params: Record<string, unknown>): Promise<SpinsValue> {
  return (await runNode(latticeNode, {}, params)).outputs.spins as SpinsValue;
}

describe('effectiveTemperature', () => {
  it('inverts the exact finite-L energy in 2D and the chain energy in 1D', () => {
    for (const T of [1.2, 2.0, TC, 3.5]) {
      expect(effectiveTemperature(exactEnergy2D(8, T), 2, 8, 1)).toBeCloseTo(T, 8);
      expect(effectiveTemperature(-Math.tanh(1 / T), 1, 100, 1)).toBeCloseTo(T, 10);
    }
    expect(effectiveTemperature(-2 * Math.tanh(0.5), 1, 100, 2)).toBeCloseTo(4, 10);
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
