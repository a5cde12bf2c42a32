/**
 * Data files and their records: what a dropped file is recorded as (spins, a tensor, a model), and every
 * value checked when the file is read back: spins ±1, values in [0, 1], temperatures > 0 or NaN and one
 * per sample, and a file that is not what the graph recorded.
 */
import { describe, expect, it } from 'vitest';
import {
  dataFileRecord,
  describeDataFile,
  readModel,
  readSpins,
  readTensor,
  type ModelRecord,
  type SpinsRecord,
  type TensorRecord,
} from '../../src/graph/data-file';
import { encodeNpy } from '../../src/graph/npy';
import { rbmLayers, rbmToNpz } from '../../src/graph/rbm-npz';
import { randomModel } from '../helpers/rbm-models';

const couplings = { J: 1, h: 0 };
const spinsBytes = (values: number[], shape: number[]) => encodeNpy(Int8Array.from(values), shape);
const file = (name: string, bytes: Uint8Array) => ({ name, bytes });

describe('describeDataFile', () => {
  it('records int8 spins with their temperatures, float values as a tensor, and an RBM .npz as a model', async () => {
    const spins = spinsBytes([1, -1, 1, 1, -1, -1, 1, 1], [2, 2, 2]);
    const T = encodeNpy(new Float64Array([2, 3]), [2]);
    const record = await describeDataFile(file('s.npy', spins), file('s.T.npy', T));
    expect(record).toEqual({
      kind: 'spins',
      name: 's.npy',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      bytes: spins.length,
      dtype: 'int8',
      shape: [2, 2, 2],
      temperatures: { name: 's.T.npy', sha256: expect.any(String), bytes: T.length, dtype: 'float64', shape: [2] },
    });
    expect(record.sha256).not.toBe((record as SpinsRecord).temperatures!.sha256);
    const probs = await describeDataFile(file('p.npy', encodeNpy(new Float64Array(6), [3, 2])));
    expect(probs).toMatchObject({ kind: 'tensor', dtype: 'float64', shape: [3, 2] });
    const model = { ...randomModel(6, 2, 1), below: { ...randomModel(9, 6, 2), visibleShape: [3, 3] } };
    expect(await describeDataFile(file('m.npz', rbmToNpz(model)))).toMatchObject({
      kind: 'model',
      dtype: 'float32',
      layers: [
        [6, 2],
        [9, 6],
      ],
      visibleShape: [3, 3],
    });
  });

  it('refuses what Import data cannot read, naming the file', async () => {
    await expect(describeDataFile(file('x.csv', new Uint8Array(3)))).rejects.toThrow(
      'x.csv: Import data reads a .npy (spins, or values in [0, 1]) or the .npz of an RBM',
    );
    await expect(describeDataFile(file('i.npy', encodeNpy(new Int32Array(4), [2, 2])))).rejects.toThrow(
      'i.npy: it holds int32: Import data reads int8 spins (±1) or float32 values in [0, 1]',
    );
    await expect(describeDataFile(file('r.npy', spinsBytes(Array(12).fill(1), [2, 2, 3])))).rejects.toThrow(
      'r.npy: shape: spins of shape [2, 2, 3]: a 2D lattice is square, [n, L, L]',
    );
    await expect(describeDataFile(file('one.npy', spinsBytes([1, 1], [2])))).rejects.toThrow(/^one\.npy: shape: /);
    const spins = spinsBytes([1, -1, 1, 1], [2, 2]);
    await expect(
      describeDataFile(file('s.npy', spins), file('s.T.npy', encodeNpy(new Float64Array(3), [3]))),
    ).rejects.toThrow('s.npy: temperatures.shape: 3 temperatures for 2 samples');
    await expect(
      describeDataFile(file('s.npy', spins), file('s.T.npy', encodeNpy(new Int32Array(2), [2]))),
    ).rejects.toThrow('s.T.npy: temperatures are float64 (or float32), not int32');
    await expect(describeDataFile(file('bad.npy', new Uint8Array(20)))).rejects.toThrow(/^bad\.npy: it is not a \.npy/);
  });
});

describe('the record schema', () => {
  const base = { kind: 'spins', name: 's.npy', sha256: 'a'.repeat(64), bytes: 100, dtype: 'int8', shape: [10, 8] };
  const problems = (record: unknown) => {
    const parsed = dataFileRecord.safeParse(record);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  it('refuses hashes, sizes and shapes a real file could not have', () => {
    expect(problems(base)).toEqual([]);
    expect(problems({ ...base, sha256: 'xyz' })).toEqual([
      'sha256: sha256 must be 64 lower-case hex digits (sha256sum FILE)',
    ]);
    expect(problems({ ...base, bytes: 2 ** 31 })).toEqual(['bytes: data files are at most 1024 MiB']);
    expect(problems({ ...base, shape: [1e6, 1e6] })).toEqual([
      'shape: its value would take 1 TB of memory; at most 2.15 GB is read',
    ]);
    expect(problems({ ...base, kind: 'pickle' })).toEqual(["kind: kind must be 'spins', 'tensor' or 'model'"]);
    expect(problems({ ...base, extra: 1 })).toHaveLength(1);
  });
});

describe('reading a recorded file', () => {
  const spins = spinsBytes([1, -1, 1, 1, -1, -1], [3, 2]);
  const record = async (bytes: Uint8Array, T?: Uint8Array) =>
    (await describeDataFile(file('s.npy', bytes), T && file('s.T.npy', T))) as SpinsRecord;

  it('gives spins with their temperatures, or NaN without a temperatures file', async () => {
    const T = encodeNpy(new Float64Array([1.5, NaN, 3]), [3]);
    const value = readSpins(await record(spins, T), spins, T, { J: 2, h: 0.1 });
    expect(value.shape).toEqual([3, 2]);
    expect(Array.from(value.data)).toEqual([1, -1, 1, 1, -1, -1]);
    expect(Array.from(value.T)).toEqual([1.5, NaN, 3]);
    expect(value.meta).toMatchObject({ dim: 1, L: 2, J: 2, h: 0.1, boundary: 'periodic', blockFactor: 1 });
    const plain = readSpins(await record(spins), spins, undefined, couplings);
    expect(Array.from(plain.T)).toEqual([NaN, NaN, NaN]);
  });

  it('refuses a spin that is not ±1 and a temperature that is not > 0, naming the file and the place', async () => {
    const zero = spinsBytes([1, -1, 1, 0, -1, -1], [3, 2]);
    const plain = await record(spins);
    expect(() => readSpins(plain, zero, undefined, couplings)).toThrow(
      's.npy: spin 0 at sample 1, site 1 is not ±1 (spins are int8 +1 or -1; for 0/1 data, save float32 values in [0, 1])',
    );
    const T = encodeNpy(new Float64Array([1, -2, 3]), [3]);
    const withT = await record(spins, T);
    expect(() => readSpins(withT, spins, T, couplings)).toThrow(
      's.T.npy: temperature -2 of sample 1 is not > 0 (temperatures are in units of J/k_B; NaN marks an unknown one)',
    );
    const inf = encodeNpy(new Float32Array([1, Infinity, 3]), [3]);
    const withInf = await record(spins, inf);
    expect(() => readSpins(withInf, spins, inf, couplings)).toThrow(/temperature Infinity of sample 1/);
  });

  it('refuses a temperatures file whose length does not match n, and a file not as recorded', async () => {
    const good = await record(spins, encodeNpy(new Float64Array(3), [3]));
    const short = encodeNpy(new Float64Array(2), [2]);
    expect(() => readSpins(good, spins, short, couplings)).toThrow(
      's.T.npy: it holds 2 temperatures in [2] for the 3 samples of s.npy',
    );
    const other = spinsBytes([1, 1, 1, 1], [2, 2]);
    expect(() => readSpins(good, other, undefined, couplings)).toThrow(
      's.npy: it holds int8 [2, 2], the graph records int8 [3, 2]: import the file again',
    );
  });

  it('gives a tensor of values in [0, 1] as float32, and refuses values outside it or NaN', async () => {
    const bytes = encodeNpy(new Float64Array([0, 0.25, 1, 0.5]), [2, 2]);
    const tensorRecord = (await describeDataFile(file('p.npy', bytes))) as TensorRecord;
    const value = readTensor(tensorRecord, bytes);
    expect(value.data).toBeInstanceOf(Float32Array);
    expect(Array.from(value.data)).toEqual([0, 0.25, 1, 0.5]);
    const out = encodeNpy(new Float64Array([0, 1.5, 1, 0.5]), [2, 2]);
    expect(() => readTensor(tensorRecord, out)).toThrow('p.npy: value 1.5 at row 0, unit 1 is outside [0, 1]');
    const nan = encodeNpy(new Float64Array([0, 0, 1, NaN]), [2, 2]);
    expect(() => readTensor(tensorRecord, nan)).toThrow('p.npy: NaN at row 1, unit 1');
  });

  it('gives the recorded model, and refuses one whose layers are not the recorded ones', async () => {
    const model = randomModel(6, 2, 1);
    const bytes = rbmToNpz(model);
    const modelRecord = (await describeDataFile(file('m.npz', bytes))) as ModelRecord;
    const read = readModel(modelRecord, bytes);
    expect(rbmLayers(read).map((l) => l.W)).toEqual([model.W]);
    expect(() => readModel(modelRecord, rbmToNpz(randomModel(6, 3, 1)))).toThrow(
      'm.npz: its layers are [[6,3]] on [6], the graph records [[6,2]] on [6]: import the file again',
    );
  });
});
