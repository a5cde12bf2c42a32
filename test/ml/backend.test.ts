/**
 * The backend choice: 'auto' takes WebGPU only on a real GPU adapter (never SwiftShader or another
 * software one), 'webgpu' by name takes any adapter and is refused, naming why, where there is none; the
 * two-thread split stays off WebGPU. And what the loops need of a GPU device: pacing and buffer limits.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  backendChain,
  initBackend,
  isSoftwareAdapter,
  probeWebGpu,
  type AdapterSummary,
  type GpuLike,
} from '../../src/ml/backend';
import { assertFitsDevice, isAsyncDevice, pacerFor } from '../../src/ml/device';
import { trainingThreads } from '../../src/ml/threads';
import { rbmFlowNode } from '../../nodes/rbm-flow/index';
import { rbmLayerNode } from '../../nodes/rbm-layer/index';
import { samplerNode } from '../../nodes/rbm-sampler/index';
import { paramErrors } from '../helpers/run-node';

const adapter = (info: Partial<AdapterSummary>): AdapterSummary => ({
  vendor: '',
  architecture: '',
  description: '',
  isFallbackAdapter: false,
  ...info,
});
/** What Chromium's --use-webgpu-adapter=swiftshader gives (vendor google, architecture swiftshader, a fallback). */
const swiftshader = adapter({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true });
const nvidia = adapter({ vendor: 'nvidia', architecture: 'ampere' });
const none = { missing: 'this browser has no WebGPU' };

/** Whether the optional `webgpu` package (Dawn for Node) is missing here, as it is unless installed by hand. */
const noDawn = await importFails('webgpu');

const fakeGpu = (answer: () => Promise<unknown>): GpuLike => ({
  requestAdapter: answer as GpuLike['requestAdapter'],
});

describe('backend choice', () => {
  it('tells software adapters from GPUs', () => {
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(isSoftwareAdapter(adapter({ vendor: 'google', architecture: 'swiftshader' }))).toBe(true);
    expect(isSoftwareAdapter(adapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }))).toBe(true);
    expect(isSoftwareAdapter(adapter({ description: 'lavapipe' }))).toBe(true);
    expect(isSoftwareAdapter(adapter({ vendor: 'apple', isFallbackAdapter: true }))).toBe(true);
    expect(isSoftwareAdapter(nvidia)).toBe(false);
    expect(isSoftwareAdapter(adapter({ vendor: 'intel', architecture: 'gen-12lp' }))).toBe(false);
  });

  it("'auto' takes WebGPU on a real GPU, then WebGL on one, then wasm, and skips SwiftShader", () => {
    expect(backendChain('auto', { webgpu: { adapter: nvidia }, realWebgl: true })).toEqual([
      'webgpu',
      'webgl',
      'wasm',
      'cpu',
    ]);
    expect(backendChain('auto', { webgpu: { adapter: nvidia }, realWebgl: false })).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(backendChain('auto', { webgpu: { adapter: swiftshader }, realWebgl: false })).toEqual(['wasm', 'cpu']);
    expect(backendChain('auto', { webgpu: none, realWebgl: true })).toEqual(['webgl', 'wasm', 'cpu']);
    expect(backendChain('auto', { webgpu: none, realWebgl: false })).toEqual(['wasm', 'cpu']);
  });

  it("'auto' leaves WebGPU out for the two-thread split", () => {
    expect(backendChain('auto', { webgpu: { adapter: nvidia }, realWebgl: false }, { twoThreads: true })).toEqual([
      'wasm',
      'cpu',
    ]);
  });

  it("'webgpu' by name takes any adapter, SwiftShader too, and never falls back", () => {
    expect(backendChain('webgpu', { webgpu: { adapter: swiftshader }, realWebgl: false })).toEqual(['webgpu']);
    expect(backendChain('webgpu', { webgpu: { adapter: nvidia }, realWebgl: true })).toEqual(['webgpu']);
    expect(backendChain('wasm', { webgpu: { adapter: nvidia }, realWebgl: true })).toEqual(['wasm', 'cpu']);
  });

  it("'webgpu' where there is none is refused, naming why", () => {
    expect(() => backendChain('webgpu', { webgpu: none, realWebgl: false })).toThrow(
      "backend 'webgpu' is not available: this browser has no WebGPU",
    );
    expect(() =>
      backendChain('webgpu', { webgpu: { adapter: nvidia }, realWebgl: false }, { twoThreads: true }),
    ).toThrow(/two-thread split \(threads: 2\) runs on wasm; set threads to 1 or 'auto'/);
  });

  it('probes an adapter as the WebGPU backend will, and says why there is none', async () => {
    expect(await probeWebGpu(undefined, 'this browser')).toEqual({ missing: 'this browser has no WebGPU' });
    expect(
      await probeWebGpu(
        fakeGpu(async () => null),
        'this browser',
      ),
    ).toEqual({
      missing: 'this browser found no WebGPU adapter (no GPU, or WebGPU is blocked for it)',
    });
    expect(
      await probeWebGpu(
        fakeGpu(async () => {
          throw new Error('device lost');
        }),
        'this browser',
      ),
    ).toEqual({ missing: 'this browser: requestAdapter() failed (device lost)' });
    let asked: unknown;
    const found = await probeWebGpu(
      fakeGpu(async (...args: unknown[]) => {
        asked = args[0];
        return { info: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true } };
      }),
      'this browser',
    );
    expect(asked).toEqual({ powerPreference: 'high-performance' });
    expect(found).toEqual({ adapter: swiftshader });
    // an older browser puts isFallbackAdapter on the adapter itself
    expect(
      await probeWebGpu(
        fakeGpu(async () => ({ info: { vendor: 'x' }, isFallbackAdapter: true })),
        'b',
      ),
    ).toEqual({
      adapter: adapter({ vendor: 'x', isFallbackAdapter: true }),
    });
  });

  it.runIf(noDawn)(
    "in Node without the optional webgpu package, 'webgpu' is refused with how to get it, and 'auto' is wasm",
    async () => {
      await expect(initBackend('webgpu')).rejects.toThrow(
        /^backend 'webgpu' is not available: Node has WebGPU only through the optional package `webgpu` \(Dawn\), which did not load .*npm install webgpu$/,
      );
      expect(await initBackend('auto')).toBe('wasm');
    },
  );
});

async function importFails(specifier: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ specifier);
    return false;
  } catch {
    return true;
  }
}

describe('threads and params on webgpu', () => {
  it("trains on one thread on webgpu: 'auto' gives 1, and 2 is refused", () => {
    expect(trainingThreads('auto', 1600, 400, 8, 'webgpu')).toBe(1);
    expect(trainingThreads(1, 1600, 400, 8, 'webgpu')).toBe(1);
    expect(() => trainingThreads(2, 1600, 400, 8, 'webgpu')).toThrow(/threads: 2 runs on wasm only/);
    expect(trainingThreads('auto', 1600, 400, 8, 'wasm')).toBe(2);
  });

  it("the RBM nodes accept backend 'webgpu'; RBM Layer refuses it with threads: 2", () => {
    expect(paramErrors(rbmLayerNode, { backend: 'webgpu' })).toEqual([]);
    expect(paramErrors(rbmLayerNode, { backend: 'webgpu', threads: 1 })).toEqual([]);
    expect(paramErrors(samplerNode, { backend: 'webgpu' })).toEqual([]);
    expect(paramErrors(rbmFlowNode, { backend: 'webgpu' })).toEqual([]);
    const [threads] = paramErrors(rbmLayerNode, { backend: 'webgpu', threads: 2 });
    expect(threads).toMatch(/^threads: threads: 2 .* runs on wasm; on backend 'webgpu' an RBM trains on one thread/);
    expect(paramErrors(rbmLayerNode, { backend: 'auto', threads: 2 })).toEqual([]);
  });
});

describe('device', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('paces only the asynchronous backends', () => {
    expect(isAsyncDevice('webgpu')).toBe(true);
    expect(isAsyncDevice('webgl')).toBe(true);
    expect(isAsyncDevice('wasm')).toBe(false);
    expect(isAsyncDevice('cpu')).toBe(false);
  });

  it('a pacer holds one fence, waits on the one before, and frees it', async () => {
    const before = tf.memory().numTensors;
    const pacer = pacerFor('webgpu'); // its logic runs on any backend
    for (let step = 0; step < 5; step++) {
      const result = tf.fill([3, 4], step);
      await pacer.step(result);
      result.dispose();
      expect(tf.memory().numTensors - before).toBe(1); // the latest step's fence
    }
    pacer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const one = tf.scalar(1);
    await pacerFor('wasm').step(one);
    expect(tf.memory().numTensors).toBe(before + 1); // only the scalar: the wasm pacer keeps nothing
    one.dispose();
  });

  it('refuses arrays larger than the device binds, naming them, before anything is allocated', () => {
    const arrays = [{ what: 'the weights (1600 x 200000)', elements: 1600 * 200_000 }];
    expect(() => assertFitsDevice(arrays, 2 ** 30)).toThrow(
      'the weights (1600 x 200000) need 1221 MB in one buffer; this WebGPU device binds at most 1024 MB',
    );
    expect(() => assertFitsDevice(arrays, 128 * 2 ** 20)).toThrow(
      /need 1221 MB in one buffer; this WebGPU device binds at most 128 MB \(maxStorageBufferBindingSize\): make it smaller, or use backend 'wasm'/,
    );
    expect(() => assertFitsDevice(arrays, Infinity)).not.toThrow();
    expect(() => assertFitsDevice(arrays)).not.toThrow(); // wasm: no such limit
  });
});
