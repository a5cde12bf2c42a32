/** Figure specs built from values: spins, RBM weights, series, tables, tensors, and outlier marks. */
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { composedWeights } from '../../src/ml/receptive-fields';
import {
  OUTLIER_SIGMAS,
  histogramPanel,
  markOutliers,
  seriesCurves,
  spinsPanel,
  tableCurves,
  tablePanel,
  weightsPanel,
} from '../../src/figures/build';
import type { Curve, ImageTile, Panel } from '../../src/figures/spec';
import type { RbmValue, SeriesValue, SpinsValue, TableValue, TensorValue } from '../../src/graph/values';

/** The pixels of a tile's PNG data URL. */
function tilePixels(tile: ImageTile): { width: number; height: number; channels: number; data: ArrayLike<number> } {
  const base64 = tile.png.replace(/^data:image\/png;base64,/, '');
  expect(base64).not.toBe(tile.png);
  const png = decode(Uint8Array.from(Buffer.from(base64, 'base64')));
  return { width: png.width, height: png.height, channels: png.channels, data: png.data };
}

function images(panel: Panel): Extract<Panel, { kind: 'images' }> {
  if (panel.kind !== 'images') throw new Error(`expected an images panel, got ${panel.kind}`);
  return panel;
}

/**
 * n samples of an L x L lattice: samples at temperatures[g] are all +1 for even g and all −1 for odd g,
 * so a tile's colour tells which temperature it came from.
 */
function groupedSpins(temperatures: number[], perT: number, L: number): SpinsValue {
  const n = temperatures.length * perT;
  const data = new Int8Array(n * L * L);
  const T = new Float64Array(n);
  temperatures.forEach((t, g) => {
    for (let s = 0; s < perT; s++) {
      const i = g * perT + s;
      T[i] = t;
      data.fill(g % 2 === 0 ? 1 : -1, i * L * L, (i + 1) * L * L);
    }
  });
  return { type: 'spins', shape: [n, L, L], data, T, meta: {} };
}

describe('spinsPanel', () => {
  it('draws `samples` tiles spread evenly over the temperatures, labelled by T', () => {
    const temperatures = [2, 2.269185, 2.6];
    const panel = images(spinsPanel(groupedSpins(temperatures, 50, 8), 12));
    expect(panel.tiles).toHaveLength(12);
    expect(panel.tiles.map((t) => t.label)).toEqual([
      ...Array(4).fill('T = 2'),
      ...Array(4).fill('T = 2.269'),
      ...Array(4).fill('T = 2.6'),
    ]);
    expect(panel.title).toBe('Samples (12 of 150)');
    expect(panel.columns).toBe(6);
    // Each tile shows a configuration from its own temperature: black (+1) at T = 2 and 2.6, white at 2.269.
    panel.tiles.forEach((tile, k) => {
      expect([tile.width, tile.height]).toEqual([8, 8]);
      const { width, height, channels, data } = tilePixels(tile);
      expect(channels).toBe(1);
      expect(width % 8).toBe(0);
      expect(height).toBe(width);
      const expected = Math.floor(k / 4) === 1 ? 255 : 0;
      expect(Array.from(data).every((v) => v === expected)).toBe(true);
    });
  });

  it('picks distinct samples inside a temperature, in order, and draws each site', () => {
    // One temperature, 10 samples; sample i has exactly site i up (row-major on a 4 x 4 lattice).
    const n = 10;
    const data = new Int8Array(n * 16).fill(-1);
    for (let i = 0; i < n; i++) data[i * 16 + i] = 1;
    const spins: SpinsValue = { type: 'spins', shape: [n, 4, 4], data, T: new Float64Array(n).fill(3), meta: {} };
    const panel = images(spinsPanel(spins, 5));
    expect(panel.tiles).toHaveLength(5);
    const upSites = panel.tiles.map((tile) => {
      const { width, data: pixels } = tilePixels(tile);
      const factor = width / 4;
      const black: number[] = [];
      for (let site = 0; site < 16; site++) {
        const [row, col] = [Math.floor(site / 4), site % 4];
        if (pixels[(row * factor + 1) * width + col * factor + 1] === 0) black.push(site);
      }
      return black;
    });
    // Samples at the middle of each fifth: indices 1, 3, 5, 7, 9.
    expect(upSites).toEqual([[1], [3], [5], [7], [9]]);
  });

  it('labels unknown temperatures by sample number', () => {
    const spins = groupedSpins([NaN], 4, 4);
    const panel = images(spinsPanel(spins, 2));
    expect(panel.tiles.map((t) => t.label)).toEqual(['sample 2', 'sample 4']);
  });

  it('draws 1D spins as one tile, a row per sample', () => {
    const n = 300;
    const N = 20;
    const data = Int8Array.from({ length: n * N }, (_, i) => (i % 3 === 0 ? 1 : -1));
    const spins: SpinsValue = { type: 'spins', shape: [n, N], data, T: new Float64Array(n).fill(1), meta: {} };
    const panel = images(spinsPanel(spins, 16));
    expect(panel.tiles).toHaveLength(1);
    expect(panel.columns).toBe(1);
    expect(panel.tiles[0]).toMatchObject({ width: N, height: 128, label: '128 of 300 chains' });
  });

  it('refuses no samples and lattices it cannot draw', () => {
    const empty: SpinsValue = {
      type: 'spins',
      shape: [0, 4, 4],
      data: new Int8Array(0),
      T: new Float64Array(0),
      meta: {},
    };
    expect(() => spinsPanel(empty, 4)).toThrow('spins: there are no samples to show');
    const cube: SpinsValue = {
      type: 'spins',
      shape: [1, 2, 2, 2],
      data: new Int8Array(8).fill(1),
      T: new Float64Array(1),
      meta: {},
    };
    expect(() => spinsPanel(cube, 4)).toThrow('cannot draw a lattice of shape [2, 2, 2]');
  });
});

/** A deterministic layer with weights that are not symmetric in any way. */
function layer(nv: number, nh: number, visibleShape: number[], seed: number, below?: RbmValue): RbmValue {
  const W = Float32Array.from({ length: nv * nh }, (_, i) => Math.sin(seed * 1.7 + i * 0.91) * (1 + (i % 3)));
  return {
    type: 'rbm',
    nv,
    nh,
    W,
    vbias: new Float32Array(nv),
    hbias: new Float32Array(nh),
    visibleShape,
    training: {},
    ...(below ? { below } : {}),
  };
}

describe('receptive fields', () => {
  // Bottom: 6 visible (a 2 x 3 lattice) -> 4 hidden; top: 4 visible -> 5 hidden.
  const bottom = layer(6, 4, [2, 3], 1);
  const top = layer(4, 5, [4], 2, bottom);

  /** (W1 W2)[i][j], the naive way. */
  function product(i: number, j: number): number {
    let sum = 0;
    for (let k = 0; k < 4; k++) sum += bottom.W[i * 4 + k] * top.W[k * 5 + j];
    return sum;
  }

  it('composes a 2-layer stack as the matrix product W1 W2, for the shown columns', () => {
    const composed = composedWeights(top, 3);
    expect(composed).toMatchObject({ nv: 6, shown: 3, nh: 5, visibleShape: [2, 3], depth: 2 });
    expect(composed.values).toHaveLength(6 * 3);
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 3; j++) expect(composed.values[i * 3 + j]).toBeCloseTo(product(i, j), 6);
    // Asking for more units than there are gives all of them.
    const all = composedWeights(top, 50);
    expect(all.shown).toBe(5);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 5; j++) expect(all.values[i * 5 + j]).toBeCloseTo(product(i, j), 6);
  });

  it('draws min(units, nh) tiles on the visible lattice, with the shared scale in the caption', () => {
    for (const [units, tiles] of [
      [3, 3],
      [5, 5],
      [64, 5],
    ]) {
      const panel = images(weightsPanel(top, units));
      expect(panel.tiles).toHaveLength(tiles);
      expect(panel.tiles.map((t) => t.label)).toEqual(Array.from({ length: tiles }, (_, j) => `h${j + 1}`));
      for (const tile of panel.tiles) expect([tile.width, tile.height]).toEqual([3, 2]);
      let vmax = 0;
      for (let i = 0; i < 6; i++) for (let j = 0; j < tiles; j++) vmax = Math.max(vmax, Math.abs(product(i, j)));
      expect(panel.caption).toBe(
        `${tiles} of 5 hidden units · blue > 0 > red · shared scale ±${Number(vmax.toPrecision(3))}`,
      );
      expect(panel.title).toBe('Receptive fields, layer 2 (W1···W2)');
    }
  });

  it('colours a field on the shared scale: the largest weight is full blue or full red', () => {
    const single = layer(4, 2, [2, 2], 0);
    single.W.set([1, 0, -0.5, 0, 0, 0, 2, 0]); // column h1 = [1, -0.5, 0, 2], h2 = 0
    const panel = images(weightsPanel(single, 2));
    expect(panel.caption).toContain('shared scale ±2');
    const { width, channels, data } = tilePixels(panel.tiles[0]);
    expect(channels).toBe(3);
    const factor = width / 2;
    const pixel = (site: number) => {
      const offset = (Math.floor(site / 2) * factor * width + (site % 2) * factor) * 3;
      return Array.from(data).slice(offset, offset + 3);
    };
    expect(pixel(3)).toEqual([0x21, 0x66, 0xac]); // +2: the end of the blue side
    expect(pixel(2)).toEqual([255, 255, 255]); // 0: white
    expect(pixel(0)[2]).toBeGreaterThan(pixel(0)[0]); // +1: bluish
    expect(pixel(1)[0]).toBeGreaterThan(pixel(1)[2]); // −0.5: reddish
    expect(panel.title).toBe('Receptive fields, layer 1');
  });

  it('refuses a stack that does not chain', () => {
    const broken = layer(3, 5, [3], 2, layer(6, 4, [2, 3], 1));
    expect(() => composedWeights(broken, 2)).toThrow('the stack does not chain (4 hidden units under 3 visible)');
  });
});

describe('series and tables as curves', () => {
  const mc: SeriesValue = {
    type: 'series',
    x: [1, 2, 3],
    xLabel: 'T',
    yLabel: 'e',
    curves: [
      { name: 'e', y: [-1.9, -1.5, -1.1], err: [0.01, 0.02, 0.03] },
      { name: 'c', y: [0.5, 1.5, 0.7] },
    ],
  };
  const exact: SeriesValue = {
    type: 'series',
    x: [1, 2, 3],
    xLabel: 'T',
    curves: [
      { name: 'e (exact, L = 32)', y: [-1.95, -1.5, -1.1] },
      { name: 'c (exact, L = 32)', y: [0.4, 1.6, 0.6] },
    ],
    meta: { source: 'exact' },
  };

  it('makes one curve per series curve, with names and error bars', () => {
    const curves = seriesCurves(mc, '', 'points');
    expect(curves).toEqual([
      { name: 'e', x: [1, 2, 3], y: [-1.9, -1.5, -1.1], err: [0.01, 0.02, 0.03], style: 'points' },
      { name: 'c', x: [1, 2, 3], y: [0.5, 1.5, 0.7], style: 'points' },
    ]);
    expect(seriesCurves(mc, 'MC', 'line+points').map((c) => c.name)).toEqual(['MC: e', 'MC: c']);
    // A quantity filter only applies to references.
    expect(seriesCurves(mc, '', 'points', 'e')).toHaveLength(2);
  });

  it("draws a reference (meta.source === 'exact') as lines, keeping only the asked quantity", () => {
    const curves = seriesCurves(exact, 'Kaufman', 'points');
    expect(curves.map((c) => [c.name, c.style])).toEqual([
      ['Kaufman: e (exact, L = 32)', 'line'],
      ['Kaufman: c (exact, L = 32)', 'line'],
    ]);
    expect(seriesCurves(exact, '', 'points', 'e').map((c) => c.name)).toEqual(['e (exact, L = 32)']);
  });

  it('refuses curves whose lengths do not match x, naming the curve', () => {
    const short: SeriesValue = { ...mc, curves: [{ name: 'chi', y: [1, 2] }] };
    expect(() => seriesCurves(short, '', 'points')).toThrow("series 'chi': 2 y values for 3 x values");
    const bars: SeriesValue = { ...mc, curves: [{ name: 'm', y: [1, 2, 3], err: [0.1] }] };
    expect(() => seriesCurves(bars, '', 'points')).toThrow("series 'm': 1 error bars for 3 points");
  });

  const observables: TableValue = {
    type: 'table',
    columns: ['T', 'L', 'e', 'e_err', 'm'],
    rows: [
      [2, 16, -1.75, 0.01, 0.9],
      [2.5, 16, -1.2, 0.02, 0.2],
      [2, 32, -1.74, 0.005, 0.95],
      [2.5, 32, -1.21, 0.01, 0.1],
      [3, 32, -0.8, 0.01, 0.05],
    ],
  };

  it('groups table rows into one curve per L, with errors from the <y>_err column', () => {
    const curves = tableCurves(observables, 'T', 'e', '', 'points');
    expect(curves).toEqual([
      { name: 'L = 16', x: [2, 2.5], y: [-1.75, -1.2], err: [0.01, 0.02], style: 'points' },
      { name: 'L = 32', x: [2, 2.5, 3], y: [-1.74, -1.21, -0.8], err: [0.005, 0.01, 0.01], style: 'points' },
    ]);
    expect(tableCurves(observables, 'T', 'e', 'Observables', 'line+points').map((c) => c.name)).toEqual([
      'Observables, L = 16',
      'Observables, L = 32',
    ]);
    // No error column for m, no L column: one curve named after y, no error bars.
    const noL: TableValue = { type: 'table', columns: ['T', 'm'], rows: observables.rows.map((r) => [r[0], r[4]]) };
    expect(tableCurves(noL, 'T', 'm', '', 'points')).toEqual([
      { name: 'm', x: [2, 2.5, 2, 2.5, 3], y: [0.9, 0.2, 0.95, 0.1, 0.05], style: 'points' },
    ]);
  });

  it('treats an empty (null) cell as a missing point, not as 0', () => {
    const table: TableValue = {
      type: 'table',
      columns: ['T', 'e'],
      rows: [
        [1, -2],
        [2, null],
        [3, -1],
      ],
    };
    const [curve] = tableCurves(table, 'T', 'e', '', 'points');
    expect(curve.y[0]).toBe(-2);
    expect(curve.y[1]).toBeNaN();
    expect(curve.y[2]).toBe(-1);
  });

  it('names the missing column and the ones there are', () => {
    expect(() => tableCurves(observables, 'T', 'chi', '', 'points')).toThrow(
      "table has no column 'chi'; its columns are T, L, e, e_err, m",
    );
    expect(() => tableCurves(observables, 'beta', 'e', '', 'points')).toThrow("table has no column 'beta'");
  });

  it('shows a table without x and y as a table panel, at most maxRows rows', () => {
    const panel = tablePanel(observables, 'Observables', 3);
    expect(panel).toEqual({
      kind: 'table',
      title: 'Observables',
      columns: observables.columns,
      rows: observables.rows.slice(0, 3),
    });
    expect(() => tablePanel({ type: 'table', columns: [], rows: [] })).toThrow('table: it has no columns');
  });
});

describe('histogramPanel', () => {
  it('counts every finite value once, over bins spanning min..max', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3 + (i % 7));
    const data = Float32Array.from([...values, NaN, Infinity, -Infinity, NaN]);
    const tensor: TensorValue = { type: 'tensor', shape: [data.length], data, meta: {} };
    const panel = histogramPanel(tensor);
    if (panel.kind !== 'histogram') throw new Error('expected a histogram');
    expect(panel.bins).toHaveLength(40);
    expect(panel.bins.reduce((sum, b) => sum + b.count, 0)).toBe(1000);
    const finite = Array.from(data).filter(Number.isFinite);
    expect(panel.bins[0].x0).toBe(Math.min(...finite));
    expect(panel.bins[39].x1).toBeCloseTo(Math.max(...finite), 9);
    for (let i = 1; i < 40; i++) expect(panel.bins[i].x0).toBeCloseTo(panel.bins[i - 1].x1, 12);
    // Each bin holds exactly the values in [x0, x1) (the last one closed).
    panel.bins.forEach((bin, i) => {
      const inside = finite.filter((v) => v >= bin.x0 && (i === 39 ? v <= bin.x1 + 1e-9 : v < bin.x1 - 1e-9));
      expect(Math.abs(inside.length - bin.count)).toBeLessThanOrEqual(1);
    });
    expect(panel.title).toBe('Values (1,004)');
    expect(panel.x.label).toBe('value');
  });

  it('puts a constant tensor in one bin and refuses one with no finite values', () => {
    const constant: TensorValue = { type: 'tensor', shape: [5], data: new Float32Array(5).fill(0.25), meta: {} };
    const panel = histogramPanel(constant, 'flat', 8);
    if (panel.kind !== 'histogram') throw new Error('expected a histogram');
    expect(panel.bins.map((b) => b.count)).toEqual([5, 0, 0, 0, 0, 0, 0, 0]);
    expect(panel.title).toBe('flat');
    const none: TensorValue = { type: 'tensor', shape: [2], data: Float32Array.from([NaN, Infinity]), meta: {} };
    expect(() => histogramPanel(none)).toThrow('tensor: no finite values to draw');
  });
});

describe('markOutliers', () => {
  // The reference: y = 2x on [0, 10], sampled coarsely (interpolated in between).
  const reference: Curve = { name: 'exact', x: [0, 5, 10], y: [0, 10, 20], style: 'line' };
  const x = [1, 2, 3, 4, 5, 6, 12];
  const err = [0.1, 0.1, 0.1, 0.1, 0.1, 0, 0.1];
  // Deviations from the reference in units of err: 0.5σ, −2.9σ, 10σ (the far one), 2.5σ, 0, any (no error bar), outside.
  const y = [2.05, 3.71, 7, 8.25, 10, 99, 0];
  const measured: Curve = { name: 'MC', x, y, err, style: 'points' };

  it(`marks exactly the points more than ${OUTLIER_SIGMAS}σ from the reference`, () => {
    const [marked, ref] = markOutliers([measured, reference]);
    expect(marked.outliers).toEqual([2]);
    expect(marked).toEqual({ ...measured, outliers: [2] });
    expect(ref).toBe(reference);
  });

  it('does not judge points against a guide line (e.g. T = Tc drawn for orientation)', () => {
    const guide: Curve = { ...reference, name: 'Tc', guide: true };
    expect(markOutliers([measured, guide])[0]).toBe(measured);
  });

  it('marks nothing without a reference, or on curves without error bars', () => {
    expect(markOutliers([measured])[0]).toBe(measured);
    const bare: Curve = { name: 'no err', x, y, style: 'points' };
    expect(markOutliers([bare, reference])[0]).toBe(bare);
  });

  it('marks a point only when it is far from every reference in the panel', () => {
    const shifted: Curve = { name: 'y = 2x + 5', x: [0, 10], y: [5, 25], style: 'line' }; // 11 at x = 3: 40σ away
    const near: Curve = { name: 'through the far point', x: [2.5, 3.5], y: [7, 7], style: 'line' };
    expect(markOutliers([measured, reference, shifted])[0].outliers).toEqual([2]);
    expect(markOutliers([measured, reference, near])[0].outliers).toBeUndefined();
  });
});
