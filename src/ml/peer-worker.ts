/** The second thread of a two-thread RBM training: trains the second half of the hidden units (parallel.ts). */
import * as Comlink from 'comlink';
import { initBackend, type BackendChoice } from './backend';
import type { VisibleData } from './data';
import { portSplit } from './parallel';
import { sharedSplit, type SharedSplitMemory } from './shared-split';
import { trainRbm, type TrainOptions } from './train';

const NODE_THREADS = 'node:worker_threads'; // a variable specifier: the browser bundle must not resolve it

const peer = {
  /** Resolves once the thread runs and its backend is up. */
  async ready(backend: BackendChoice): Promise<void> {
    await initBackend(backend);
  },
  async train(
    input: VisibleData,
    options: TrainOptions,
    backend: BackendChoice,
    link: MessagePort | SharedSplitMemory,
  ): Promise<void> {
    const split = 'buffer' in link ? sharedSplit(link, 1, options.hidden) : portSplit(link, 1, options.hidden);
    try {
      await initBackend(backend);
      await trainRbm(input, options, { afterBatch: () => {} }, undefined, split);
    } catch (error) {
      split.fail(error instanceof Error ? error : new Error(String(error))); // wakes the other thread
      throw error;
    }
  },
};

export type PeerApi = typeof peer;

// Started by web-worker or a browser, the thread has `self`; started as a bare Node worker thread
// (from inside another worker thread), it talks over parentPort.
if (typeof self !== 'undefined') {
  Comlink.expose(peer);
} else {
  const threads = (await import(/* @vite-ignore */ NODE_THREADS)) as typeof import('node:worker_threads');
  const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
  Comlink.expose(peer, nodeEndpoint(threads.parentPort!));
}
