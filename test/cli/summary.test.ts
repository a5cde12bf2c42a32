/**
 * What `graph run --out` writes for RBMs: every `rbm` output also leaves as `<node>.<port>.npz`, and NumPy,
 * loading it, computes p(h | v) = sigmoid(v W + hbias) equal to Blockspin's `hidden` output, at each layer
 * of a stack.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { runGraph } from '../../src/cli/run-graph';
import { summarizeValue } from '../../src/cli/summary';
import { readNpz } from '../../src/graph/npz';
import { edge, graph, node } from '../helpers/graphs';
import { randomModel } from '../helpers/rbm-models';

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('summarizeValue of an rbm', () => {
  it('writes the stack as one .npz beside the per-layer weights, and names it in the summary', () => {
    const model = { ...randomModel(6, 3, 1), below: { ...randomModel(12, 6, 2), visibleShape: [3, 4] } };
    const { summary, files } = summarizeValue(model, 'rbm.model');
    expect(files.map((f) => f.name)).toEqual(['rbm.model.layer0.W.npy', 'rbm.model.layer1.W.npy', 'rbm.model.npz']);
    expect(summary).toMatchObject({ type: 'rbm', npz: 'rbm.model.npz' });
    const members = readNpz(files[2].bytes, 'rbm.model.npz', { maxBytes: 1e6 });
    expect(members.has('layer1_visible_shape.npy')).toBe(true);
  });
});

const numpy = hasNumpy();
if (!numpy) console.warn('The NumPy test of RBM files is skipped: python3 has no numpy (pip install numpy).');

describe.runIf(numpy)('an RBM stack loaded with NumPy', () => {
  it('gives the p(h | v) of Blockspin’s hidden output, at both layers of a stack', async () => {
    const stacked = graph(
      [
        node('lattice', 'ising.lattice', { L: 6, T: 2.5, samples: 120, burnIn: 20, thin: 2, seed: 4 }),
        node('rbm1', 'rbm.layer', { hidden: 10, epochs: 3, batchSize: 40, seed: 5, threads: 1 }),
        node('rbm2', 'rbm.layer', { hidden: 4, epochs: 3, batchSize: 40, seed: 6, threads: 1 }),
      ],
      [edge('lattice.spins', 'rbm1.data'), edge('rbm1.hidden', 'rbm2.data')],
    );
    const result = await runGraph(stacked, { registry: appRegistry() });
    expect(result.failed).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'blockspin-npz-'));
    for (const f of result.files) writeFileSync(join(dir, f.name), f.bytes);
    const outputs = (id: string) => result.summary.nodes[id].outputs as Record<string, { file?: string; npz?: string }>;
    const spins = join(dir, outputs('lattice').spins.file!);
    const [hidden1, hidden2] = ['rbm1', 'rbm2'].map((id) => join(dir, outputs(id).hidden.file!));
    const model = join(dir, outputs('rbm2').model.npz!);
    const out = execFileSync('python3', [
      '-c',
      `import numpy as np
m = np.load('${model}')
s = np.load('${spins}')
v = (s.reshape(len(s), -1) > 0).astype(np.float32)   # spins +1 -> 1, -1 -> 0
def p_h(v, k):
    return 1 / (1 + np.exp(-(v @ m['layer%d_W' % k] + m['layer%d_hbias' % k])))
h1, h2 = np.load('${hidden1}'), np.load('${hidden2}')
print(m['layer1_W'].shape, list(int(n) for n in m['layer1_visible_shape']), m['layer0_W'].shape)
print(np.abs(p_h(v, 1) - h1).max(), np.abs(p_h(h1, 0) - h2).max())`,
    ]).toString();
    const [shapes, errors] = out.trim().split('\n');
    expect(shapes).toBe('(36, 10) [6, 6] (10, 4)');
    const [bottom, top] = errors.split(' ').map(Number);
    expect(bottom).toBeLessThan(1e-5);
    expect(top).toBeLessThan(1e-5);
  }, 60_000);
});
