/**
 * C(r) and xi of spins at positions. Points on a lattice are measured exactly as the lattice is: the same
 * C(r) and xi as correlation.ts, at spacing 1 and, for block centres, at spacing b. Irregular points, empty
 * bins, the largest distance and bad sites.
 */
import { describe, expect, it } from 'vitest';
import type { SpinsValue } from '../../src/graph/values';
import { blockSpins } from '../../src/physics/blockspin';
import { measureCorrelation } from '../../src/physics/correlation';
import { pointCorrelationSteps } from '../../src/physics/point-correlation';
import { runSteps } from '../../src/physics/observables';
import { Rng } from '../../src/physics/rng';
import { sample } from '../helpers/sample';

/** The spins of a 2D lattice value as points at the sites' centres, scaled by `spacing`, shifted by `offset`. */
function asPoints(spins: SpinsValue, spacing = 1, offset = 0): SpinsValue {
  const [n, L] = spins.shape;
  const positions = new Float64Array(2 * L * L);
  for (let k = 0; k < L * L; k++) {
    positions[2 * k] = Math.floor(k / L) * spacing + offset;
    positions[2 * k + 1] = (k % L) * spacing + offset;
  }
  return {
    type: 'spins',
    shape: [n, L * L],
    data: spins.data,
    T: spins.T,
    meta: {},
    sites: { dim: 2, L: L * spacing, positions, spacing },
  };
}

const measure = (spins: SpinsValue, maxR?: number) => runSteps(pointCorrelationSteps(spins, { maxR }));

describe('pointCorrelationSteps', async () => {
  const lattice = await sample({ L: 12, T: 2.4, algorithm: 'wolff', samples: 1500, seed: 4 });

  it('measures points on the lattice sites exactly as the lattice: C(r), its errors and xi', () => {
    const onLattice = measureCorrelation(lattice);
    const asSites = measure(asPoints(lattice));
    expect(asSites.series.x).toEqual(onLattice.series.x);
    const [a, b] = [asSites.series.curves[0], onLattice.series.curves[0]];
    a.y.forEach((y, r) => expect(y, `C(${r})`).toBeCloseTo(b.y[r], 12));
    a.err!.forEach((e, r) => expect(e, `error of C(${r})`).toBeCloseTo(b.err![r], 12));
    const [xiPoints, xiLattice] = [asSites.table.rows[0][3] as number, onLattice.table.rows[0][3] as number];
    expect(xiPoints).toBeCloseTo(xiLattice, 9);
    expect(asSites.table.rows[0][4]).toBeCloseTo(onLattice.table.rows[0][4] as number, 9);
    expect(asSites.table.columns).toEqual(['T', 'L', 'n', 'xi', 'xi_err', 'spacing']);
  });

  it('measures block spins placed at their block centres (spacing b) as the block lattice, in block units', () => {
    const n = lattice.shape[0];
    const data = blockSpins(
      lattice.data,
      n,
      { dim: 2, L: 12, b: 2, rule: 'majority', tieBreak: 'keep-first' },
      new Rng(1),
    );
    const blocks: SpinsValue = { ...lattice, shape: [n, 6, 6], data };
    const onBlocks = measureCorrelation(blocks);
    const atCentres = measure(asPoints(blocks, 2, 0.5));
    expect(atCentres.table.rows[0][3]).toBeCloseTo(onBlocks.table.rows[0][3] as number, 9);
    expect(atCentres.table.rows[0][5]).toBe(2);
    atCentres.series.curves[0].y.forEach((y, r) => expect(y).toBeCloseTo(onBlocks.series.curves[0].y[r], 12));
  });

  it('is unchanged by a shift of every position (periodic)', () => {
    const shifted = measure(asPoints(lattice, 1, 0.3));
    expect(shifted.table.rows[0][3]).toBeCloseTo(measureCorrelation(lattice).table.rows[0][3] as number, 9);
  });

  it('leaves a distance no pair has as NaN, and refuses maxR past half the lattice in spacings', () => {
    // Two units 3 apart on a chain of 16 with spacing 8: only r = 0 (self) has pairs... and r = 0 of 1 bin.
    const spins: SpinsValue = {
      type: 'spins',
      shape: [4, 2],
      data: Int8Array.from([1, 1, 1, -1, -1, -1, -1, 1]),
      T: new Float64Array(4).fill(2),
      meta: {},
      sites: { dim: 1, L: 16, positions: Float64Array.from([0, 3]), spacing: 8 },
    };
    const result = measure(spins);
    expect(result.series.x).toEqual([0, 1]);
    // 3 / 8 rounds to 0: the pair is counted at r = 0 with the self pairs; r = 1 has none.
    expect(result.series.curves[0].y[0]).toBeCloseTo((2 + 2 * 0) / 4, 12);
    expect(result.series.curves[0].y[1]).toBeNaN();
    expect(() => measure(spins, 2)).toThrow('maxR = 2 is more than L / 2a = 1 (L = 16, spacing a = 8)');
  });

  it('refuses positions outside the lattice and a shape that does not match them, naming them', () => {
    const base = asPoints(lattice);
    const outside = {
      ...base,
      sites: { ...base.sites!, positions: base.sites!.positions.map((x, i) => (i === 5 ? 12 : x)) },
    };
    expect(() => measure(outside)).toThrow('spins: unit 2 has coordinate 12, outside [0, 12)');
    const short = { ...base, sites: { ...base.sites!, positions: base.sites!.positions.subarray(2) } };
    expect(() => measure(short)).toThrow('spins: sites need 288 coordinates (144 units in 2D)');
  });
});
