/**
 * What the RBM loops must know of the device under the TensorFlow.js backend in use. A GPU backend (webgpu,
 * webgl) runs kernels asynchronously: a loop that never reads back queues work far ahead of the device, so
 * its progress and its cancellation checkpoints would run ahead of what is computed. And WebGPU binds
 * buffers only up to a size the adapter sets (maxStorageBufferBindingSize: 128 MiB by the specification's
 * default, 1 GiB on SwiftShader).
 */
import * as tf from '@tensorflow/tfjs-core';

/** Keeps a loop at most one step ahead of the device. */
export interface Pacer {
  /**
   * Called at the end of each step with a tensor the step computed (its last result): resolves once the
   * step before it has finished on the device, so the device always has the next step queued.
   */
  step(result: tf.Tensor): Promise<void>;
  /** Frees what the pacer holds (also after a cancel). */
  dispose(): void;
}

const noPacing: Pacer = { step: () => Promise.resolve(), dispose: () => {} };

/** Backends whose kernels run asynchronously, on a device queue. */
export function isAsyncDevice(backend: string): boolean {
  return backend === 'webgpu' || backend === 'webgl';
}

/**
 * The pacer for a backend: on the CPU backends (wasm, cpu) a kernel has run when its call returns, so
 * there is nothing to wait for. On a GPU backend each step leaves a one-element fence computed from its
 * result, and the next step waits for the fence of the step before it with an asynchronous read (the
 * device's queue runs in order: once that fence is read, the step before has finished). Never dataSync:
 * WebGPU has no synchronous read (TensorFlow.js emulates one through a canvas, slowly, and in Node it
 * fails), and a read stalls the thread while the device drains.
 */
export function pacerFor(backend: string): Pacer {
  if (!isAsyncDevice(backend)) return noPacing;
  let previous: tf.Tensor | null = null;
  return {
    async step(result) {
      const fence = tf.tidy(() => tf.slice(tf.reshape(result, [-1]), [0], [1]));
      const before = previous;
      previous = fence;
      if (!before) return;
      try {
        await before.data();
      } finally {
        before.dispose();
      }
    },
    dispose() {
      previous?.dispose();
      previous = null;
    },
  };
}

/** The largest buffer the backend in use can bind, in bytes: the WebGPU device's limit, else Infinity. */
export function maxBufferBytes(): number {
  if (tf.getBackend() !== 'webgpu') return Infinity;
  const limits = (tf.backend() as unknown as { device?: { limits?: Record<string, number> } }).device?.limits;
  if (!limits) return Infinity;
  return Math.min(limits.maxStorageBufferBindingSize ?? Infinity, limits.maxBufferSize ?? Infinity);
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/**
 * Refuses, before anything is allocated, a run whose float32 arrays the device cannot hold in one buffer.
 * `arrays` names each one with its element count ("the weights (1600 x 400)").
 */
export function assertFitsDevice(arrays: { what: string; elements: number }[], limit = maxBufferBytes()): void {
  if (!Number.isFinite(limit)) return;
  for (const { what, elements } of arrays) {
    const bytes = 4 * elements;
    if (bytes > limit) {
      throw new Error(
        `${what} need ${mb(bytes)} in one buffer; this WebGPU device binds at most ${mb(limit)} ` +
          "(maxStorageBufferBindingSize): make it smaller, or use backend 'wasm'",
      );
    }
  }
}

/**
 * A tensor's values in an array of its own, read asynchronously. The webgpu and cpu backends hand out the
 * array they keep for the tensor, which a transfer to another thread would detach under them; wasm copies.
 */
export async function readFloats(t: tf.Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  return tf.getBackend() === 'wasm' ? values : values.slice();
}
