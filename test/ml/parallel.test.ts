import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/ml/backend';
import { hiddenRange, portSplit, visibleAcross, visibleRange, type HiddenSplit } from '../../src/ml/parallel';
import { Rng } from '../../src/physics/rng';

beforeAll(async () => {
  await initBackend();
});

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

/** Both ends of a split in this one thread: the swaps are promises, so the two roles can interleave. */
function splitPair(nh: number): [HiddenSplit, HiddenSplit] {
  const channel = new MessageChannel();
  channels.push(channel);
  return [portSplit(channel.port1, 0, nh), portSplit(channel.port2, 1, nh)];
}

describe('the visible half-step across two threads', () => {
  // odd sizes everywhere: the halves of the hidden and the visible units are unequal
  const [nv, nh, batch] = [7, 5, 3];
  const rng = new Rng(11);
  const W = Float32Array.from({ length: nv * nh }, () => 2 * rng.next() - 1);
  const vbias = Float32Array.from({ length: nv }, () => rng.next() - 0.5);
  const hT = Float32Array.from({ length: nh * batch }, () => (rng.next() < 0.5 ? 1 : 0));
  const v0Rows = Float32Array.from({ length: batch * nv }, () => (rng.next() < 0.5 ? 1 : 0));
  /** p(v_i = 1 | h) for column r, over all hidden units. */
  const p = (i: number, r: number) => {
    let x = vbias[i];
    for (let j = 0; j < nh; j++) x += W[i * nh + j] * hT[j * batch + r];
    return 1 / (1 + Math.exp(-x));
  };

  /** Role `role`'s call: its columns of W and its rows of hT. */
  function call(split: HiddenSplit, options: { sample: boolean; v0Rows?: Float32Array }, uniform = 0.5) {
    const { from, to } = hiddenRange(nh, split.role);
    const mine = tf.tidy(() => tf.slice(tf.tensor2d(W, [nv, nh]), [0, from], [nv, to - from]) as tf.Tensor2D);
    const hidden = tf.tensor2d(hT.slice(from * batch, to * batch), [to - from, batch]);
    return visibleAcross(hidden, mine, vbias, split, (out) => out.fill(uniform), {}, options).finally(() =>
      tf.dispose([mine, hidden]),
    );
  }

  it('gives both threads the same visible state, sampled from p(v | h) over all hidden units', async () => {
    const before = tf.memory().numTensors;
    const [a, b] = await Promise.all(splitPair(nh).map((split) => call(split, { sample: true })));
    const expected = Array.from({ length: nv * batch }, (_, k) => (p(Math.floor(k / batch), k % batch) > 0.5 ? 1 : 0));
    expect(Array.from(a.v!.dataSync())).toEqual(expected);
    expect(Array.from(b.v!.dataSync())).toEqual(expected);
    expect(expected.some((x) => x === 1) && expected.some((x) => x === 0)).toBe(true);
    tf.dispose([a.v!, b.v!]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('splits the reconstruction error between the threads by visible unit', async () => {
    const [a, b] = await Promise.all(splitPair(nh).map((split) => call(split, { sample: false, v0Rows })));
    expect(a.v).toBeUndefined();
    let total = 0;
    let first = 0;
    const { to: firstHalf } = visibleRange(nv, 0);
    for (let i = 0; i < nv; i++) {
      for (let r = 0; r < batch; r++) {
        const d = (v0Rows[r * nv + i] - p(i, r)) ** 2;
        total += d;
        if (i < firstHalf) first += d;
      }
    }
    expect(a.squaredError).toBeCloseTo(first, 5);
    expect(a.squaredError + b.squaredError).toBeCloseTo(total, 5);
  });

  it('samples each unit with probability p(v | h)', async () => {
    // uniform numbers just below and above p: the samples flip from 1 to 0 at p
    const [a0, b0] = await Promise.all(splitPair(nh).map((split) => call(split, { sample: true }, 1e-6)));
    const [a1, b1] = await Promise.all(splitPair(nh).map((split) => call(split, { sample: true }, 1 - 1e-6)));
    expect(Array.from(a0.v!.dataSync()).every((x) => x === 1)).toBe(true);
    expect(Array.from(a1.v!.dataSync()).every((x) => x === 0)).toBe(true);
    tf.dispose([a0.v!, b0.v!, a1.v!, b1.v!]);
  });
});
