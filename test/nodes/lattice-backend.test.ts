/**
 * The Lattice Generator's `backend` and `replicas`: which params each backend refuses and why, 'webgpu' in Node
 * (no WebGPU: a clear failure), and 'auto', which here (no GPU) runs the CPU kernels, exactly as 'cpu', or with
 * replicas the Philox kernel's JavaScript twin (the samples the WebGPU kernel gives, test/e2e/webgpu-lattice.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { latticeNode } from '../../nodes/lattice/index';
import type { SpinsValue } from '../../src/graph/values';
import { paramErrors, runNode } from '../helpers/run-node';
import { philoxRun, twinSamples } from '../helpers/philox-samples';

const spinsOf = async (params: Record<string, unknown>) =>
  (await runNode(latticeNode, {}, params)).outputs.spins as SpinsValue;
const bytes = (spins: SpinsValue) => Buffer.from(spins.data.buffer, spins.data.byteOffset, spins.data.byteLength);

describe('ising.lattice backend params', () => {
  it.each([
    [{ backend: 'webgpu' }, 'backend: wolff stays on the CPU: the GPU kernel is checkerboard Metropolis'],
    [{ backend: 'webgpu', algorithm: 'swendsen-wang' }, 'backend: swendsen-wang stays on the CPU'],
    [{ backend: 'webgpu', algorithm: 'metropolis', dim: 1 }, 'backend: the GPU kernel is 2D only'],
    [{ backend: 'webgpu', algorithm: 'metropolis', L: 33 }, 'backend: the GPU kernel needs an even L (L = 33)'],
    [
      { backend: 'cpu', algorithm: 'metropolis', replicas: 4 },
      "replicas: replicas run on the Philox kernel: backend 'auto' or 'webgpu'",
    ],
    [{ backend: 'auto', replicas: 4 }, 'replicas: replicas run on the Philox kernel: backend'],
    [
      { backend: 'auto', algorithm: 'metropolis', replicas: 3 },
      'samples: 1000 samples per temperature do not split evenly over 3 replicas',
    ],
    [{ backend: 'gpu' }, 'backend: Invalid option'],
    [{ replicas: 0 }, 'replicas: Too small'],
  ])('%j is refused: %s', (params, message) => {
    expect(paramErrors(latticeNode, params).join('\n')).toContain(message);
  });

  it("takes 'auto' with any algorithm, and 'webgpu' with 2D Metropolis and even L", () => {
    for (const algorithm of ['metropolis', 'wolff', 'swendsen-wang']) {
      expect(paramErrors(latticeNode, { backend: 'auto', algorithm })).toEqual([]);
    }
    expect(paramErrors(latticeNode, { backend: 'auto', algorithm: 'metropolis', dim: 1, L: 101 })).toEqual([]);
    expect(
      paramErrors(latticeNode, { backend: 'webgpu', algorithm: 'metropolis', L: 6, replicas: 8, samples: 800 }),
    ).toEqual([]);
  });

  it("defaults to 'auto' and one replica, which without a GPU keeps the numbers of 'cpu'", async () => {
    const params = { L: 8, samples: 20, burnIn: 20, thin: 2, algorithm: 'metropolis' };
    expect(latticeNode.params.parse(params)).toMatchObject({ backend: 'auto', replicas: 1 });
    expect(bytes(await spinsOf(params)).equals(bytes(await spinsOf({ ...params, backend: 'cpu' })))).toBe(true);
  });
});

describe("ising.lattice backend 'webgpu' in Node", () => {
  it('fails the node with a clear message', async () => {
    await expect(
      spinsOf({ L: 8, algorithm: 'metropolis', backend: 'webgpu', samples: 10, burnIn: 10 }),
    ).rejects.toThrow(
      /^WebGPU is not available here: this JavaScript engine has no navigator\.gpu .*backend 'auto' runs the CPU kernels instead/,
    );
  });
});

describe("ising.lattice backend 'auto' in Node", () => {
  it('runs the Philox twin: every chain in the output layout, T per sample, meta.chains per temperature', async () => {
    const params = { L: 6, T: [1.5, 2.5], algorithm: 'metropolis', backend: 'auto', replicas: 2, samples: 6 };
    const spins = await spinsOf({ ...params, burnIn: 3, thin: 2, h: 0.1, seed: 7 });
    const expected = await twinSamples(
      philoxRun({ L: 6, temperatures: [1.5, 2.5], replicas: 2, samples: 6, burnIn: 3, thin: 2, h: 0.1, seed: 7 }),
    );
    expect(spins.shape).toEqual([12, 6, 6]);
    expect(Array.from(spins.data)).toEqual(Array.from(expected));
    expect(Array.from(spins.T)).toEqual([...Array(6).fill(1.5), ...Array(6).fill(2.5)]);
    expect(spins.meta.chains).toEqual([
      { T: 1.5, kernel: 'philox', device: 'javascript', replicas: 2 },
      { T: 2.5, kernel: 'philox', device: 'javascript', replicas: 2 },
    ]);
  });

  it('runs one chain per temperature on the CPU kernels, exactly as cpu, where there is no GPU', async () => {
    const params = { L: 8, T: [2.0, 2.6], samples: 20, burnIn: 20, thin: 2, algorithm: 'metropolis', seed: 5 };
    const auto = await spinsOf({ ...params, backend: 'auto' });
    const cpu = await spinsOf({ ...params, backend: 'cpu' });
    expect(bytes(auto).equals(bytes(cpu))).toBe(true);
    expect(auto.meta.chains).toEqual(cpu.meta.chains);
    expect(latticeNode.params.parse({}).backend).toBe('auto');
  });

  it('gives other samples on the Philox twin (another generator), the same for the same seed', async () => {
    const params = { L: 8, samples: 20, burnIn: 20, thin: 2, algorithm: 'metropolis', seed: 5, replicas: 2 };
    const auto = await spinsOf({ ...params, backend: 'auto' });
    expect(bytes(auto).equals(bytes(await spinsOf({ ...params, backend: 'auto' })))).toBe(true);
    expect(bytes(auto).equals(bytes(await spinsOf({ ...params, replicas: 1, backend: 'cpu' })))).toBe(false);
    expect(bytes(auto).equals(bytes(await spinsOf({ ...params, backend: 'auto', seed: 6 })))).toBe(false);
  });

  it('draws each temperature from its own stream: a list reproduces each item alone', async () => {
    const params = {
      L: 8,
      samples: 10,
      burnIn: 10,
      thin: 1,
      seed: 3,
      algorithm: 'metropolis',
      backend: 'auto',
      replicas: 2,
    };
    const both = await spinsOf({ ...params, T: [2.0, 2.5] });
    const alone = await spinsOf({ ...params, T: 2.5 });
    expect(Array.from(both.data.slice(640))).toEqual(Array.from(alone.data));
  });

  it('runs Wolff, Swendsen–Wang, 1D and odd L on the CPU kernels, exactly as cpu', async () => {
    for (const params of [
      { L: 8, samples: 10, burnIn: 20 },
      { L: 8, samples: 10, burnIn: 20, algorithm: 'swendsen-wang' },
      { dim: 1, L: 30, samples: 10, burnIn: 20, algorithm: 'metropolis' },
      { L: 9, samples: 10, burnIn: 20, algorithm: 'metropolis' },
    ]) {
      const auto = await spinsOf({ ...params, backend: 'auto' });
      const cpu = await spinsOf({ ...params, backend: 'cpu' });
      expect(bytes(auto).equals(bytes(cpu))).toBe(true);
      expect(auto.meta.chains).toEqual(cpu.meta.chains);
    }
  });

  it('streams growing sample sets on the Philox twin, and can be cancelled mid-run', async () => {
    const { emitted } = await runNode(
      latticeNode,
      {},
      { L: 128, samples: 200, burnIn: 0, thin: 10, algorithm: 'metropolis', backend: 'auto', replicas: 2 },
    );
    const sizes = emitted.map((e) => (e.spins as SpinsValue).shape[0]);
    expect(sizes.length).toBeGreaterThanOrEqual(1);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();
    await expect(
      runNode(
        latticeNode,
        {},
        { L: 256, samples: 1000, burnIn: 0, thin: 1000, algorithm: 'metropolis', backend: 'auto', replicas: 2 },
        controller.signal,
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('splits a list of temperatures into parts that merge to exactly the whole run (never on webgpu)', async () => {
    const params = latticeNode.params.parse({
      L: 64,
      T: [1.8, 2.2, 2.6],
      samples: 400,
      thin: 4,
      burnIn: 400,
      algorithm: 'metropolis',
      backend: 'auto',
      replicas: 2,
    });
    const parts = latticeNode.fanOut!.split(params, {}, 2)!;
    expect(parts.map((part) => part.params.T)).toEqual([[1.8, 2.2], [2.6]]);
    const whole = await spinsOf(params);
    const outputs = await Promise.all(parts.map((part) => runNode(latticeNode, {}, part.params)));
    const merged = latticeNode.fanOut!.merge(
      outputs.map((o) => o.outputs),
      params,
      {},
    ).spins as SpinsValue;
    expect(bytes(merged).equals(bytes(whole))).toBe(true);
    expect(merged.meta).toEqual(whole.meta);
    expect(latticeNode.fanOut!.split({ ...params, backend: 'webgpu' }, {}, 2)).toBeNull();
  });
});
