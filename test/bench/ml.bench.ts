/** RBM training speed: CD-1 epochs of the Mehta–Schwab first layer on the TensorFlow.js backend in use. */
import { Worker } from 'node:worker_threads';
import { median, type BenchResult } from './measure';
import { epochsThroughNode } from './ml-node';
import type { TrainingRun, TrainingTimes } from './ml-training.worker';
import { numpySecondsPerEpoch } from './reference';

const section = 'ml';

function trainInWorker(run: TrainingRun): Promise<TrainingTimes> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./ml-training.worker.ts', import.meta.url), { workerData: run });
    worker.once('message', (times: TrainingTimes) => {
      resolve(times);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export async function mlBench(): Promise<BenchResult[]> {
  const [n, nv, nh] = [10_000, 1600, 400];
  const options = {
    hidden: nh,
    epochs: 8,
    batchSize: 100,
    learningRate: 0.05,
    k: 1,
    persistent: false,
    l1: 0,
    l2: 0,
    momentum: 0.5,
    seed: 1,
  };
  const gflop = (8 * nv * nh * n) / 1e9;
  const results: BenchResult[] = [];
  const bare = new Map<number, number>();
  let tensorsLeft = 0;
  for (const threads of [1, 2] as const) {
    const times = await trainInWorker({ threads, n, nv, options });
    tensorsLeft += times.tensorsLeft;
    // the first epoch includes compiling the kernels; the machine is noisy
    const seconds = median(times.epochs.slice(1));
    bare.set(threads, seconds);
    results.push(
      {
        section,
        name: `RBM epoch, CD-1, 1600 x 400, batch 100, ${times.backend}, ${threads} thread${threads > 1 ? 's' : ''}`,
        value: seconds,
        unit: 's',
        note: `10,000 samples; median of epochs 2–${options.epochs}; target ≤ 2`,
      },
      {
        section,
        name: `RBM training throughput, ${threads} thread${threads > 1 ? 's' : ''}`,
        value: gflop / seconds,
        unit: 'GFLOP/s',
        note: '8 nv nh per sample',
      },
    );
  }
  // As a user runs it: default params (threads included) through the engine, the CLI's pools and a worker.
  const node = await epochsThroughNode(Math.sqrt(nv), n, { hidden: nh, epochs: options.epochs });
  const nodeSeconds = median(node.epochs.slice(1, -1)); // the last epoch also computes p(h | v) of the data
  const bareSeconds = bare.get(node.threads) ?? NaN;
  results.push(
    {
      section,
      name: `RBM epoch through the node, default params (${node.threads} thread${node.threads > 1 ? 's' : ''})`,
      value: nodeSeconds,
      unit: 's',
      note: 'Lattice Generator → RBM Layer via the CLI engine and pools; median of epochs 2 to last-1',
    },
    {
      section,
      name: 'RBM epoch, node / bare trainer',
      value: nodeSeconds / bareSeconds,
      unit: '×',
      note: `same thread count; target ≤ 1.1`,
    },
  );
  const numpy = numpySecondsPerEpoch(n, nv, nh, options.batchSize, 5);
  if (numpy !== null) {
    results.push(
      {
        section,
        name: 'RBM epoch, NumPy',
        value: numpy,
        unit: 's',
        note: 'reference/rbm_cd1.py, float32, OpenBLAS default threads; median of epochs 2–5',
      },
      {
        section,
        name: 'RBM epoch, node / NumPy',
        value: nodeSeconds / numpy,
        unit: '×',
        note: 'target ≤ 2.5, goal 1.5',
      },
      ...[...bare].map(([threads, seconds]) => ({
        section,
        name: `RBM epoch, bare trainer ${threads} thread${threads > 1 ? 's' : ''} / NumPy`,
        value: seconds / numpy,
        unit: '×',
      })),
    );
  }
  results.push({
    section,
    name: 'tensors left after training',
    value: tensorsLeft,
    unit: 'tensors',
    note: 'must be 0',
  });
  return results;
}
