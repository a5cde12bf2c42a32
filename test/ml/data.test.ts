/** Visible units from values (src/ml/data.ts): spins map +1 -> 1, -1 -> 0; tensors must lie in [0, 1]. */
import { describe, expect, it } from 'vitest';
import type { SpinsValue, TableValue, TensorValue } from '../../src/graph/values';
import { spinsFromStates, visibleFromValue } from '../../src/ml/data';

function spins(shape: number[], values: number[]): SpinsValue {
  return {
    type: 'spins',
    shape,
    data: Int8Array.from(values),
    T: new Float64Array(shape[0]).fill(2),
    meta: { model: 'ising' },
  };
}

function tensor(shape: number[], values: number[]): TensorValue {
  return { type: 'tensor', shape, data: Float32Array.from(values), meta: {} };
}

describe('visibleFromValue', () => {
  it('maps spins +1 -> 1 and -1 -> 0 and keeps the lattice shape', () => {
    const value = spins([2, 2, 3], [1, -1, 1, 1, -1, -1, -1, -1, 1, -1, 1, 1]);
    const visible = visibleFromValue(value);
    expect(visible.n).toBe(2);
    expect(visible.nv).toBe(6);
    expect(visible.visibleShape).toEqual([2, 3]);
    expect(Array.from(visible.data)).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1]);
    expect(visible.data).toBeInstanceOf(Float32Array);
    // A 1D chain keeps its one-axis shape.
    expect(visibleFromValue(spins([1, 4], [1, 1, -1, 1])).visibleShape).toEqual([4]);
  });

  it('refuses spins that are not +-1, naming the sample and site', () => {
    const value = spins([2, 3], [1, -1, 1, 1, 0, -1]);
    expect(() => visibleFromValue(value)).toThrow('data: spin 0 at sample 1, site 1 is not ±1');
    expect(() => visibleFromValue(spins([1, 2], [2, 1]), 'init')).toThrow(/^init: spin 2 at sample 0, site 0/);
  });

  it('passes tensors of values in [0, 1] through, fractional values included', () => {
    const value = tensor([2, 3], [0, 0.25, 1, 1, 0.5, 0]);
    const visible = visibleFromValue(value);
    expect(visible).toMatchObject({ n: 2, nv: 3, visibleShape: [3] });
    expect(Array.from(visible.data)).toEqual([0, 0.25, 1, 1, 0.5, 0]);
  });

  it('refuses tensor values outside [0, 1] and NaN, naming the row and unit', () => {
    expect(() => visibleFromValue(tensor([2, 3], [0, 1, 0, 1, 1.5, 0]))).toThrow(
      'data: value 1.5 at row 1, unit 1 is outside [0, 1]',
    );
    expect(() => visibleFromValue(tensor([2, 2], [0, -0.25, 0, 1]))).toThrow(
      /value -0.25 at row 0, unit 1 is outside \[0, 1\]/,
    );
    expect(() => visibleFromValue(tensor([2, 2], [0, 1, NaN, 1]))).toThrow('data: NaN at row 1, unit 0');
    expect(() => visibleFromValue(tensor([1, 2], [Infinity, 1]))).toThrow(/outside \[0, 1\]/);
  });

  it('refuses other value types, missing values and inconsistent shapes', () => {
    const table: TableValue = { type: 'table', columns: ['a'], rows: [[1]] };
    expect(() => visibleFromValue(table)).toThrow('data: expected spins or a tensor, got table');
    expect(() => visibleFromValue(undefined)).toThrow('expected spins or a tensor, got nothing');
    expect(() => visibleFromValue(tensor([2, 3], [0, 1, 0, 1, 0]))).toThrow(
      'shape [2, 3] holds 6 values but the data has 5',
    );
    expect(() => visibleFromValue(tensor([3], [0, 1, 0]))).toThrow(/expected a shape \[n, \.\.\.units\] with n > 0/);
    expect(() => visibleFromValue(tensor([0, 3], []))).toThrow(/with n > 0, got \[0, 3\]/);
  });
});

describe('spinsFromStates', () => {
  it('maps states 1/0 (and probabilities about 1/2) to spins ±1, and back through visibleFromValue', () => {
    expect(Array.from(spinsFromStates(Float32Array.from([1, 0, 0.7, 0.5, 0.2])))).toEqual([1, -1, 1, -1, -1]);
    const states = Float32Array.from([1, 0, 0, 1, 1, 0]);
    const value = spins([2, 3], Array.from(spinsFromStates(states)));
    expect(Array.from(visibleFromValue(value).data)).toEqual(Array.from(states));
  });
});
