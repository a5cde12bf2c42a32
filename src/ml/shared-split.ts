/**
 * The two-thread swap (parallel.ts) over shared memory: each thread writes its array into a slot of a
 * SharedArrayBuffer, bumps its sequence number and waits (Atomics.wait) for the other's. A MessagePort
 * costs about 2 ms per swap here, and training swaps twice per Gibbs step; this costs microseconds.
 * Two slots per thread, used alternately: a thread can only come back to a slot after the other has
 * answered the swap in between, so it has finished reading it.
 */
import { hiddenRange, type HiddenSplit } from './parallel';

/** The memory two threads share, sized for the largest array either one swaps. */
export interface SharedSplitMemory {
  buffer: SharedArrayBuffer;
  /** Floats per slot. */
  capacity: number;
}

const CONTROL_INTS = 8; // seq0, seq1, failed, (unused), then the length in each of the 4 slots
const FAILED = 2;
const WAIT_SLICE_MS = 200;

/** Whether this thread can use shared memory with a peer (in a browser: only when cross-origin isolated). */
export function canShareMemory(): boolean {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  return (
    typeof SharedArrayBuffer !== 'undefined' &&
    typeof Atomics?.wait === 'function' &&
    (isNode || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true)
  );
}

export function sharedSplitMemory(capacity: number): SharedSplitMemory {
  return { buffer: new SharedArrayBuffer(4 * CONTROL_INTS + 4 * 4 * capacity), capacity };
}

export function sharedSplit(
  memory: SharedSplitMemory,
  role: 0 | 1,
  nh: number,
  /** How long a swap waits for the peer before giving up (a peer that crashed cannot say so). */
  timeoutMs = 120_000,
): HiddenSplit {
  const control = new Int32Array(memory.buffer, 0, CONTROL_INTS);
  const data = new Float32Array(memory.buffer, 4 * CONTROL_INTS, 4 * memory.capacity);
  const slot = (owner: 0 | 1, parity: number) => (owner * 2 + parity) * memory.capacity;
  const other: 0 | 1 = role === 0 ? 1 : 0;
  let count = 0;
  let failure: Error | null = null;
  return {
    role,
    ...hiddenRange(nh, role),
    swap(mine) {
      if (failure) return Promise.reject(failure);
      if (mine.length > memory.capacity) {
        return Promise.reject(new Error(`swap of ${mine.length} values exceeds the shared slot (${memory.capacity})`));
      }
      const k = count++;
      const parity = k & 1;
      data.set(mine, slot(role, parity));
      Atomics.store(control, 4 + role * 2 + parity, mine.length);
      Atomics.store(control, role, k + 1);
      Atomics.notify(control, role);
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const seen = Atomics.load(control, other);
        if (seen >= k + 1) break;
        if (Atomics.load(control, FAILED)) {
          failure = new Error('the training peer thread stopped');
          return Promise.reject(failure);
        }
        if (performance.now() > deadline) {
          failure = new Error(`the training peer thread did not answer within ${timeoutMs / 1000} s`);
          return Promise.reject(failure);
        }
        Atomics.wait(control, other, seen, WAIT_SLICE_MS);
      }
      const length = Atomics.load(control, 4 + other * 2 + parity);
      const start = slot(other, parity);
      return Promise.resolve(data.slice(start, start + length));
    },
    fail(error) {
      failure ??= error;
      Atomics.store(control, FAILED, 1);
      Atomics.notify(control, 0);
      Atomics.notify(control, 1);
    },
  };
}
