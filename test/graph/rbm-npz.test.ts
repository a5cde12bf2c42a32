/**
 * An RBM stack as one .npz: written and read back exactly (the training record included), read by NumPy
 * with the names the README gives, read from what NumPy users save (float64, int64 shapes), and refused
 * with the file's name when a part is missing or the layers do not fit together.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/graph/npy';
import { encodeNpz, readNpz } from '../../src/graph/npz';
import { rbmFromNpz, rbmLayers, rbmToNpz } from '../../src/graph/rbm-npz';
import type { RbmValue } from '../../src/graph/values';
import { randomModel } from '../helpers/rbm-models';

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A 3-layer stack on a 4 x 4 lattice: 16 -> 8 -> 6 -> 3, each with its training record. */
function stack(): RbmValue {
  const bottom = { ...randomModel(16, 8, 1), visibleShape: [4, 4], training: { epochs: 3, backend: 'wasm' } };
  const middle = { ...randomModel(8, 6, 2), training: { epochs: 4, l1: 0.01, history: [0.5, NaN] }, below: bottom };
  return { ...randomModel(6, 3, 3), training: { epochs: 5 }, below: middle };
}

const limits = { maxBytes: 1e8 };

describe('rbmToNpz and rbmFromNpz', () => {
  it('round-trip a stack exactly, layer 0 being the top', () => {
    const model = stack();
    const read = rbmFromNpz(rbmToNpz(model), 'model.npz', limits);
    const layers = rbmLayers(read);
    expect(layers.map((l) => [l.nv, l.nh, l.visibleShape])).toEqual([
      [6, 3, [6]],
      [8, 6, [8]],
      [16, 8, [4, 4]],
    ]);
    rbmLayers(model).forEach((layer, k) => {
      expect(layers[k].W).toEqual(layer.W);
      expect(layers[k].vbias).toEqual(layer.vbias);
      expect(layers[k].hbias).toEqual(layer.hbias);
    });
    expect(layers.map((l) => l.training)).toEqual([
      { epochs: 5 },
      { epochs: 4, l1: 0.01, history: [0.5, null] },
      { epochs: 3, backend: 'wasm' },
    ]);
  });

  it('names each member as the README says', () => {
    const names = [...readNpz(rbmToNpz(stack()), 'm.npz', limits).keys()].sort();
    expect(names).toEqual(
      [0, 1, 2]
        .flatMap((k) => ['W', 'hbias', 'vbias', 'visible_shape'].map((part) => `layer${k}_${part}.npy`))
        .concat('training.json')
        .sort(),
    );
  });

  it.runIf(hasNumpy())('is read by numpy.load, and reads what NumPy users save (float64, int64, no record)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rbm-npz-'));
    const model = stack();
    writeFileSync(join(dir, 'model.npz'), rbmToNpz(model));
    const out = execFileSync('python3', [
      '-c',
      `import json, numpy as np
f = np.load('${dir}/model.npz')
print(f['layer2_W'].dtype, f['layer2_W'].shape, [int(n) for n in f['layer2_visible_shape']], f['layer0_hbias'].shape)
print(json.loads(bytes(f['training.json']))['layers'][1]['epochs'])
print(repr(float(f['layer1_W'][3, 2])))
rng = np.random.default_rng(1)
np.savez('${dir}/numpy.npz', layer0_W=rng.normal(size=(6, 2)), layer0_vbias=np.zeros(6), layer0_hbias=np.ones(2),
         layer0_visible_shape=np.array([2, 3]))`,
    ]).toString();
    const [first, second, third] = out.trim().split('\n');
    expect(first).toBe('float32 (16, 8) [4, 4] (3,)');
    expect(second).toBe('4');
    expect(Number(third)).toBe(rbmLayers(model)[1].W[3 * 6 + 2]);
    const mine = rbmFromNpz(new Uint8Array(readFileSync(join(dir, 'numpy.npz'))), 'numpy.npz', limits);
    expect(mine).toMatchObject({
      nv: 6,
      nh: 2,
      visibleShape: [2, 3],
      training: { note: 'no training.json in the file' },
    });
    expect(mine.W).toBeInstanceOf(Float32Array);
    expect(Array.from(mine.hbias)).toEqual([1, 1]);
  });
});

describe('rbmFromNpz refuses what is not an RBM stack, naming the file and the part', () => {
  const f32 = (n: number) => encodeNpy(new Float32Array(n), [n]);
  const layer0 = (nv = 4, nh = 2) => ({
    'layer0_W.npy': encodeNpy(new Float32Array(nv * nh), [nv, nh]),
    'layer0_vbias.npy': f32(nv),
    'layer0_hbias.npy': f32(nh),
    'layer0_visible_shape.npy': encodeNpy(new Int32Array([nv]), [1]),
  });
  const read = (members: Record<string, Uint8Array>) => () => rbmFromNpz(encodeNpz(members), 'bad.npz', limits);

  it('a file with other names, or a missing part', () => {
    expect(read({ 'W.npy': f32(4), 'b.npy': f32(2) })).toThrow(
      'bad.npz: it holds no layer0_W: an RBM file has layer<k>_W, layer<k>_vbias, layer<k>_hbias and layer<k>_visible_shape for k = 0 (the top layer) and up; it holds W, b',
    );
    const { 'layer0_hbias.npy': _gone, ...rest } = layer0();
    expect(read(rest)).toThrow('bad.npz: it holds no layer0_hbias');
  });

  it('shapes that do not fit, values that are not numbers, a stack whose layers do not meet', () => {
    expect(read({ ...layer0(), 'layer0_W.npy': encodeNpy(new Float32Array(8), [8]) })).toThrow(
      'bad.npz: layer0_W has shape (8); it must be [nv, nh]',
    );
    expect(read({ ...layer0(), 'layer0_vbias.npy': f32(3) })).toThrow(
      'bad.npz: layer0_vbias has shape (3); layer0_W is (4, 2), so it must be (4,)',
    );
    expect(read({ ...layer0(), 'layer0_visible_shape.npy': encodeNpy(new Int32Array([3, 2]), [2]) })).toThrow(
      'bad.npz: layer0_visible_shape is [3, 2]; it must be positive integers whose product is nv = 4',
    );
    expect(read({ ...layer0(), 'layer0_visible_shape.npy': f32(1) })).toThrow('must be a list of integers');
    expect(read({ ...layer0(), 'layer0_W.npy': encodeNpy(new Int32Array(8), [4, 2]) })).toThrow(
      'bad.npz: layer0_W is int32; weights and biases are float32 (or float64)',
    );
    expect(read({ ...layer0(), 'layer0_hbias.npy': encodeNpy(new Float32Array([0, NaN]), [2]) })).toThrow(
      'bad.npz: layer0_hbias holds NaN at index 1',
    );
    const layer1 = Object.fromEntries(Object.entries(layer0(5, 3)).map(([k, v]) => [k.replace('layer0', 'layer1'), v]));
    expect(read({ ...layer0(), ...layer1 })).toThrow(
      'bad.npz: layer0 has 4 visible units but layer1 below it has 3 hidden units',
    );
    expect(read({ ...layer0(), 'layer0_W.npy': new Uint8Array([1, 2, 3]) })).toThrow(
      'bad.npz, layer0_W: it is not a .npy file',
    );
  });

  it('a training record that is not JSON or not one object per layer', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(read({ ...layer0(), 'training.json': text('{not json') })).toThrow(
      /^bad\.npz: its training\.json is not JSON/,
    );
    expect(
      read({ ...layer0(), 'training.json': text('{"format": "blockspin.rbm-training", "version": 1, "layers": []}') }),
    ).toThrow('bad.npz: its training.json is not a training record of its 1 layer');
  });

  it('more bytes than the graph recorded of it, before unpacking', () => {
    expect(() => rbmFromNpz(rbmToNpz(stack()), 'm.npz', { maxBytes: 100 })).toThrow(/^m\.npz: its members unpack to/);
  });
});
