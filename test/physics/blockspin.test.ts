import { describe, expect, it } from 'vitest';
import { blockSpins } from '../../src/physics/blockspin';
import { Rng } from '../../src/physics/rng';

const rng = () => new Rng(1);
const spins = (rows: string[]) => Int8Array.from(rows.join('').split(''), (c) => (c === '+' ? 1 : -1));
const text = (data: Int8Array, L: number) =>
  Array.from({ length: data.length / L }, (_, r) =>
    Array.from(data.slice(r * L, (r + 1) * L), (s) => (s > 0 ? '+' : '-')).join(''),
  );

describe('blockSpins', () => {
  const lattice = spins(['++-+', '+---', '-+++', '--+-']);

  it('takes the majority of each 2 x 2 block, with ties kept as the first spin', () => {
    const out = blockSpins(lattice, 1, { dim: 2, L: 4, b: 2, rule: 'majority', tieBreak: 'keep-first' }, rng());
    // blocks: [+ + / + -] = +2 -> +; [- + / - -] = -2 -> -; [- + / - -] -> -; [+ + / + -] -> +
    expect(text(out, 2)).toEqual(['+-', '-+']);
  });

  it('keeps the top-left spin under decimation', () => {
    const out = blockSpins(lattice, 1, { dim: 2, L: 4, b: 2, rule: 'decimation', tieBreak: 'random' }, rng());
    expect(text(out, 2)).toEqual(['+-', '-+']);
    const three = spins(['+--+--', '------', '------', '-----+', '------', '------'].map((r) => r));
    expect(
      text(blockSpins(three, 1, { dim: 2, L: 6, b: 3, rule: 'decimation', tieBreak: 'random' }, rng()), 2),
    ).toEqual(['++', '--']);
  });

  it('breaks ties at random, about half each way, reproducibly for a seed', () => {
    const tie = spins(['+-', '-+']);
    const many = new Int8Array(4 * 10_000);
    for (let k = 0; k < 10_000; k++) many.set(tie, 4 * k);
    const a = blockSpins(many, 10_000, { dim: 2, L: 2, b: 2, rule: 'majority', tieBreak: 'random' }, rng());
    const up = a.reduce((s, x) => s + (x > 0 ? 1 : 0), 0);
    expect(Math.abs(up - 5000)).toBeLessThan(5 * 50);
    expect(blockSpins(many, 10_000, { dim: 2, L: 2, b: 2, rule: 'majority', tieBreak: 'random' }, rng())).toEqual(a);
  });

  it('blocks 1D chains by b sites and handles several samples', () => {
    const chain = spins(['+++--+', '-+----']);
    const out = blockSpins(chain, 2, { dim: 1, L: 6, b: 3, rule: 'majority', tieBreak: 'keep-first' }, rng());
    expect(text(out, 2)).toEqual(['+-', '--']);
  });

  it('keeps an ordered state ordered and flips with the spins (no sign error)', () => {
    const up = new Int8Array(64).fill(1);
    const down = new Int8Array(64).fill(-1);
    const spec = { dim: 2 as const, L: 8, b: 2, rule: 'majority' as const, tieBreak: 'random' as const };
    expect(Array.from(blockSpins(up, 1, spec, rng()))).toEqual(new Array(16).fill(1));
    expect(Array.from(blockSpins(down, 1, spec, rng()))).toEqual(new Array(16).fill(-1));
  });

  it('refuses a lattice that b does not divide, and data of the wrong length', () => {
    expect(() =>
      blockSpins(new Int8Array(36), 1, { dim: 2, L: 6, b: 4, rule: 'majority', tieBreak: 'random' }, rng()),
    ).toThrow('L = 6 is not divisible by b = 4');
    expect(() =>
      blockSpins(new Int8Array(30), 1, { dim: 2, L: 6, b: 2, rule: 'majority', tieBreak: 'random' }, rng()),
    ).toThrow('expected 1 samples of 36 spins');
  });
});
