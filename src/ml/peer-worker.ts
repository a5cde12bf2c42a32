/** The second thread of a two-thread RBM training: trains the second half of the hidden units (parallel.ts). */
import * as Comlink from 'comlink';
import { initBackend, type BackendChoice } from './backend';
import type { VisibleData } from './data';
import { portSplit } from './parallel';
import { trainRbm, type TrainOptions } from './train';

const peer = {
  async train(input: VisibleData, options: TrainOptions, backend: BackendChoice, port: MessagePort): Promise<void> {
    await initBackend(backend);
    await trainRbm(input, options, { afterBatch: () => {} }, undefined, portSplit(port, 1, options.hidden));
  },
};

export type PeerApi = typeof peer;

Comlink.expose(peer);
