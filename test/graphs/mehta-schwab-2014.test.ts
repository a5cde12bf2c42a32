/**
 * graphs/mehta-schwab-2014, scaled down for CI (16 x 16 lattice, 256 -> 64 -> 16 -> 4, the same
 * K = 0.408): the receptive fields composed down the stack are local and grow with depth, and the
 * reconstructions through the whole stack keep the coarse domains. The full-size run (40 x 40,
 * 1600 -> 400 -> 100 -> 25) is `npm run graph -- run graphs/mehta-schwab-2014.blockspin.json`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { loadGraphText } from '../../src/cli/run-graph';
import { GraphEngine } from '../../src/engine/engine';
import { composedWeights } from '../../src/ml/receptive-fields';
import type { RbmValue, SpinsValue } from '../../src/graph/values';
import { locality } from '../../src/ml/locality';
import { createAppPool } from '../../src/workers/app-pool';

const registry = appRegistry();
const pool = createAppPool({ size: 1 });
const engine = new GraphEngine(registry, { heavyExecutor: pool.executor, followIntermediate: false });
const L = 16;
const SMALL = [
  `lattice.L=${L}`,
  'lattice.samples=5000',
  'rbm1.hidden=64',
  'rbm2.hidden=16',
  'rbm3.hidden=4',
  'rbm1.epochs=30',
  'rbm2.epochs=30',
  'rbm3.epochs=30',
];

function value<T>(node: string, port: string): T {
  const output = engine.output(node);
  if (output?.kind !== 'value') throw new Error(`${node} has no value: ${JSON.stringify(engine.status(node))}`);
  return output.outputs[port] as T;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Locality of every unit of a layer, its field composed down to the lattice. */
function layer(node: string) {
  const model = value<RbmValue>(node, 'model');
  const { values, shown, nv } = composedWeights(model, model.nh);
  return Array.from({ length: shown }, (_, j) => {
    const field = Float64Array.from({ length: nv }, (_, i) => values[i * shown + j]);
    return locality(field, L, L / 8);
  });
}

beforeAll(async () => {
  const loaded = loadGraphText(readFileSync('graphs/mehta-schwab-2014.blockspin.json', 'utf8'), registry, SMALL);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  engine.load(loaded.graph);
  await engine.whenSettled();
}, 300_000);
afterAll(() => {
  engine.dispose();
  pool.dispose();
});

describe('graphs/mehta-schwab-2014 (CI size)', () => {
  it('every node finishes', () => {
    for (const id of engine.nodeIds()) expect(engine.status(id), id).toMatchObject({ state: 'done' });
  });

  it('layer-1 receptive fields are local: most of each unit’s |weight| sits around its peak', () => {
    // concentration: the share of Σ|w| within distance L/8 of the peak over the share of sites there
    // (1 for an even spread); a block-spin filter on a 16 x 16 lattice concentrates several times more
    const fields = layer('rbm1');
    expect(fields).toHaveLength(64);
    expect(median(fields.map((f) => f.concentration))).toBeGreaterThan(3);
    expect(median(fields.map((f) => f.halfMassRadius))).toBeLessThan(L / 4);
  });

  it('receptive fields grow with depth', () => {
    const layers = ['rbm1', 'rbm2', 'rbm3'].map(layer);
    const [r1, r2, r3] = layers.map((fields) => median(fields.map((f) => f.halfMassRadius)));
    expect(r2).toBeGreaterThan(r1);
    expect(r3).toBeGreaterThanOrEqual(r2);
    const report = layers.map((fields, i) => ({
      layer: i + 1,
      units: fields.length,
      medianHalfMassRadius: median(fields.map((f) => f.halfMassRadius)),
      medianConcentration: median(fields.map((f) => f.concentration)),
    }));
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/mehta-schwab-2014.json', JSON.stringify(report, null, 2));
  });

  it('reconstructions through the whole stack keep the coarse domains of the data', () => {
    const data = value<SpinsValue>('lattice', 'spins');
    const recon = value<SpinsValue>('reconstruct', 'spins');
    expect(recon.shape).toEqual([5000, L, L]); // every sample reconstructed, so plots show the same ones
    // the sign of each 8 x 8 block's magnetisation, in the data and in its reconstruction
    let agree = 0;
    let blocks = 0;
    for (let k = 0; k < 16; k++) {
      for (let by = 0; by < L; by += 8) {
        for (let bx = 0; bx < L; bx += 8) {
          let [a, b] = [0, 0];
          for (let y = by; y < by + 8; y++) {
            for (let x = bx; x < bx + 8; x++) {
              a += data.data[k * L * L + y * L + x];
              b += recon.data[k * L * L + y * L + x];
            }
          }
          if (a === 0) continue;
          blocks++;
          if (Math.sign(a) === Math.sign(b)) agree++;
        }
      }
    }
    // chance would be one half
    expect(agree / blocks).toBeGreaterThan(0.7);
  });
});
