/**
 * TensorFlow.js backend choice, made once per thread: WebGL where a real GPU is present (browser),
 * else WebAssembly (SIMD), else plain JavaScript. BLOCKSPIN_BACKEND (Node) or a node param forces one.
 * This module is only ever loaded inside workers and the CLI, never in the main bundle.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendChoice = 'auto' | 'wasm' | 'webgl' | 'cpu';

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

let current: Promise<string> | null = null;
let currentChoice: BackendChoice | null = null;

/** A GPU that is not a software rasteriser (SwiftShader, llvmpipe), seen through WebGL2. */
function hasRealGpu(): boolean {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    return !/swiftshader|llvmpipe|software|basic render/i.test(renderer);
  } catch {
    return false;
  }
}

async function prepareWasm(): Promise<void> {
  // A cross-origin isolated page (the app, so workers can share memory) would make the wasm backend pick
  // its threaded build, whose pthread workers fail to start from our bundled worker: keep it single-threaded.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (isNode) {
    // Running from the sources (tsx): the .wasm files sit in node_modules beside them.
    setWasmPaths(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
  } else {
    const { wasmFileUrls } = await import('./wasm-urls');
    setWasmPaths(wasmFileUrls);
  }
}

async function tryBackend(name: 'wasm' | 'webgl' | 'cpu'): Promise<boolean> {
  try {
    if (name === 'wasm') await prepareWasm();
    if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function requested(choice: BackendChoice): BackendChoice {
  if (choice !== 'auto') return choice;
  const env = isNode ? process.env.BLOCKSPIN_BACKEND : undefined;
  if (env === 'wasm' || env === 'webgl' || env === 'cpu') return env;
  return 'auto';
}

/** Picks and initialises a backend; resolves with the name of the one in use. */
export function initBackend(choice: BackendChoice = 'auto'): Promise<string> {
  const wanted = requested(choice);
  if (current && currentChoice === wanted) return current;
  currentChoice = wanted;
  current = (async () => {
    const chain: ('wasm' | 'webgl' | 'cpu')[] =
      wanted === 'auto' ? [...(!isNode && hasRealGpu() ? (['webgl'] as const) : []), 'wasm', 'cpu'] : [wanted, 'cpu'];
    for (const name of chain) {
      if (await tryBackend(name)) {
        await tf.ready();
        return tf.getBackend();
      }
    }
    throw new Error('no TensorFlow.js backend could start (tried ' + chain.join(', ') + ')');
  })();
  return current;
}
