/**
 * Hidden-unit positions: receptive-field centroids on the torus. The exact Ising RBM puts each hidden unit
 * at its own site (the even sublattice), a field across the boundary is placed across the boundary, a
 * negative field is oriented, a stack is placed by its composed fields, and a visible shape that is not a
 * lattice is refused.
 */
import { describe, expect, it } from 'vitest';
import type { RbmValue } from '../../src/graph/values';
import { hiddenGeometry, visibleSites } from '../../src/ml/hidden-geometry';
import { isingRbm, isingSublattices } from '../../src/ml/ising-rbm';

/** A model on an L x L lattice whose unit j has weight w on the given sites (row-major) and 0 elsewhere. */
function modelWithFields(L: number, fields: { sites: number[]; w: number }[]): RbmValue {
  const nv = L * L;
  const nh = fields.length;
  const W = new Float32Array(nv * nh);
  fields.forEach(({ sites, w }, j) => sites.forEach((s) => (W[s * nh + j] = w)));
  return {
    type: 'rbm',
    nv,
    nh,
    W,
    vbias: new Float32Array(nv),
    hbias: new Float32Array(nh),
    visibleShape: [L, L],
    training: {},
  };
}

describe('hiddenGeometry', () => {
  it('places each hidden unit of the exact 2D Ising RBM on its own site, with spacing sqrt 2', () => {
    const L = 8;
    const geometry = hiddenGeometry(isingRbm({ dim: 2, L, T: 2.5, J: 1, h: 0 }));
    const { hidden } = isingSublattices(2, L);
    expect(geometry.spacing).toBeCloseTo(Math.SQRT2, 12);
    hidden.forEach((site, k) => {
      expect(geometry.positions[2 * k], `unit ${k} row`).toBeCloseTo(Math.floor(site / L), 9);
      expect(geometry.positions[2 * k + 1], `unit ${k} column`).toBeCloseTo(site % L, 9);
    });
    expect([...new Set(geometry.sign)]).toEqual([1]);
    // Four neighbours at distance 1 on each side of two axes: the same spread for every unit, about 1.
    const spread = geometry.spread[0];
    for (const s of geometry.spread) expect(s).toBeCloseTo(spread, 9);
    expect(spread).toBeGreaterThan(0.9);
    expect(spread).toBeLessThan(1.5);
  });

  it('places the exact chain’s hidden units on the even sites, spacing 2', () => {
    const geometry = hiddenGeometry(isingRbm({ dim: 1, L: 12, T: 1, J: 1, h: 0 }));
    expect(Array.from(geometry.positions, (x) => +x.toFixed(9))).toEqual([0, 2, 4, 6, 8, 10]);
    expect(geometry.spacing).toBe(2);
    expect(visibleSites(isingRbm({ dim: 1, L: 12, T: 1, J: 1, h: 0 })).coords).toEqual(
      Float64Array.from([1, 3, 5, 7, 9, 11]),
    );
  });

  it('places a field across the boundary across the boundary, not mid-lattice', () => {
    const L = 10;
    // Columns 9 and 0 of row 4, and rows 9 and 0 of column 2.
    const geometry = hiddenGeometry(
      modelWithFields(L, [
        { sites: [4 * L + 9, 4 * L + 0], w: 1 },
        { sites: [9 * L + 2, 0 * L + 2], w: 1 },
      ]),
    );
    expect(geometry.positions[0]).toBeCloseTo(4, 9);
    expect(geometry.positions[1]).toBeCloseTo(9.5, 9);
    expect(geometry.positions[2]).toBeCloseTo(9.5, 9);
    expect(geometry.positions[3]).toBeCloseTo(2, 9);
  });

  it('weights sites by w², so a faint spread-out background barely moves the centroid', () => {
    const L = 16;
    const sites = Array.from({ length: L * L }, (_, s) => s);
    const model = modelWithFields(L, [{ sites, w: 0.05 }]);
    // A peak at (3, 5) on top of the background, and the background everywhere else.
    model.W[(3 * L + 5) * 1] = 1;
    const geometry = hiddenGeometry(model);
    expect(geometry.positions[0]).toBeCloseTo(3, 1);
    expect(geometry.positions[1]).toBeCloseTo(5, 1);
    // The evenly spread background alone has no centroid: its spread is infinite.
    expect(hiddenGeometry(modelWithFields(L, [{ sites, w: 0.05 }])).spread[0]).toBe(Infinity);
  });

  it('orients a unit by the sign of its field', () => {
    const geometry = hiddenGeometry(
      modelWithFields(6, [
        { sites: [0, 1], w: -0.7 },
        { sites: [8], w: 0.3 },
      ]),
    );
    expect(Array.from(geometry.sign)).toEqual([-1, 1]);
  });

  it('places the top units of a stack by their composed fields', () => {
    const L = 8;
    const bottom = modelWithFields(L, [
      { sites: [2 * L + 2], w: 1 },
      { sites: [6 * L + 5], w: 1 },
    ]);
    // The top unit sees only the second bottom unit.
    const top: RbmValue = {
      type: 'rbm',
      nv: 2,
      nh: 1,
      W: Float32Array.from([0, 2]),
      vbias: new Float32Array(2),
      hbias: new Float32Array(1),
      visibleShape: [2],
      training: {},
      below: bottom,
    };
    const geometry = hiddenGeometry(top);
    expect(Array.from(geometry.positions, (x) => +x.toFixed(9))).toEqual([6, 5]);
    expect(geometry.spacing).toBe(L);
  });

  it('refuses a visible shape that is not a chain or a square lattice', () => {
    const model = { ...modelWithFields(4, [{ sites: [0], w: 1 }]), visibleShape: [2, 8] };
    expect(() => hiddenGeometry(model)).toThrow(
      "the model's visible shape [2, 8] is not a periodic chain [L] or square lattice [L, L]",
    );
  });
});
