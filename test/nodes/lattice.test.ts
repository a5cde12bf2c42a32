import { describe, expect, it } from 'vitest';
import type { SpinsValue } from '../../src/graph/values';
import { latticeNode } from '../../nodes/lattice/index';
import { contiguousGroups } from '../../nodes/shared/temperature-fan-out';
import { paramErrors, runNode } from '../helpers/run-node';

const spinsOf = async (params: Record<string, unknown>) =>
  (await runNode(latticeNode, {}, params)).outputs.spins as SpinsValue;

describe('ising.lattice params', () => {
  it.each([
    [{ L: 1 }, 'L: Too small'],
    [{ L: 100_000 }, 'L: L = 100000 is too large for a 2D lattice (at most 4096)'],
    [{ T: 0 }, 'T: must be > 0'],
    [{ T: -1 }, 'T: must be > 0'],
    [{ T: [2, 2] }, 'T: the list of temperatures has a repeated value'],
    [{ samples: 0 }, 'samples: Too small'],
    [{ T: NaN }, 'T: Invalid input'],
    [
      { L: 4096, samples: 1000 },
      'samples: 1000 samples x 1 temperatures x 16777216 spins would need 16,000 MB; the limit is 1,024 MB',
    ],
    [{ h: 0.1 }, 'algorithm: wolff clusters do not support a field (h = 0.1); use metropolis'],
    [{ algorithm: 'swendsen-wang', J: -1 }, 'J: swendsen-wang clusters need J > 0'],
    [{ algorithm: 'heatbath' }, 'algorithm: Invalid option'],
    [{ sweeps: 10 }, 'Unrecognized key: "sweeps"'],
  ])('%j is refused: %s', (params, message) => {
    expect(paramErrors(latticeNode, params).join('\n')).toContain(message);
  });

  it('accepts a 1D chain of a million sites and the NODES.md defaults', () => {
    expect(paramErrors(latticeNode, { dim: 1, L: 1_000_000, samples: 10 })).toEqual([]);
    expect(latticeNode.params.parse({})).toEqual({
      dim: 2,
      L: 32,
      T: 2.269185,
      J: 1,
      h: 0,
      algorithm: 'wolff',
      samples: 1000,
      burnIn: 1000,
      thin: 10,
      init: 'random',
      seed: 1,
      backend: 'auto',
      replicas: 1,
    });
  });
});

describe('ising.lattice output', () => {
  it('has the spins value shape, ±1 data and per-sample temperatures', async () => {
    const spins = await spinsOf({ L: 8, T: [2, 3], samples: 5, burnIn: 10, thin: 1, algorithm: 'metropolis' });
    expect(spins.shape).toEqual([10, 8, 8]);
    expect(spins.data.length).toBe(640);
    expect(spins.data.every((s) => s === 1 || s === -1)).toBe(true);
    expect(Array.from(spins.T)).toEqual([2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
    expect(spins.meta).toMatchObject({
      model: 'ising',
      dim: 2,
      L: 8,
      J: 1,
      h: 0,
      boundary: 'periodic',
      blockFactor: 1,
    });
  });

  it('is deterministic: the same seed gives the same bytes, another seed other samples', async () => {
    for (const algorithm of ['metropolis', 'wolff', 'swendsen-wang']) {
      const params = { L: 8, samples: 20, burnIn: 20, thin: 2, algorithm };
      const a = await spinsOf({ ...params, seed: 5 });
      const b = await spinsOf({ ...params, seed: 5 });
      const c = await spinsOf({ ...params, seed: 6 });
      expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
      expect(Buffer.from(a.data.buffer).equals(Buffer.from(c.data.buffer))).toBe(false);
    }
  });

  it('draws each temperature from its own stream: a list reproduces each item alone', async () => {
    const params = { L: 8, samples: 10, burnIn: 10, thin: 1, seed: 3 };
    const both = await spinsOf({ ...params, T: [2.0, 2.5] });
    const alone = await spinsOf({ ...params, T: 2.5 });
    expect(Array.from(both.data.slice(640))).toEqual(Array.from(alone.data));
  });

  it('starts ordered or random as asked', async () => {
    const ordered = await spinsOf({
      L: 16,
      T: 0.5,
      samples: 1,
      burnIn: 0,
      thin: 1,
      init: 'ordered',
      algorithm: 'metropolis',
    });
    expect(ordered.data.every((s) => s === 1)).toBe(true);
  });

  it('streams growing sample sets while it runs, and can be cancelled mid-run', async () => {
    const { emitted } = await runNode(
      latticeNode,
      {},
      { L: 64, samples: 300, burnIn: 0, thin: 10, algorithm: 'swendsen-wang' },
    );
    const sizes = emitted.map((e) => (e.spins as SpinsValue).shape[0]);
    expect(sizes.length).toBeGreaterThanOrEqual(1);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes.at(-1)).toBeLessThan(300);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();
    await expect(
      runNode(
        latticeNode,
        {},
        { L: 256, samples: 1000, burnIn: 0, thin: 1000, algorithm: 'metropolis' },
        controller.signal,
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(5000); // stopped long before the 1,000,000 sweeps it was asked for
  });

  it('uses the multi-spin kernel where it applies, and records it', async () => {
    const msc = await spinsOf({ L: 64, samples: 2, burnIn: 5, thin: 1, algorithm: 'metropolis' });
    const scalar = await spinsOf({ L: 33, samples: 2, burnIn: 5, thin: 1, algorithm: 'metropolis' });
    expect((msc.meta.chains as { kernel: string }[])[0].kernel).toBe('multi-spin');
    expect((scalar.meta.chains as { kernel: string }[])[0].kernel).toBe('scalar');
    const wolff = await spinsOf({ L: 16, samples: 2, burnIn: 50, thin: 1 });
    const chain = (wolff.meta.chains as { meanClusterSize: number; clustersPerSweep: number }[])[0];
    expect(chain.meanClusterSize).toBeGreaterThan(1);
    expect(chain.clustersPerSweep).toBe(Math.max(1, Math.round(256 / chain.meanClusterSize)));
  });

  it('splits a list of temperatures into parts that merge to exactly the whole run', async () => {
    const params = latticeNode.params.parse({
      L: 64,
      T: [1.8, 2.2, 2.6, 3.0, 3.4],
      samples: 500,
      thin: 2,
      burnIn: 100,
    });
    const whole = await spinsOf(params);
    const parts = latticeNode.fanOut!.split(params, {}, 2)!;
    expect(parts.map((part) => part.params.T)).toEqual([
      [1.8, 2.2, 2.6],
      [3.0, 3.4],
    ]);
    const outputs = await Promise.all(parts.map((part) => runNode(latticeNode, {}, part.params)));
    const merged = latticeNode.fanOut!.merge(
      outputs.map((o) => o.outputs),
      params,
      {},
    ).spins as SpinsValue;
    expect(merged.shape).toEqual(whole.shape);
    expect(Buffer.from(merged.data.buffer).equals(Buffer.from(whole.data.buffer))).toBe(true);
    expect(merged.T).toEqual(whole.T);
    expect(merged.meta).toEqual(whole.meta);
  });

  it('runs one temperature, or a list too small to gain, as one job', () => {
    const split = (p: Record<string, unknown>) => latticeNode.fanOut!.split(latticeNode.params.parse(p), {}, 4);
    expect(split({ L: 64, T: 2.5, samples: 10_000 })).toBeNull();
    expect(split({ L: 8, T: [2, 3], samples: 100 })).toBeNull();
    expect(split({ L: 64, T: [2, 3], samples: 10_000 })).toHaveLength(2);
  });
});

describe('contiguousGroups', () => {
  it('cuts a list into contiguous groups of nearly equal size, never more than the list', () => {
    expect(contiguousGroups([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(contiguousGroups([1, 2], 8)).toEqual([[1], [2]]);
    expect(contiguousGroups([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([
      [1, 2, 3],
      [4, 5],
      [6, 7],
    ]);
  });
});
