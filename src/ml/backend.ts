/**
 * TensorFlow.js backend choice, made once per thread. 'auto' takes WebGPU where a real GPU adapter is present
 * (not SwiftShader or another software adapter: a CPU emulation, slower than wasm), then WebGL on a real GPU
 * (browser), then WebAssembly (SIMD), then plain JavaScript. BLOCKSPIN_BACKEND (Node) or a node param forces
 * one; 'webgpu' asked for by name takes any adapter, a software one too, and is refused with the reason where
 * there is none. This module is only ever loaded inside workers and the CLI, never in the main bundle.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'webgl' | 'webgpu' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export interface InitOptions {
  /**
   * The RBM trains on two threads (threads: 2). That split exchanges visible-side arrays through this
   * thread's memory at every Gibbs step, which a GPU backend would have to read back synchronously: 'auto'
   * leaves WebGPU out for it, and 'webgpu' is refused.
   */
  twoThreads?: boolean;
}

/** What a WebGPU adapter says of itself (GPUAdapterInfo, and whether it is a fallback adapter). */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
}

/** A WebGPU probe's finding: an adapter, or why there is none. */
export type WebGpuProbe = { adapter: AdapterSummary } | { missing: string };

/** The part of navigator.gpu (or Dawn's GPU object in Node) that the probe uses. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}

interface AdapterLike {
  info?: Partial<AdapterSummary>;
  isFallbackAdapter?: boolean;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

let current: Promise<string> | null = null;
let currentKey: string | null = null;

/** SwiftShader, lavapipe/llvmpipe and other CPU emulations of a GPU, and any adapter that says it is a fallback. */
export function isSoftwareAdapter(adapter: AdapterSummary): boolean {
  const text = `${adapter.vendor} ${adapter.architecture} ${adapter.description}`;
  return adapter.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software|basic render/i.test(text);
}

/** A short name for an adapter, for messages: "google swiftshader". */
export function adapterName(adapter: AdapterSummary): string {
  return [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ') || 'unnamed adapter';
}

/**
 * Asks a GPU object for its adapter, as TensorFlow.js's WebGPU backend will (high-performance). `where`
 * names the GPU's source in the message when there is no adapter.
 */
export async function probeWebGpu(gpu: GpuLike | undefined, where: string): Promise<WebGpuProbe> {
  if (!gpu) return { missing: `${where} has no WebGPU` };
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { missing: `${where}: requestAdapter() failed (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!adapter) return { missing: `${where} found no WebGPU adapter (no GPU, or WebGPU is blocked for it)` };
  const info = adapter.info ?? {};
  return {
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      description: info.description ?? '',
      isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    },
  };
}

/**
 * The backends to try, in order, for a choice: a pure function of what the thread has, so that tests give it
 * fakes. Throws, naming the reason, where 'webgpu' is asked for and cannot be had.
 */
export function backendChain(
  wanted: BackendChoice,
  found: { webgpu: WebGpuProbe; realWebgl: boolean },
  options: InitOptions = {},
): BackendName[] {
  if (wanted === 'webgpu') {
    if (options.twoThreads) {
      throw new Error(
        "backend 'webgpu' trains on one thread: the two-thread split (threads: 2) runs on wasm; set threads to 1 or 'auto'",
      );
    }
    if ('missing' in found.webgpu) throw new Error(`backend 'webgpu' is not available: ${found.webgpu.missing}`);
    return ['webgpu'];
  }
  if (wanted !== 'auto') return [wanted, 'cpu'];
  const gpu = !options.twoThreads && 'adapter' in found.webgpu && !isSoftwareAdapter(found.webgpu.adapter);
  return [...(gpu ? (['webgpu'] as const) : []), ...(found.realWebgl ? (['webgl'] as const) : []), 'wasm', 'cpu'];
}

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

const DAWN = 'webgpu'; // a variable specifier: an optional package, never bundled

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

let dawn: Promise<{ gpu: GpuLike; globals: Record<string, unknown> } | { missing: string }> | null = null;

/**
 * Node's GPU: the optional `webgpu` package (Dawn), when it is installed. It finds an adapter through a
 * Vulkan driver (VK_ICD_FILENAMES chooses one).
 */
function nodeGpu(): Promise<{ gpu: GpuLike; globals: Record<string, unknown> } | { missing: string }> {
  dawn ??= (async () => {
    let module: DawnModule;
    try {
      module = (await import(/* @vite-ignore */ DAWN)) as DawnModule;
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return {
        missing: `Node has WebGPU only through the optional package \`webgpu\` (Dawn), which did not load (${why}): npm install webgpu`,
      };
    }
    return { gpu: module.create([]), globals: module.globals };
  })();
  return dawn;
}

/** This thread's GPU object and a probe of its adapter. */
async function findWebGpu(): Promise<{ probe: WebGpuProbe; install?: () => void }> {
  if (!isNode) {
    const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
    const where = globalThis.isSecureContext === false ? 'this page (not a secure context)' : 'this browser';
    return { probe: await probeWebGpu(gpu, where) };
  }
  const found = await nodeGpu();
  if ('missing' in found) return { probe: found };
  return {
    probe: await probeWebGpu(found.gpu, "Node's webgpu package (Dawn)"),
    // TensorFlow.js's WebGPU backend looks for navigator.gpu when it loads, and for GPUBuffer and the other
    // WebGPU classes as globals.
    install: () => {
      Object.assign(globalThis, found.globals);
      const g = globalThis as { navigator?: { gpu?: GpuLike } };
      if (!g.navigator)
        Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
      if (!g.navigator!.gpu) Object.defineProperty(g.navigator, 'gpu', { value: found.gpu, configurable: true });
    },
  };
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

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'wasm') await prepareWasm();
    if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
    if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

function requested(choice: BackendChoice): BackendChoice {
  if (choice !== 'auto') return choice;
  const env = isNode ? process.env.BLOCKSPIN_BACKEND : undefined;
  if (env === 'wasm' || env === 'webgl' || env === 'webgpu' || env === 'cpu') return env;
  return 'auto';
}

/** Picks and initialises a backend; resolves with the name of the one in use. */
export function initBackend(choice: BackendChoice = 'auto', options: InitOptions = {}): Promise<string> {
  const wanted = requested(choice);
  const key = `${wanted}${options.twoThreads ? ' (two threads)' : ''}`;
  if (current && currentKey === key) return current;
  currentKey = key;
  current = (async () => {
    const mayUseWebGpu = wanted === 'webgpu' || (wanted === 'auto' && !options.twoThreads);
    const webgpu = mayUseWebGpu ? await findWebGpu() : { probe: { missing: 'not asked for' } };
    const chain = backendChain(wanted, { webgpu: webgpu.probe, realWebgl: !isNode && hasRealGpu() }, options);
    for (const name of chain) {
      if (name === 'webgpu') webgpu.install?.();
      if (await tryBackend(name)) {
        await tf.ready();
        return tf.getBackend();
      }
      if (wanted === 'webgpu' && 'adapter' in webgpu.probe) {
        throw new Error(
          `backend 'webgpu' did not start on ${adapterName(webgpu.probe.adapter)}: TensorFlow.js could not open a device on it (the console has its reason)`,
        );
      }
    }
    throw new Error('no TensorFlow.js backend could start (tried ' + chain.join(', ') + ')');
  })();
  return current;
}
