/** Integrated autocorrelation times (Sokal's window) and the thirds-drift thermalisation diagnostic. */
import { describe, expect, it } from 'vitest';
import { integratedAutocorrelation, thirdsDrift } from '../../src/physics/autocorrelation';
import { TC } from '../../src/physics/exact';
import { energyMagnetisation } from '../../src/physics/observables';
import { ar1 } from '../helpers/ar1';
import { sample } from '../helpers/sample';

describe('integratedAutocorrelation', () => {
  it.each([
    [0, 1],
    [0.5, 2],
    [0.9, 3],
    [0.98, 4],
  ])('gives the exact tau of AR(1) with a = %f within 4 Madras–Sokal errors', (a, seed) => {
    const n = 200_000;
    const exact = (1 + a) / (2 * (1 - a));
    const r = integratedAutocorrelation(ar1(n, a, seed));
    expect(r.converged).toBe(true);
    expect(r.window).toBeGreaterThanOrEqual(6 * r.tau);
    expect(r.window - 1).toBeLessThan(6 * exact + 10);
    // The Madras–Sokal error, sqrt(2 (2W + 1) / n) tau, is 0.4 % to 7 % here.
    expect(r.error / r.tau).toBeCloseTo(Math.sqrt((2 * (2 * r.window + 1)) / n), 12);
    expect(Math.abs(r.tau - exact), `tau ${r.tau} vs ${exact} ± ${r.error}`).toBeLessThan(4 * r.error);
  });

  it('is NaN for constant or too-short series, and says when the window did not fit', () => {
    expect(integratedAutocorrelation(new Float64Array(100).fill(3)).tau).toBeNaN();
    expect(integratedAutocorrelation([1]).tau).toBeNaN();
    const short = integratedAutocorrelation(ar1(200, 0.995, 9)); // tau about 400 stored points
    expect(short.converged).toBe(false);
    expect(short.window).toBe(50);
  });

  it('sees critical slowing down: at Tc (L = 16) Metropolis decorrelates far more slowly than Wolff', async () => {
    const spec = { L: 16, T: TC, samples: 40_000, burnIn: 500, thin: 1, seed: 3 } as const;
    const metropolis = energyMagnetisation(await sample({ ...spec, algorithm: 'metropolis' }));
    const wolff = energyMagnetisation(await sample({ ...spec, algorithm: 'wolff' }));
    const tau = (x: Float64Array) => integratedAutocorrelation(x);
    const [mE, wE] = [tau(metropolis.e), tau(wolff.e)];
    const [mA, wA] = [tau(metropolis.m.map(Math.abs)), tau(wolff.m.map(Math.abs))];
    console.log(
      `L = 16, T = Tc, tau in sweeps: Metropolis e ${mE.tau.toFixed(2)} ± ${mE.error.toFixed(2)}, |m| ${mA.tau.toFixed(2)} ± ${mA.error.toFixed(2)}; ` +
        `Wolff e ${wE.tau.toFixed(2)} ± ${wE.error.toFixed(2)}, |m| ${wA.tau.toFixed(2)} ± ${wA.error.toFixed(2)}`,
    );
    for (const r of [mE, wE, mA, wA]) expect(r.converged).toBe(true);
    // Far apart in units of their errors, and by a large factor.
    expect(mE.tau - wE.tau).toBeGreaterThan(5 * Math.hypot(mE.error, wE.error));
    expect(mA.tau - wA.tau).toBeGreaterThan(5 * Math.hypot(mA.error, wA.error));
    expect(mA.tau / wA.tau).toBeGreaterThan(5);
  });
});

describe('thirdsDrift', () => {
  it('is a few sigma at most for a stationary series and large for a trend', () => {
    const x = ar1(30_000, 0.9, 5);
    expect(Math.abs(thirdsDrift(x).sigma)).toBeLessThan(4);
    const trend = x.map((v, i) => v + (2 * i) / x.length);
    const d = thirdsDrift(trend);
    expect(d.sigma).toBeGreaterThan(10);
    expect(d.last.mean - d.first.mean).toBeCloseTo(d.sigma * Math.hypot(d.first.error, d.last.error), 12);
    expect(thirdsDrift(trend.map((v) => -v)).sigma).toBeCloseTo(-d.sigma, 10);
    expect(thirdsDrift([1, 2, 3, 4, 5]).sigma).toBeNaN();
  });

  it('flags a Metropolis chain started ordered just above Tc without burn-in, not a burnt-in Wolff chain', async () => {
    // Ordered at T = 2.4 (L = 64) the energy takes hundreds of sweeps to rise to equilibrium. (Ordered at
    // T = 3 it relaxes in 2-3 sweeps, so with thin 1 the transient is a sample or two and drift_sigma is
    // 1-2: too short to see.)
    const cold = energyMagnetisation(
      await sample({ L: 64, T: 2.4, algorithm: 'metropolis', init: 'ordered', burnIn: 0, samples: 100, seed: 4 }),
    );
    const hot = energyMagnetisation(
      await sample({ L: 32, T: 3, algorithm: 'wolff', burnIn: 200, samples: 3000, seed: 4 }),
    );
    const [dCold, dHot] = [thirdsDrift(cold.e), thirdsDrift(hot.e)];
    console.log(
      `drift_sigma: ordered, no burn-in (L = 64, T = 2.4) ${dCold.sigma.toFixed(1)}; Wolff burnt in (L = 32, T = 3) ${dHot.sigma.toFixed(2)}`,
    );
    expect(dCold.sigma).toBeGreaterThan(4); // positive: the energy rises from -2
    expect(Math.abs(dHot.sigma)).toBeLessThan(3);
  });
});
