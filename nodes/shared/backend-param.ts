/**
 * The TensorFlow.js backend param of every node that runs an RBM (RBM Layer, Sampler, RBM Flow, and those
 * built on their code). 'auto': WebGPU on a real GPU, then WebGL on a real GPU, then wasm (src/ml/backend.ts);
 * 'webgpu' by name also takes a software adapter (SwiftShader), and fails naming the reason where there is none.
 */
import { z } from 'zod';

export const backendParam = z.enum(['auto', 'wasm', 'webgl', 'webgpu', 'cpu']).default('auto');
