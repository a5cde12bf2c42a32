/** Draws Ising samples as a spins value, straight from the chain kernel (no engine), for physics tests. */
import type { SpinsValue } from '../../src/graph/values';
import { runChain, type ChainSpec } from '../../src/physics/ising-chain';
import { binningAnalysis, jackknifeBinned, type BinningResult } from '../../src/physics/binning';
import { energyMagnetisation } from '../../src/physics/observables';

export async function sample(spec: Partial<ChainSpec> & Pick<ChainSpec, 'L' | 'T' | 'algorithm'>): Promise<SpinsValue> {
  const full: ChainSpec = {
    dim: 2,
    J: 1,
    h: 0,
    samples: 10_000,
    burnIn: 1000,
    thin: 1,
    init: 'random',
    seed: 1,
    ...spec,
  };
  const N = full.dim === 1 ? full.L : full.L * full.L;
  const data = new Int8Array(full.samples * N);
  await runChain(full, data, { afterSweep() {} });
  return {
    type: 'spins',
    shape: [full.samples, ...(full.dim === 1 ? [full.L] : [full.L, full.L])],
    data,
    T: new Float64Array(full.samples).fill(full.T),
    meta: { model: 'ising', dim: full.dim, L: full.L, J: full.J, h: full.h, boundary: 'periodic', blockFactor: 1 },
  };
}

export interface Estimates {
  e: BinningResult;
  absm: BinningResult;
  m2: BinningResult;
  binder: BinningResult;
}

/** Energy, |m|, m^2 and the Binder cumulant of a sample set, with binned (jackknife) errors. */
export function estimate(spins: SpinsValue): Estimates {
  const { e, m } = energyMagnetisation(spins);
  const absm = m.map(Math.abs);
  const m2 = m.map((x) => x * x);
  const m4 = m2.map((x) => x * x);
  return {
    e: binningAnalysis(e),
    absm: binningAnalysis(absm),
    m2: binningAnalysis(m2),
    binder: jackknifeBinned([m2, m4], ([a, b]) => 1 - b / (3 * a * a)),
  };
}

/** (measured - exact) / error: how many standard errors a measurement is off. */
export function sigmas(measured: BinningResult, exact: number): number {
  return (measured.mean - exact) / measured.error;
}
