/**
 * Training on two threads: this thread and a peer worker each train half of the hidden units and swap
 * partial visible inputs at every Gibbs step (parallel.ts). A peer that fails stops the training with
 * its error; cancelling here terminates the peer.
 */
import * as Comlink from 'comlink';
import Worker from 'web-worker';
import type { RbmValue } from '../graph/values';
import type { BackendChoice } from './backend';
import type { VisibleData } from './data';
import { portSplit } from './parallel';
import type { PeerApi } from './peer-worker';
import { trainRbm, type TrainHooks, type TrainOptions, type TrainResult } from './train';

export async function trainRbmInParallel(
  input: VisibleData,
  options: TrainOptions,
  hooks: TrainHooks,
  backend: BackendChoice,
  below?: RbmValue,
): Promise<TrainResult> {
  const worker = new Worker(new URL('./peer-worker.ts', import.meta.url), {
    type: 'module',
    name: 'blockspin-rbm-peer',
  });
  const peer = Comlink.wrap<PeerApi>(worker as unknown as Comlink.Endpoint);
  const channel = new MessageChannel();
  const exchange = portSplit(channel.port1, 0, options.hidden);
  worker.addEventListener('error', (event: unknown) =>
    exchange.fail(
      new Error(`the training peer thread crashed: ${(event as { message?: string }).message ?? 'unknown error'}`),
    ),
  );
  try {
    const peerDone = peer.train(input, options, backend, Comlink.transfer(channel.port2, [channel.port2]));
    peerDone.catch((error: unknown) => exchange.fail(error instanceof Error ? error : new Error(String(error))));
    const result = await trainRbm(input, options, hooks, below, exchange);
    await peerDone;
    return result;
  } finally {
    peer[Comlink.releaseProxy]();
    channel.port1.close();
    worker.terminate();
  }
}
