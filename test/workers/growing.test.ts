import { describe, expect, it } from 'vitest';
import type { SpinsValue, TensorValue, Value } from '../../src/graph/values';
import { GrowthReceiver, GrowthSender, trimViews } from '../../src/workers/growing';

/** A spins set of `rows` samples of 3 sites (sample r is all (-1)^r) at temperature r / 10, viewing a set of 100. */
const all = new Int8Array(300).map((_, i) => (Math.floor(i / 3) % 2 ? -1 : 1));
const allT = new Float64Array(100).map((_, r) => r / 10);
function spins(rows: number, meta: Record<string, unknown> = {}): SpinsValue {
  return { type: 'spins', shape: [rows, 3], data: all.subarray(0, 3 * rows), T: allT.subarray(0, rows), meta };
}

function across(sender: GrowthSender, receiver: GrowthReceiver, outputs: Record<string, Value>) {
  const { message, transfer } = sender.encode(outputs);
  // as postMessage would: moved buffers are gone from the sender, the rest arrives as copies
  const arrived = structuredClone(message, { transfer });
  return { message: arrived, outputs: receiver.decode(arrived) };
}

describe('GrowthSender and GrowthReceiver', () => {
  it('send only the new rows of a growing output and hand on the whole value', () => {
    const sender = new GrowthSender(new Set(['spins']));
    const receiver = new GrowthReceiver();
    const first = across(sender, receiver, { spins: spins(10, { step: 1 }) });
    expect(first.message.appended.spins).toEqual({ from: 0, capacity: 100 });
    expect((first.message.outputs.spins as SpinsValue).data.length).toBe(30);
    const second = across(sender, receiver, { spins: spins(25, { step: 2 }) });
    expect(second.message.appended.spins).toEqual({ from: 10, capacity: 100 });
    const part = second.message.outputs.spins as SpinsValue;
    expect(part.shape).toEqual([15, 3]);
    expect(Array.from(part.T)).toEqual(Array.from(allT.subarray(10, 25)));
    const whole = second.outputs.spins as SpinsValue;
    expect(whole.shape).toEqual([25, 3]);
    expect(Array.from(whole.data)).toEqual(Array.from(all.subarray(0, 75)));
    expect(Array.from(whole.T)).toEqual(Array.from(allT.subarray(0, 25)));
    expect(whole.meta).toEqual({ step: 2 });
    // the earlier value is untouched by the append
    const earlier = first.outputs.spins as SpinsValue;
    expect(earlier.shape).toEqual([10, 3]);
    expect(Array.from(earlier.data)).toEqual(Array.from(all.subarray(0, 30)));
  });

  it('grow their buffer by doubling, never past the size the sender announced', () => {
    const sender = new GrowthSender(new Set(['spins']));
    const receiver = new GrowthReceiver();
    const buffers = new Set<ArrayBufferLike>();
    for (let rows = 1; rows <= 100; rows++) {
      const { outputs } = across(sender, receiver, { spins: spins(rows) });
      const value = outputs.spins as SpinsValue;
      buffers.add(value.data.buffer);
      expect(value.data.buffer.byteLength).toBeLessThanOrEqual(300);
    }
    // 1, 2, 4, ..., 64, then 100: eight buffers for a hundred appends
    expect(buffers.size).toBe(8);
  });

  it('start afresh when a value does not extend the one before', () => {
    const sender = new GrowthSender(new Set(['out']));
    const receiver = new GrowthReceiver();
    const t = (rows: number, width: number, fill: number): TensorValue => ({
      type: 'tensor',
      shape: [rows, width],
      data: new Float32Array(rows * width).fill(fill),
      meta: {},
    });
    across(sender, receiver, { out: t(4, 2, 1) });
    const shorter = across(sender, receiver, { out: t(2, 2, 5) });
    expect(shorter.message.appended.out.from).toBe(0);
    expect(Array.from((shorter.outputs.out as TensorValue).data)).toEqual([5, 5, 5, 5]);
    const wider = across(sender, receiver, { out: t(3, 3, 7) });
    expect(wider.message.appended.out.from).toBe(0);
    expect((wider.outputs.out as TensorValue).shape).toEqual([3, 3]);
  });

  it('send other outputs whole, and growing ports of types without rows whole', () => {
    const sender = new GrowthSender(new Set(['spins', 'table']));
    const table: Value = { type: 'table', columns: ['a'], rows: [[1]] };
    const { message } = sender.encode({ spins: spins(5), other: spins(5), table });
    expect(Object.keys(message.appended)).toEqual(['spins']);
    expect(message.outputs.table).toBe(table);
    // a view is never sent as such: it would be cloned with its whole buffer
    const other = message.outputs.other as SpinsValue;
    expect(other.data.buffer.byteLength).toBe(15);
    expect(other.T.buffer.byteLength).toBe(40);
  });

  it('refuse rows that arrive out of step', () => {
    const receiver = new GrowthReceiver();
    const part = spins(5);
    expect(() => receiver.decode({ outputs: { spins: part }, appended: { spins: { from: 5, capacity: 10 } } })).toThrow(
      "the intermediate value of output 'spins' arrived out of step (rows from 5, 0 held)",
    );
  });
});

describe('trimViews', () => {
  it('copies partial views exactly, leaves whole arrays and untouched objects as they are', () => {
    const whole = new Float32Array(4);
    const value = { a: { data: all.subarray(3, 9), keep: whole }, list: [whole, 1], same: { x: 1 } };
    const transfer: ArrayBuffer[] = [];
    const trimmed = trimViews(value, transfer);
    expect(trimmed.a.data.buffer.byteLength).toBe(6);
    expect(Array.from(trimmed.a.data)).toEqual(Array.from(all.subarray(3, 9)));
    expect(trimmed.a.keep).toBe(whole);
    expect(trimmed.list).toBe(value.list);
    expect(trimmed.same).toBe(value.same);
    expect(transfer).toEqual([trimmed.a.data.buffer]);
    expect(trimViews(value.list, [])).toBe(value.list);
  });
});
