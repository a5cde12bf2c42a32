/** Visible units from a spins value (±1 -> 1/0) or a tensor of values in [0, 1], checked. */
import type { Value } from '../graph/values';

export interface VisibleData {
  /** n x nv, row-major, values in [0, 1]. */
  data: Float32Array;
  n: number;
  nv: number;
  /** The shape of one sample (e.g. [40, 40]), so weights can be shown as lattices. */
  visibleShape: number[];
}

export function visibleFromValue(value: Value | undefined, what = 'data'): VisibleData {
  if (!value || (value.type !== 'spins' && value.type !== 'tensor')) {
    throw new Error(`${what}: expected spins or a tensor, got ${value ? value.type : 'nothing'}`);
  }
  const [n, ...visibleShape] = value.shape;
  const nv = visibleShape.reduce((a, b) => a * b, 1);
  if (!n || visibleShape.length === 0 || nv === 0) {
    throw new Error(`${what}: expected a shape [n, ...units] with n > 0, got [${value.shape.join(', ')}]`);
  }
  if (value.data.length !== n * nv) {
    throw new Error(
      `${what}: shape [${value.shape.join(', ')}] holds ${n * nv} values but the data has ${value.data.length}`,
    );
  }
  if (value.type === 'spins') {
    const data = new Float32Array(n * nv);
    for (let i = 0; i < data.length; i++) {
      const s = value.data[i];
      if (s !== 1 && s !== -1)
        throw new Error(`${what}: spin ${s} at sample ${Math.floor(i / nv)}, site ${i % nv} is not ±1`);
      data[i] = s > 0 ? 1 : 0;
    }
    return { data, n, nv, visibleShape };
  }
  const data = value.data;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (!(x >= 0 && x <= 1)) {
      const where = `row ${Math.floor(i / nv)}, unit ${i % nv}`;
      throw new Error(
        Number.isNaN(x) ? `${what}: NaN at ${where}` : `${what}: value ${x} at ${where} is outside [0, 1]`,
      );
    }
  }
  return { data, n, nv, visibleShape };
}

/**
 * Visible states (1/0, or probabilities thresholded at 1/2) as spins ±1. A loop, not Int8Array.from with
 * a mapping function: that one collects every value into a plain array first, 25 times slower here and
 * a heap of gigabytes for 20,000 samples of 40 × 40.
 */
export function spinsFromStates(states: Float32Array): Int8Array {
  const spins = new Int8Array(states.length);
  for (let i = 0; i < states.length; i++) spins[i] = states[i] > 0.5 ? 1 : -1;
  return spins;
}
