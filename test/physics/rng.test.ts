import { describe, expect, it } from 'vitest';
import { Rng, hashNumber, threshold } from '../../src/physics/rng';

describe('Rng (xoshiro128**)', () => {
  it('gives the same sequence for the same seed and stream, and different ones otherwise', () => {
    const draw = (seed: number, stream = 0) => {
      const rng = new Rng(seed, stream);
      return Array.from({ length: 8 }, () => rng.nextU32());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(1, 0)).not.toEqual(draw(1, 1));
    expect(draw(0)).not.toEqual(new Array(8).fill(0));
  });

  it('matches the reference xoshiro128** output for a known state', () => {
    // From the reference C implementation (Blackman & Vigna) with state {1, 2, 3, 4}.
    const rng = new Rng(0);
    rng.state.set([1, 2, 3, 4]);
    expect([rng.nextU32(), rng.nextU32(), rng.nextU32()]).toEqual([11520, 0, 5927040]);
  });

  it('fillUniform24 gives exactly the one-by-one values and leaves the generator where they would', () => {
    const [bulk, single] = [new Rng(9, 2), new Rng(9, 2)];
    const out = new Float32Array(1001);
    bulk.fillUniform24(out);
    const expected = Float32Array.from({ length: 1001 }, () => (single.nextU32() >>> 8) * 2 ** -24);
    expect(Array.from(out)).toEqual(Array.from(expected));
    expect(bulk.nextU32()).toBe(single.nextU32());
    expect(Math.max(...out)).toBeLessThan(1);
  });

  it('is uniform: a chi-square test over 64 bins', () => {
    const rng = new Rng(42);
    const bins = new Float64Array(64);
    const n = 640_000;
    for (let i = 0; i < n; i++) bins[Math.floor(rng.next() * 64)]++;
    const expected = n / 64;
    const chi2 = bins.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 63 degrees of freedom: mean 63, sd 11.2; 120 is beyond 5 sd
    expect(chi2).toBeLessThan(120);
    expect(chi2).toBeGreaterThan(20);
  });

  it('below(n) is unbiased for an n that does not divide 2^32', () => {
    const rng = new Rng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 300_000; i++) counts[rng.below(3)]++;
    for (const c of counts) expect(Math.abs(c - 100_000)).toBeLessThan(5 * Math.sqrt(300_000 * (1 / 3) * (2 / 3)));
    expect(() => rng.below(0)).toThrow('n > 0');
  });

  it('hashNumber separates nearby temperatures and threshold maps probabilities to uint32 cut-offs', () => {
    expect(hashNumber(2.269)).not.toBe(hashNumber(2.2690000001));
    expect(hashNumber(2.5)).toBe(hashNumber(2.5));
    expect(threshold(1)).toBe(2 ** 32);
    expect(threshold(0)).toBe(0);
    expect(threshold(0.5)).toBe(2 ** 31);
    expect(threshold(3)).toBe(2 ** 32);
  });
});
