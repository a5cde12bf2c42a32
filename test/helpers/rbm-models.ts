/** Small RBMs with random parameters, for the ML tests. */
import type { RbmValue } from '../../src/graph/values';
import { Rng } from '../../src/physics/rng';

function gaussian(rng: Rng): () => number {
  return () => {
    const u = 1 - rng.next();
    const v = rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** A model with weights and biases drawn from N(0, sigma^2). */
export function randomModel(nv: number, nh: number, seed: number, sigma = 0.5): RbmValue {
  const g = gaussian(new Rng(seed));
  return {
    type: 'rbm',
    nv,
    nh,
    W: Float32Array.from({ length: nv * nh }, () => sigma * g()),
    vbias: Float32Array.from({ length: nv }, () => sigma * g()),
    hbias: Float32Array.from({ length: nh }, () => sigma * g()),
    visibleShape: [nv],
    training: {},
  };
}
