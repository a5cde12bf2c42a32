/** The TensorFlow.js backend param of every node that runs an RBM (RBM Layer, Sampler, RBM Flow). */
import { z } from 'zod';

export const backendParam = z.enum(['auto', 'wasm', 'webgl', 'cpu']).default('auto');
