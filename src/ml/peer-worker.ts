/** The second thread of a data-parallel RBM training: trains on its half of every mini-batch (parallel.ts). */
import * as Comlink from 'comlink';
import { initBackend, type BackendChoice } from './backend';
import type { VisibleData } from './data';
import { portExchange } from './parallel';
import { trainRbm, type TrainOptions } from './train';

const peer = {
  async train(input: VisibleData, options: TrainOptions, backend: BackendChoice, port: MessagePort): Promise<void> {
    await initBackend(backend);
    await trainRbm(input, options, { afterBatch: () => {} }, undefined, portExchange(port, 1));
  },
};

export type PeerApi = typeof peer;

Comlink.expose(peer);
