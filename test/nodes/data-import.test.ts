/**
 * data.import: spins with and without temperatures, tensors and RBM stacks from NumPy files; the one output
 * its file holds; the memory it declares from the recorded shape; and a clear error without a file.
 */
import { describe, expect, it } from 'vitest';
import { dataImportNode } from '../../nodes/data-import/index';
import { estimateGraph } from '../../src/graph/budget';
import { describeDataFile, type DataFileRecord } from '../../src/graph/data-file';
import { encodeNpy } from '../../src/graph/npy';
import { rbmLayers, rbmToNpz } from '../../src/graph/rbm-npz';
import { NodeRegistry } from '../../src/graph/registry';
import { portsOf } from '../../src/graph/validate';
import type { RbmValue, SpinsValue, TensorValue } from '../../src/graph/values';
import { graph, node } from '../helpers/graphs';
import { randomModel } from '../helpers/rbm-models';
import { runNode } from '../helpers/run-node';

/** A record and the files it names, by SHA-256, as a store would hand them over. */
async function imported(
  file: { name: string; bytes: Uint8Array },
  temperatures?: { name: string; bytes: Uint8Array },
): Promise<{ record: DataFileRecord; files: Record<string, Uint8Array> }> {
  const record = await describeDataFile(file, temperatures);
  const files: Record<string, Uint8Array> = { [record.sha256]: file.bytes };
  if (record.kind === 'spins' && record.temperatures && temperatures)
    files[record.temperatures.sha256] = temperatures.bytes;
  return { record, files };
}

const spins = Int8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i % 3 === 0 ? 1 : -1));
const spinsFile = { name: 'lattice.npy', bytes: encodeNpy(spins, [4, 3, 3]) };
const temperaturesFile = { name: 'lattice.T.npy', bytes: encodeNpy(new Float64Array([2, 2, 3, 3]), [4]) };

describe('data.import node', () => {
  it('declares its contract', () => {
    expect(dataImportNode).toMatchObject({ type: 'data.import', title: 'Import data', heavy: true });
    expect(Object.keys(dataImportNode.outputs)).toEqual(['spins', 'tensor', 'model']);
    expect(dataImportNode.outputs.model.type).toBe('rbm');
    expect(dataImportNode.params.parse({})).toEqual({ J: 1, h: 0 });
    expect(dataImportNode.files!(dataImportNode.params.parse({}))).toEqual([]);
  });

  it('gives spins with the temperatures of the file beside them, on its spins output only', async () => {
    const { record, files } = await imported(spinsFile, temperaturesFile);
    const params = { file: record, J: 1.5 };
    const { outputs } = await runNode(dataImportNode, {}, params, undefined, files);
    const value = outputs.spins as SpinsValue;
    expect(Object.keys(outputs)).toEqual(['spins']);
    expect(value.shape).toEqual([4, 3, 3]);
    expect(value.data).toEqual(spins);
    expect(Array.from(value.T)).toEqual([2, 2, 3, 3]);
    expect(value.meta).toMatchObject({ model: 'ising', dim: 2, L: 3, J: 1.5, h: 0, boundary: 'periodic' });
    const parsed = dataImportNode.params.parse(params);
    expect(dataImportNode.outputsFor!(parsed)).toEqual(['spins']);
    expect(dataImportNode.files!(parsed).map((f) => f.name)).toEqual(['lattice.npy', 'lattice.T.npy']);
    const registry = new NodeRegistry([dataImportNode]);
    expect(Object.keys(portsOf(node('data', 'data.import', params), registry)!.outputs)).toEqual(['spins']);
  });

  it('gives spins with unknown temperatures (NaN) when there is no temperatures file', async () => {
    const { record, files } = await imported(spinsFile);
    const { outputs } = await runNode(dataImportNode, {}, { file: record }, undefined, files);
    expect(Array.from((outputs.spins as SpinsValue).T)).toEqual([NaN, NaN, NaN, NaN]);
  });

  it('gives a tensor from values in [0, 1], and a model from an RBM .npz', async () => {
    const values = new Float32Array([0, 0.5, 1, 0.25, 0.75, 1]);
    const tensor = await imported({ name: 'p.npy', bytes: encodeNpy(values, [2, 3]) });
    const out = await runNode(dataImportNode, {}, { file: tensor.record }, undefined, tensor.files);
    expect(Object.keys(out.outputs)).toEqual(['tensor']);
    expect((out.outputs.tensor as TensorValue).data).toEqual(values);
    const stack = { ...randomModel(5, 2, 1), below: { ...randomModel(9, 5, 2), visibleShape: [3, 3] } };
    const model = await imported({ name: 'm.npz', bytes: rbmToNpz(stack) });
    const read = (await runNode(dataImportNode, {}, { file: model.record }, undefined, model.files)).outputs.model;
    expect(rbmLayers(read as RbmValue).map((l) => [l.nv, l.nh, l.visibleShape])).toEqual([
      [5, 2, [5]],
      [9, 5, [3, 3]],
    ]);
    expect((read as RbmValue).below!.W).toEqual(stack.below.W);
  });

  it('says what to do when it has no file yet', async () => {
    await expect(runNode(dataImportNode, {}, {})).rejects.toThrow(
      'no file: drop a .npy (spins or values in [0, 1]) or an RBM .npz on the canvas, or choose one in the inspector',
    );
    expect(dataImportNode.outputsFor!(dataImportNode.params.parse({}))).toEqual(['spins', 'tensor', 'model']);
  });

  it('declares its memory from the recorded shape, so the budget knows it before anything runs', async () => {
    const registry = new NodeRegistry([dataImportNode]);
    const cost = async (file: DataFileRecord) =>
      estimateGraph(graph([node('data', 'data.import', { file })]), registry).bytes;
    const { record } = await imported(spinsFile, temperaturesFile);
    // spins and their T, the file and its T file while they are read
    expect(await cost(record)).toBe(36 + 8 * 4 + spinsFile.bytes.length + temperaturesFile.bytes.length);
    const big = { ...record, shape: [100_000, 64, 64], temperatures: undefined };
    expect(await cost(big)).toBe(100_000 * 64 * 64 + 8 * 100_000 + record.bytes);
    const model = (await imported({ name: 'm.npz', bytes: rbmToNpz(randomModel(400, 100, 1)) })).record;
    expect(dataImportNode.resources!(dataImportNode.params.parse({ file: model }), {})).toMatchObject({
      outputs: {
        model: {
          bytes: 4 * (400 * 100 + 500),
          shape: [400, 100],
          stack: { layers: [[400, 100]], visibleShape: [400] },
        },
      },
    });
  });
});
