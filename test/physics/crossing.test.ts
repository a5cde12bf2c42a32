/** Where two curves with error bars cross, and the error of the crossing. */
import { describe, expect, it } from 'vitest';
import { curveCrossing } from '../../src/physics/crossing';
import { mulberry32 } from '../helpers/random';

const T = [2.0, 2.1, 2.2, 2.3, 2.4];
const line = (y0: number, slope: number) => T.map((t) => y0 + slope * (t - 2.2));

describe('curveCrossing', () => {
  it('finds the crossing of two straight lines exactly', () => {
    // a = 0.6 - 2 (T - 2.2), b = 0.62 - 4 (T - 2.2): cross at T = 2.21, y = 0.58
    const c = curveCrossing(
      { T, y: line(0.6, -2), err: T.map(() => 0) },
      { T, y: line(0.62, -4), err: T.map(() => 0) },
    )!;
    expect(c.index).toBe(3);
    expect(c.T).toBeCloseTo(2.21, 12);
    expect(c.y).toBeCloseTo(0.58, 12);
    expect(c.TErr).toBe(0);
    expect(c.yErr).toBe(0);
    expect(
      curveCrossing({ T, y: line(0.6, -2), err: T.map(() => 0) }, { T, y: line(0.7, -2), err: T.map(() => 0) }),
    ).toBeNull();
  });

  it('gives errors that match the spread of the crossing over noisy repeats (within 5 %)', () => {
    const random = mulberry32(7);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const [sa, sb] = [0.004, 0.006];
    const errs = { a: T.map(() => sa), b: T.map(() => sb) };
    const clean = curveCrossing({ T, y: line(0.6, -2), err: errs.a }, { T, y: line(0.62, -4), err: errs.b })!;
    const Ts: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < 20_000; k++) {
      const a = line(0.6, -2).map((y) => y + sa * gauss());
      const b = line(0.62, -4).map((y) => y + sb * gauss());
      const c = curveCrossing({ T, y: a, err: errs.a }, { T, y: b, err: errs.b });
      if (c && c.index === clean.index) {
        Ts.push(c.T);
        ys.push(c.y);
      }
    }
    expect(Ts.length).toBeGreaterThan(19_000);
    const sd = (x: number[]) => {
      const m = x.reduce((s, v) => s + v, 0) / x.length;
      return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
    };
    // The standard deviation of 20,000 draws is known to about 0.5 %; linearisation adds a little.
    expect(sd(Ts) / clean.TErr).toBeGreaterThan(0.95);
    expect(sd(Ts) / clean.TErr).toBeLessThan(1.05);
    expect(sd(ys) / clean.yErr).toBeGreaterThan(0.95);
    expect(sd(ys) / clean.yErr).toBeLessThan(1.05);
  });

  it('refuses curves over different temperatures', () => {
    const a = { T, y: line(0.6, -2), err: T.map(() => 0) };
    expect(() => curveCrossing(a, { ...a, T: T.map((t) => t + 0.01) })).toThrow(/differ in temperature/);
    expect(() => curveCrossing(a, { ...a, y: [1] })).toThrow(/same temperatures/);
  });
});
