/**
 * Two threads training one RBM in data parallel: each takes half of every mini-batch, they swap their
 * gradient sums after each step, and both apply the same total, so their weights stay identical (floating-
 * point addition is commutative) and the result does not depend on which thread did which half's arithmetic
 * beyond that. Messages move by transfer, without copies.
 */

export interface GradientSums {
  dW: Float32Array;
  dvb: Float32Array;
  dhb: Float32Array;
  /** Sum of the squared reconstruction errors of the rows, for the epoch's mean. */
  error: number;
}

export interface GradientExchange {
  /** This thread's part of the batch: 0 takes the first half, 1 the second. */
  role: 0 | 1;
  /** Sends this thread's sums and resolves with the other thread's. */
  exchange(local: GradientSums): Promise<GradientSums>;
  /** Ends the exchange: a waiting and every later exchange rejects with `error` (the peer is gone). */
  fail(error: Error): void;
}

interface PortLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
}

/** The exchange over one end of a MessageChannel. Messages arrive in order, one per step. */
export function portExchange(port: PortLike, role: 0 | 1): GradientExchange {
  const inbox: GradientSums[] = [];
  const waiting: { resolve(sums: GradientSums): void; reject(error: Error): void }[] = [];
  let failure: Error | null = null;
  port.addEventListener('message', (event) => {
    const sums = event.data as GradientSums;
    const next = waiting.shift();
    if (next) next.resolve(sums);
    else inbox.push(sums);
  });
  port.start?.();
  return {
    role,
    exchange(local) {
      if (failure) return Promise.reject(failure);
      port.postMessage(local, [local.dW.buffer, local.dvb.buffer, local.dhb.buffer] as Transferable[]);
      const ready = inbox.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    fail(error) {
      failure ??= error;
      for (const next of waiting.splice(0)) next.reject(error);
    },
  };
}
