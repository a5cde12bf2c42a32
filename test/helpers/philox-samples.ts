/** Samples of the Philox checkerboard kernel (the JavaScript twin) in the Lattice Generator's layout, for tests. */
import type { SpinsValue } from '../../src/graph/values';
import { runChains, runPhiloxChain, samplesPerReplica, type PhiloxRun } from '../../src/physics/metropolis-philox';

/** A run with the usual test defaults. */
export function philoxRun(run: Partial<PhiloxRun> & Pick<PhiloxRun, 'L' | 'temperatures'>): PhiloxRun {
  return { replicas: 1, J: 1, h: 0, samples: 1000, burnIn: 200, thin: 1, init: 'random', seed: 1, ...run };
}

/** Every chain of the run, replica after replica, temperature after temperature: rows c * perReplica + k. */
export async function twinSamples(run: PhiloxRun): Promise<Int8Array> {
  const N = run.L * run.L;
  const perReplica = samplesPerReplica(run);
  const chains = runChains(run);
  const out = new Int8Array(chains.length * perReplica * N);
  for (let c = 0; c < chains.length; c++) {
    const schedule = { count: perReplica, burnIn: run.burnIn, thin: run.thin };
    await runPhiloxChain(run, chains[c], schedule, out.subarray(c * perReplica * N), { afterSweep() {} });
  }
  return out;
}

/** Temperature t's samples (all its replicas, in order) as a spins value. */
export function temperatureSpins(run: PhiloxRun, data: Int8Array, t: number): SpinsValue {
  const N = run.L * run.L;
  const rows = run.samples;
  return {
    type: 'spins',
    shape: [rows, run.L, run.L],
    data: data.subarray(t * rows * N, (t + 1) * rows * N),
    T: new Float64Array(rows).fill(run.temperatures[t]),
    meta: { model: 'ising', dim: 2, L: run.L, J: run.J, h: run.h, boundary: 'periodic', blockFactor: 1 },
  };
}
