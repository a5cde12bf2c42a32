/**
 * Training on two threads: this thread and a peer worker each train half of the hidden units and swap
 * visible-side arrays at every Gibbs step (parallel.ts), over shared memory where the thread may use
 * it (shared-split.ts), else over a MessagePort. A peer that fails stops the training with its error;
 * cancelling here terminates the peer.
 */
import * as Comlink from 'comlink';
import Worker from 'web-worker';
import type { RbmValue } from '../graph/values';
import type { BackendChoice } from './backend';
import type { VisibleData } from './data';
import { portSplit } from './parallel';
import type { PeerApi } from './peer-worker';
import { canShareMemory, sharedSplit, sharedSplitMemory } from './shared-split';
import { HIDDEN_CHUNK_ROWS, trainRbm, type TrainHooks, type TrainOptions, type TrainResult } from './train';

interface PeerThread {
  endpoint: Comlink.Endpoint;
  onError(listener: (message: string) => void): void;
  terminate(): void;
}

const NODE_THREADS = 'node:worker_threads'; // a variable specifier: the browser bundle must not resolve it

/**
 * The peer thread. In a browser, and from Node's main thread, `web-worker` gives a Worker; inside a Node
 * worker thread (the CLI's and the tests' pool) it cannot, so a worker_threads Worker is started directly.
 */
async function startPeer(): Promise<PeerThread> {
  const url = new URL('./peer-worker.ts', import.meta.url);
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (isNode) {
    const threads = (await import(/* @vite-ignore */ NODE_THREADS)) as typeof import('node:worker_threads');
    if (!threads.isMainThread) {
      const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
      const thread = new threads.Worker(url, { name: 'blockspin-rbm-peer' });
      return {
        endpoint: nodeEndpoint(thread),
        onError: (listener) => thread.on('error', (error: Error) => listener(error.message)),
        terminate: () => void thread.terminate(),
      };
    }
  }
  const worker = new Worker(new URL('./peer-worker.ts', import.meta.url), {
    type: 'module',
    name: 'blockspin-rbm-peer',
  });
  return {
    endpoint: worker as unknown as Comlink.Endpoint,
    onError: (listener) =>
      worker.addEventListener('error', (event: unknown) =>
        listener((event as { message?: string }).message ?? 'unknown error'),
      ),
    terminate: () => worker.terminate(),
  };
}

export async function trainRbmInParallel(
  input: VisibleData,
  options: TrainOptions,
  hooks: TrainHooks,
  backend: BackendChoice,
  below?: RbmValue,
): Promise<TrainResult> {
  const worker = await startPeer();
  const peer = Comlink.wrap<PeerApi>(worker.endpoint);
  const nh = options.hidden;
  const half = Math.ceil(nh / 2);
  // The largest swap: a batch's partial visible input, half the model, or a chunk of hidden outputs.
  const capacity = Math.max(
    input.nv * Math.min(options.batchSize, input.n),
    (input.nv + 1) * half,
    HIDDEN_CHUNK_ROWS * half,
  );
  const memory = canShareMemory() ? sharedSplitMemory(capacity) : undefined;
  const channel = memory ? undefined : new MessageChannel();
  const split = memory ? sharedSplit(memory, 0, nh) : portSplit(channel!.port1, 0, nh);
  let peerFailure: Error | undefined;
  let stopWaiting: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (stopWaiting = reject));
  failed.catch(() => {});
  const failWith = (error: Error) => {
    peerFailure ??= error;
    split.fail(error);
    stopWaiting(error);
  };
  worker.onError((message) => failWith(new Error(`the training peer thread crashed: ${message}`)));
  try {
    // Started before any swap blocks this thread: a browser starts a nested worker from its parent's event loop.
    await Promise.race([peer.ready(backend), failed]);
    const link = memory ?? Comlink.transfer(channel!.port2, [channel!.port2]);
    const peerDone = peer.train(input, options, backend, link);
    peerDone.catch((error: unknown) => failWith(error instanceof Error ? error : new Error(String(error))));
    try {
      const result = await trainRbm(input, options, hooks, below, split);
      await peerDone;
      return result;
    } catch (error) {
      // A swap over shared memory only sees that the peer stopped: wait briefly for its own error.
      if (!peerFailure) await Promise.race([peerDone.catch(() => {}), new Promise((r) => setTimeout(r, 500))]);
      throw peerFailure ?? error;
    }
  } finally {
    peer[Comlink.releaseProxy]();
    channel?.port1.close();
    worker.terminate();
  }
}
