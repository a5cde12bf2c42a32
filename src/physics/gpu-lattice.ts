/// <reference types="@webgpu/types" />
/**
 * The Philox checkerboard Metropolis kernel on WebGPU: every chain of a run (temperatures x replicas) side by
 * side in one buffer, two dispatches (the colours) per sweep, a small pass that packs each kept state into a
 * samples buffer on the GPU, read back in chunks with mapAsync (never a synchronous read), so progress and
 * cancellation come between chunks. Bit for bit the samples of the JavaScript twin (metropolis-philox.ts).
 *
 * Takes a GPUDevice and leaves it open (openWebGpu gives one; its caller destroys it); destroys every buffer
 * it made, also when cancelled or failing.
 */
import {
  THRESHOLD_STRIDE,
  acceptanceThresholds,
  chainKey,
  initialSpins,
  runChains,
  samplesPerReplica,
  type PhiloxRun,
} from './metropolis-philox';
import { GRID_ROW_WORKGROUPS, METROPOLIS_PHILOX_WGSL, STEP_STRIDE, WORKGROUP_SIZE } from './metropolis-philox.wgsl';

export interface WebGpu {
  device: GPUDevice;
  /** What the adapter says it is: "google swiftshader", "nvidia ampere", ... */
  adapter: string;
  /** A software adapter (SwiftShader, or one the browser marks as a fallback). */
  software: boolean;
}

export interface WebGpuMissing {
  /** Why there is no WebGPU device here, for a message ("WebGPU is not available here: ..."). */
  missing: string;
}

/**
 * Opens a WebGPU device where there is one: in a browser window or dedicated worker with WebGPU. With
 * `software: false`, a software adapter counts as missing (SwiftShader is slower than the JavaScript twin).
 */
export async function openWebGpu(options: { software: boolean }): Promise<WebGpu | WebGpuMissing> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) {
    return { missing: 'this JavaScript engine has no navigator.gpu (Node has none; a browser without WebGPU neither)' };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { missing: `requesting an adapter failed (${(error as Error).message})` };
  }
  if (!adapter) return { missing: 'the browser offers no WebGPU adapter (no usable GPU, or WebGPU is switched off)' };
  const info = adapter.info;
  const software = info.isFallbackAdapter === true || info.architecture === 'swiftshader';
  const name = [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unknown adapter';
  if (software && !options.software) return { missing: `only a software adapter (${name})` };
  try {
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    return { device, adapter: name, software };
  } catch (error) {
    return { missing: `the adapter (${name}) gave no device (${(error as Error).message})` };
  }
}

export interface GpuRunHooks {
  /** Called after each chunk has been read back, with the sweeps every chain has done; may await (cancel). */
  afterChunk(sweeps: number): void | Promise<void>;
}

export interface GpuRunStats {
  chains: number;
  sweeps: number;
  /** Wall time from the first submission to the last read-back. */
  ms: number;
  /** Attempted flips per nanosecond over all chains. */
  flipsPerNs: number;
  submissions: number;
}

/** The samples buffer's size at most: a chunk read back at once. */
const SAMPLE_CHUNK_BYTES = 32 * 1024 * 1024;
/** Sweeps in one submission at most, and the time one should take once the speed is known. */
const MAX_SWEEPS_PER_SUBMISSION = 1024;
const TARGET_SUBMISSION_MS = 100;

/**
 * Runs `run` on the device: chain c (temperature floor(c / replicas), replica c mod replicas) writes its k-th
 * sample to rows c perReplica + k of `out` (L² int8 spins each), the layout of the Lattice Generator's output.
 */
export async function runPhiloxWebGpu(
  device: GPUDevice,
  run: PhiloxRun,
  out: Int8Array,
  hooks: GpuRunHooks,
  /** Smaller chunks than usual, for tests of the chunking (the samples do not depend on them). */
  chunking: { sampleChunkBytes?: number; maxSweepsPerSubmission?: number } = {},
): Promise<GpuRunStats> {
  const chunkBytes = chunking.sampleChunkBytes ?? SAMPLE_CHUNK_BYTES;
  const maxSweeps = chunking.maxSweepsPerSubmission ?? MAX_SWEEPS_PER_SUBMISSION;
  const { L } = run;
  if (L % 2 !== 0 || L < 2) throw new Error(`the GPU kernel needs an even L, got ${L}`);
  const chains = runChains(run);
  const C = chains.length;
  const N = L * L;
  const perReplica = samplesPerReplica(run);
  if (out.length < C * perReplica * N) throw new Error('runPhiloxWebGpu: output array too small');
  const totalSweeps = run.burnIn + perReplica * run.thin;
  const limits = device.limits;
  const maxBinding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const mb = (bytes: number) => `${Math.ceil(bytes / 1024 / 1024)} MB`;
  if (C * N * 4 > maxBinding) {
    throw new Error(
      `the lattices (${C} chains x ${N} sites, 4 bytes each) need ${mb(C * N * 4)} of GPU memory in one buffer; ` +
        `this device allows ${mb(maxBinding)}: use fewer temperatures, replicas or sites`,
    );
  }
  const slotBytes = C * N;
  const slots = Math.max(1, Math.min(perReplica, maxSweeps, Math.floor(Math.min(chunkBytes, maxBinding) / slotBytes)));
  const stepCapacity = 2 * maxSweeps + slots;

  const buffers: GPUBuffer[] = [];
  const buffer = (size: number, usage: number) => {
    const b = device.createBuffer({ size: Math.max(16, Math.ceil(size / 16) * 16), usage });
    buffers.push(b);
    return b;
  };
  // Promises of read-backs in flight: on an early exit they reject once their buffer is destroyed.
  const pending = new Set<Promise<unknown>>();
  try {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const spins = buffer(C * N * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    const thresholds = buffer(C * THRESHOLD_STRIDE * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    const keys = buffer(C * 16, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    const samples = buffer(slots * slotBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const staging = [0, 1].map(() => buffer(slots * slotBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST));
    const steps = buffer(stepCapacity * STEP_STRIDE, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);

    const start = new Int32Array(C * N);
    const thresholdData = new Uint32Array(C * THRESHOLD_STRIDE);
    const keyData = new Uint32Array(C * 4);
    chains.forEach((chain, c) => {
      initialSpins(run, chain, start.subarray(c * N, (c + 1) * N));
      acceptanceThresholds(chain.T, run.J, run.h, thresholdData, c * THRESHOLD_STRIDE);
      keyData.set([...chainKey(run.seed, chain.T), chain.replica, 0], 4 * c);
    });
    device.queue.writeBuffer(spins, 0, start);
    device.queue.writeBuffer(thresholds, 0, thresholdData);
    device.queue.writeBuffer(keys, 0, keyData);

    const module = device.createShaderModule({ code: METROPOLIS_PHILOX_WGSL });
    const layout = device.createBindGroupLayout({
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        {
          binding: 4,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 16 },
        },
      ],
    });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
    const bindGroup = device.createBindGroup({
      layout,
      entries: [
        { binding: 0, resource: { buffer: spins } },
        { binding: 1, resource: { buffer: thresholds } },
        { binding: 2, resource: { buffer: keys } },
        { binding: 3, resource: { buffer: samples } },
        { binding: 4, resource: { buffer: steps, size: 16 } },
      ],
    });
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    if (validation || memory)
      throw new Error(`WebGPU refused the kernel's buffers: ${(validation ?? memory)!.message}`);
    const constants = { L, CHAINS: C };
    const [sweepPipeline, packPipeline] = await Promise.all(
      ['sweep', 'pack'].map((entryPoint) =>
        device.createComputePipelineAsync({ layout: pipelineLayout, compute: { module, entryPoint, constants } }),
      ),
    );

    const sweepWorkgroups = Math.ceil((C * Math.ceil(N / 2 / 4)) / WORKGROUP_SIZE);
    const packWorkgroups = Math.ceil((C * N) / 4 / WORKGROUP_SIZE);
    const grid = (workgroups: number): [number, number] => [
      Math.min(workgroups, GRID_ROW_WORKGROUPS),
      Math.ceil(workgroups / GRID_ROW_WORKGROUPS),
    ];
    const stepData = new Uint32Array((stepCapacity * STEP_STRIDE) / 4);

    /** Encodes and submits sweeps [from, to); returns the samples packed (k of the first, and how many). */
    const submit = (from: number, to: number, target: GPUBuffer) => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      let step = 0;
      let firstSample = -1;
      let packed = 0;
      const setStep = (sweep: number, colour: number, slot: number) => {
        const o = (step * STEP_STRIDE) / 4;
        stepData[o] = sweep >>> 0;
        stepData[o + 1] = Math.floor(sweep / 4294967296);
        stepData[o + 2] = colour;
        stepData[o + 3] = slot;
        pass.setBindGroup(0, bindGroup, [step * STEP_STRIDE]);
        step++;
      };
      for (let sweep = from; sweep < to; sweep++) {
        pass.setPipeline(sweepPipeline);
        for (const colour of [0, 1]) {
          setStep(sweep, colour, 0);
          pass.dispatchWorkgroups(...grid(sweepWorkgroups));
        }
        const kept = sweep + 1 - run.burnIn;
        if (kept > 0 && kept % run.thin === 0) {
          if (firstSample < 0) firstSample = kept / run.thin - 1;
          pass.setPipeline(packPipeline);
          setStep(sweep, 0, packed++);
          pass.dispatchWorkgroups(...grid(packWorkgroups));
        }
      }
      pass.end();
      if (packed > 0) encoder.copyBufferToBuffer(samples, 0, target, 0, packed * slotBytes);
      device.queue.writeBuffer(steps, 0, stepData, 0, (step * STEP_STRIDE) / 4);
      device.queue.submit([encoder.finish()]);
      return { firstSample, packed };
    };

    /** The end of the submission that starts at `from`: its sweeps, and no more samples than the slots. */
    let sweepsPerSubmission = Math.max(1, Math.min(64, maxSweeps, Math.ceil(2 ** 20 / (C * N))));
    const nextEnd = (from: number) => {
      const samplesBefore = Math.max(0, Math.floor((from - run.burnIn) / run.thin));
      return Math.min(totalSweeps, from + sweepsPerSubmission, run.burnIn + (samplesBefore + slots) * run.thin);
    };

    interface InFlight {
      to: number;
      firstSample: number;
      packed: number;
      target: GPUBuffer;
      done: Promise<void>;
    }
    const inFlight: InFlight[] = [];
    const launch = (from: number, index: number) => {
      const to = nextEnd(from);
      const target = staging[index % 2];
      const { firstSample, packed } = submit(from, to, target);
      const done =
        packed > 0 ? target.mapAsync(GPUMapMode.READ, 0, packed * slotBytes) : device.queue.onSubmittedWorkDone();
      pending.add(done);
      inFlight.push({ to, firstSample, packed, target, done });
    };

    const started = performance.now();
    let launched = 0;
    let submittedTo = 0;
    let submissions = 0;
    while (submittedTo < totalSweeps && inFlight.length < 2) {
      launch(submittedTo, launched++);
      submittedTo = inFlight.at(-1)!.to;
    }
    while (inFlight.length > 0) {
      const chunk = inFlight.shift()!;
      await chunk.done;
      pending.delete(chunk.done);
      submissions++;
      if (chunk.packed > 0) {
        const bytes = new Int8Array(chunk.target.getMappedRange(0, chunk.packed * slotBytes));
        for (let slot = 0; slot < chunk.packed; slot++) {
          for (let c = 0; c < C; c++) {
            const row = c * perReplica + chunk.firstSample + slot;
            out.set(bytes.subarray((slot * C + c) * N, (slot * C + c + 1) * N), row * N);
          }
        }
        chunk.target.unmap();
      }
      // Aim at TARGET_SUBMISSION_MS per submission from the speed so far (the samples do not depend on it).
      const perSweep = (performance.now() - started) / chunk.to;
      sweepsPerSubmission = Math.max(1, Math.min(maxSweeps, Math.round(TARGET_SUBMISSION_MS / perSweep)));
      if (submittedTo < totalSweeps) {
        launch(submittedTo, launched++);
        submittedTo = inFlight.at(-1)!.to;
      }
      await hooks.afterChunk(chunk.to);
    }
    const ms = performance.now() - started;
    return { chains: C, sweeps: totalSweeps, ms, flipsPerNs: (C * N * totalSweeps) / (ms * 1e6), submissions };
  } finally {
    for (const p of pending) p.catch(() => {});
    for (const b of buffers) b.destroy();
  }
}
