import { beforeAll, describe, expect, it } from 'vitest';
import { concatSpins, type SpinsValue, type TableValue } from '../../src/graph/values';
import {
  COMPARE_COLUMNS,
  COMPARE_QUANTITIES,
  checkSide,
  compareSpins,
  compareSteps,
  differenceSigmas,
  pairGroups,
} from '../../src/physics/compare';
import { measureObservables } from '../../src/physics/observables';
import { sample } from '../helpers/sample';
import { mulberry32 } from '../helpers/random';

/** Random spins (independent sites, a bias towards +1 of `p`), L x L, with the given temperatures. */
function randomSpins(L: number, T: number[], seed = 1, p = 0.5): SpinsValue {
  const rand = mulberry32(seed);
  const N = L * L;
  const data = new Int8Array(T.length * N);
  for (let i = 0; i < data.length; i++) data[i] = rand() < p ? 1 : -1;
  return {
    type: 'spins',
    shape: [T.length, L, L],
    data,
    T: Float64Array.from(T),
    meta: { model: 'ising', dim: 2, L, J: 1, h: 0, boundary: 'periodic' },
  };
}

/** Samples of several sets one after another (their T labels kept). */
const concat = (...parts: SpinsValue[]): SpinsValue => concatSpins(parts);

type Row = {
  T_a: number;
  T_b: number;
  quantity: string;
  a: number;
  a_err: number;
  b: number;
  b_err: number;
  difference: number;
  sigmas: number;
};

function rows(table: TableValue): Row[] {
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, j) => [c, r[j]])) as Row);
}

function byQuantity(table: TableValue): Record<string, Row> {
  return Object.fromEntries(rows(table).map((r) => [r.quantity, r]));
}

describe('compare: measurement and pairing', () => {
  let low: SpinsValue; // 8x8, T = 1.8
  let high: SpinsValue; // 8x8, T = 3.5
  let mid1: SpinsValue; // 8x8, T = 2.5, seed 1
  let mid2: SpinsValue; // 8x8, T = 2.5, seed 2

  beforeAll(async () => {
    [low, high, mid1, mid2] = await Promise.all([
      sample({ L: 8, T: 1.8, algorithm: 'wolff', samples: 3000, burnIn: 200, seed: 11 }),
      sample({ L: 8, T: 3.5, algorithm: 'wolff', samples: 3000, burnIn: 200, seed: 12 }),
      sample({ L: 8, T: 2.5, algorithm: 'wolff', samples: 4000, burnIn: 200, seed: 1 }),
      sample({ L: 8, T: 2.5, algorithm: 'wolff', samples: 4000, burnIn: 200, seed: 2 }),
    ]);
  });

  it('gives the columns, one row per quantity, and the labels in meta', () => {
    const { table, correlation } = compareSpins(low, high, ['cold', 'hot']);
    expect(table.type).toBe('table');
    expect(table.columns).toEqual([...COMPARE_COLUMNS]);
    expect(table.columns).toEqual(['T_a', 'T_b', 'quantity', 'a', 'a_err', 'b', 'b_err', 'difference', 'sigmas']);
    expect(rows(table).map((r) => r.quantity)).toEqual(['e', 'm', 'absm', 'm2', 'm4', 'chi', 'c', 'binder', 'xi']);
    expect(rows(table).every((r) => r.T_a === 1.8 && r.T_b === 3.5)).toBe(true);
    expect(table.meta).toEqual({ labels: ['cold', 'hot'] });
    expect(correlation.a.curves.length).toBe(1);
    expect(correlation.b.x).toEqual([0, 1, 2, 3, 4]);
  });

  it('measures each side as the Observables node does', () => {
    const { table } = compareSpins(low, high);
    const obs = measureObservables(low);
    const col = (name: string) => obs.rows[0][obs.columns.indexOf(name)] as number;
    const q = byQuantity(table);
    expect(q.e.a).toBeCloseTo(col('e'), 12);
    expect(q.e.a_err).toBeCloseTo(col('e_err'), 12);
    expect(q.m.a).toBeCloseTo(col('m'), 12);
    expect(q.absm.a).toBeCloseTo(col('absm'), 12);
    expect(q.absm.a_err).toBeCloseTo(col('absm_err'), 12);
    expect(q.m2.a).toBeCloseTo(col('m2'), 12);
    expect(q.m4.a).toBeCloseTo(col('m4'), 12);
    expect(q.chi.a).toBeCloseTo(col('chi'), 10);
    expect(q.c.a).toBeCloseTo(col('c'), 10);
    expect(q.binder.a).toBeCloseTo(col('binder'), 12);
    const meta = obs.meta as { chi_err: number[]; c_err: number[]; binder_err: number[] };
    expect(q.chi.a_err).toBeCloseTo(meta.chi_err[0], 10);
    expect(q.c.a_err).toBeCloseTo(meta.c_err[0], 10);
    expect(q.binder.a_err).toBeCloseTo(meta.binder_err[0], 12);
    for (const r of rows(table)) {
      expect(r.difference).toBe(r.a - r.b);
      expect(r.sigmas).toBeCloseTo(r.difference / Math.hypot(r.a_err, r.b_err), 12);
      expect(r.a_err).toBeGreaterThan(0);
      expect(r.b_err).toBeGreaterThan(0);
    }
  });

  it('gives exactly 0 sigma for every quantity when both sides are the same samples', () => {
    const copy: SpinsValue = { ...mid1, data: mid1.data.slice(), T: mid1.T.slice() };
    for (const b of [mid1, copy]) {
      const table = compareSpins(mid1, b).table;
      expect(rows(table).length).toBe(COMPARE_QUANTITIES.length);
      for (const r of rows(table)) {
        expect(r.difference, r.quantity).toBe(0);
        expect(r.sigmas, r.quantity).toBe(0);
        expect(r.a_err, r.quantity).toBeGreaterThan(0);
      }
    }
  });

  it('tells two temperatures far apart by many sigma', () => {
    const q = byQuantity(compareSpins(low, high).table);
    // e at T = 1.8 is near -1.8 and at T = 3.5 near -0.7 (8 x 8): a hundred standard errors apart.
    expect(q.e.a).toBeLessThan(q.e.b);
    expect(Math.abs(q.e.sigmas)).toBeGreaterThan(10);
    expect(Math.abs(q.absm.sigmas)).toBeGreaterThan(10);
    expect(Math.abs(q.binder.sigmas)).toBeGreaterThan(10);

    // Two temperatures per side, paired in order: swapped sides disagree, the same order agrees exactly.
    const both = concat(low, high);
    const swapped = rows(compareSpins(both, concat(high, low)).table).filter((r) => r.quantity === 'e');
    expect(swapped.map((r) => [r.T_a, r.T_b])).toEqual([
      [1.8, 3.5],
      [3.5, 1.8],
    ]);
    expect(swapped[0].sigmas).toBeCloseTo(-swapped[1].sigmas, 10);
    expect(Math.abs(swapped[0].sigmas)).toBeGreaterThan(10);
    const same = rows(compareSpins(both, concat(low, high)).table);
    expect(same.length).toBe(2 * COMPARE_QUANTITIES.length);
    expect(same.every((r) => r.sigmas === 0)).toBe(true);
  });

  it('finds two independent chains at the same temperature consistent within their errors', () => {
    const q = byQuantity(compareSpins(mid1, mid2).table);
    expect(Math.abs(q.e.sigmas)).toBeLessThan(3);
    expect(Math.abs(q.absm.sigmas)).toBeLessThan(3);
    const within = COMPARE_QUANTITIES.filter((name) => Math.abs(q[name].sigmas) < 3);
    expect(within.length).toBeGreaterThanOrEqual(6);
    expect(COMPARE_QUANTITIES.every((name) => Number.isFinite(q[name].sigmas))).toBe(true);
  });

  it('measures per spin, so lattices of different sizes compare', () => {
    const ordered = (L: number, n: number): SpinsValue => ({
      type: 'spins',
      shape: [n, L, L],
      data: new Int8Array(n * L * L).fill(1),
      T: new Float64Array(n).fill(2),
      meta: {},
    });
    const q = byQuantity(compareSpins(ordered(32, 4), ordered(16, 6)).table);
    expect(q.e.a).toBe(-2);
    expect(q.e.b).toBe(-2);
    expect(q.absm.a).toBe(1);
    expect(q.binder.b).toBeCloseTo(2 / 3, 14);
    for (const name of COMPARE_QUANTITIES.filter((q) => q !== 'xi')) expect(q[name].sigmas, name).toBe(0);
    // Perfectly ordered samples have no second-moment xi (S(k_min) = 0).
    expect([q.xi.a, q.xi.b]).toEqual([NaN, NaN]);
    const mixed = compareSpins(mid1, randomSpins(16, new Array(500).fill(2.5), 3));
    expect(byQuantity(mixed.table).e.b_err).toBeGreaterThan(0);
    expect(mixed.correlation.a.x.length).toBe(5);
    expect(mixed.correlation.b.x.length).toBe(9);
  });

  it('pairs temperature groups: same count in order, one with many, else a clear error', () => {
    expect(pairGroups([{ T: 1 }, { T: 2 }], [{ T: 3 }, { T: 4 }])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(pairGroups([{ T: 1 }], [{ T: 3 }, { T: 4 }, { T: 5 }])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
    ]);
    expect(pairGroups([{ T: 1 }, { T: 2 }], [{ T: NaN }])).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(() => pairGroups([{ T: 1 }, { T: 2 }], [{ T: 3 }, { T: 4 }, { T: NaN }], ['RG', 'RBM'])).toThrow(
      /a \(RG\) has 2 temperature groups \(T = 1, 2\) and b \(RBM\) has 3 \(T = 3, 4, unknown\)/,
    );

    // Groups in order of first appearance, interleaved samples included.
    const two = randomSpins(4, [2, 3, 2, 3, 2, 3, 2, 3], 1);
    const other = randomSpins(4, [5, 5, 6, 6, 5, 6], 2);
    const same = rows(compareSpins(two, other).table);
    expect(same.length).toBe(2 * COMPARE_QUANTITIES.length);
    expect(same.map((r) => [r.T_a, r.T_b]).filter((_, i) => i % COMPARE_QUANTITIES.length === 0)).toEqual([
      [2, 5],
      [3, 6],
    ]);
    const one = randomSpins(4, [2.5, 2.5, 2.5, 2.5], 3);
    const oneMany = rows(compareSpins(one, other).table);
    expect(oneMany.map((r) => [r.T_a, r.T_b]).filter((_, i) => i % COMPARE_QUANTITIES.length === 0)).toEqual([
      [2.5, 5],
      [2.5, 6],
    ]);
    // The single group's estimates are reused for each pair.
    expect(oneMany[0].a).toBe(oneMany[COMPARE_QUANTITIES.length].a);
    const manyOne = rows(compareSpins(other, one).table);
    expect(manyOne.map((r) => [r.T_a, r.T_b]).filter((_, i) => i % COMPARE_QUANTITIES.length === 0)).toEqual([
      [5, 2.5],
      [6, 2.5],
    ]);
    const three = randomSpins(4, [1, 2, 3], 4);
    expect(() => compareSpins(three, other)).toThrow(/a \(a\) has 3 temperature groups .* b \(b\) has 2/);
  });

  it('fails on a pairing mismatch before doing any work', () => {
    const steps = compareSteps(randomSpins(4, [1, 2, 3], 4), randomSpins(4, [1, 2], 5));
    expect(() => steps.next()).toThrow(/cannot pair the temperatures/);
  });

  it('gives NaN chi and c for a side of unknown temperature, and finite e, m and binder', () => {
    const rbm = randomSpins(8, new Array(400).fill(NaN), 7, 0.7);
    const table = compareSpins(mid1, rbm).table;
    const q = byQuantity(table);
    expect(q.e.T_b).toBeNaN();
    expect(q.e.T_a).toBe(2.5);
    expect(q.chi.b).toBeNaN();
    expect(q.c.b).toBeNaN();
    expect(q.chi.sigmas).toBeNaN();
    expect(q.c.sigmas).toBeNaN();
    expect(Number.isFinite(q.chi.a)).toBe(true);
    for (const name of ['e', 'm', 'absm', 'm2', 'm4', 'binder'] as const) {
      expect(Number.isFinite(q[name].b), name).toBe(true);
      expect(Number.isFinite(q[name].sigmas), name).toBe(true);
    }
    // Independent sites with P(+1) = 0.7: m = 0.4 and e = -2 m^2 = -0.32 per spin.
    expect(q.m.b).toBeCloseTo(0.4, 1);
    expect(q.e.b).toBeCloseTo(-0.32, 1);
  });

  it('turns the difference into sigmas with explicit conventions for 0 and for zero errors', () => {
    expect(differenceSigmas({ value: 1, error: 0.3 }, { value: 0.5, error: 0.4 })).toEqual({
      difference: 0.5,
      sigmas: 1,
    });
    expect(differenceSigmas({ value: 0.5, error: 0.1 }, { value: 1, error: 0 }).sigmas).toBeCloseTo(-5, 12);
    expect(differenceSigmas({ value: 2, error: 0 }, { value: 2, error: 0 })).toEqual({ difference: 0, sigmas: 0 });
    expect(differenceSigmas({ value: 2, error: NaN }, { value: 2, error: NaN }).sigmas).toBe(0);
    expect(differenceSigmas({ value: 2, error: 0 }, { value: 1, error: 0 }).sigmas).toBeNaN();
    expect(differenceSigmas({ value: NaN, error: NaN }, { value: 1, error: 0.1 }).sigmas).toBeNaN();
  });

  it('rejects bad sides with errors that name the side', () => {
    const good = randomSpins(4, [2, 2], 1);
    expect(() => checkSide(undefined, 'a')).toThrow(/^a: nothing is connected/);
    expect(() => checkSide({ type: 'table', columns: [], rows: [] }, 'b')).toThrow(/^b: expected spins, got a table/);
    expect(() => checkSide([good, good], 'a')).toThrow(/^a: expected one spins value/);
    const bad = randomSpins(4, [2, 2], 1);
    bad.data[17] = 0;
    expect(() => compareSpins(good, bad)).toThrow(/^b: sample 1, site 1 has value 0; spins must be ±1/);
    expect(() => compareSpins(bad, good)).toThrow(/^a: sample 1, site 1 has value 0/);
    expect(() => compareSpins({ ...good, shape: [2, 4, 3] }, good)).toThrow(/^a: shape \[2, 4, 3\]/);
    expect(checkSide(good, 'a')).toMatchObject({ n: 2, N: 16, lattice: { dim: 2, L: 4 } });
  });

  it('reports progress in steps, rising to the end', () => {
    const big = randomSpins(64, new Array(1100).fill(2.5), 9);
    const steps = compareSteps(big, randomSpins(4, [2.5, 2.5], 10));
    const fractions: number[] = [];
    let step = steps.next();
    while (!step.done) {
      fractions.push(step.value);
      step = steps.next();
    }
    expect(fractions.length).toBeGreaterThan(4);
    expect(fractions.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fractions[i - 1]))).toBe(true);
    expect(step.value.table.rows.length).toBe(COMPARE_QUANTITIES.length);
  });

  it('compares a lattice with the same spins at positions: xi in units of each side’s spacing, e only on the lattice', async () => {
    const lattice = await sample({ L: 8, T: 2.4, algorithm: 'wolff', samples: 800, seed: 6 });
    const [n, L] = lattice.shape;
    // The sites' spins at the centres of a lattice twice as coarse: spacing 2, the same xi in spacings.
    const positions = new Float64Array(2 * L * L);
    for (let k = 0; k < L * L; k++)
      [positions[2 * k], positions[2 * k + 1]] = [2 * Math.floor(k / L) + 0.5, 2 * (k % L) + 0.5];
    const points: SpinsValue = { ...lattice, shape: [n, L * L], sites: { dim: 2, L: 2 * L, positions, spacing: 2 } };
    const q = byQuantity(compareSpins(lattice, points).table);
    for (const name of ['m', 'absm', 'm2', 'm4', 'chi', 'binder', 'xi'] as const) expect(q[name].sigmas, name).toBe(0);
    expect(q.xi.a).toBeGreaterThan(1);
    expect(q.e.a).toBeLessThan(0);
    expect([q.e.b, q.c.b]).toEqual([NaN, NaN]);
    expect(() => measureObservables(points)).toThrow(
      /^spins: these spins sit at positions .* they have no bonds, so energy, block spins and MCRG are not defined/,
    );
  });
});
