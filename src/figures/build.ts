/** Building figure panels from values: spins, RBM weights, series, tables, tensors. Plain data, no DOM. */
import type { RbmValue, SeriesValue, SpinsValue, TableValue, TensorValue } from '../graph/values';
import { divergingTile, spinsTile } from './images';
import { composedWeights } from '../ml/receptive-fields';
import type { Curve, ImageTile, Panel } from './spec';

/** Fewest standard errors between a measurement and a reference curve that mark the point. */
export const OUTLIER_SIGMAS = 3;

function formatT(T: number): string {
  return Number.isNaN(T) ? '' : `T = ${Number(T.toPrecision(4))}`;
}

/**
 * Point-set spins (hidden units at their positions) drawn on a grid of their spacing: each unit in the
 * cell nearest its position, a cell with several units showing the sign of their sum, an empty one (or a
 * tie) white. For pictures only: measurements use the positions themselves.
 */
export function pointSetOnGrid(spins: SpinsValue): SpinsValue {
  const sites = spins.sites!;
  const [n, units] = spins.shape;
  const side = Math.max(1, Math.round(sites.L / sites.spacing));
  const cells = sites.dim === 1 ? side : side * side;
  const cellOf = Int32Array.from({ length: units }, (_, j) => {
    const at = (x: number) => Math.round(x / (sites.L / side)) % side;
    return sites.dim === 1
      ? at(sites.positions[j])
      : at(sites.positions[2 * j]) * side + at(sites.positions[2 * j + 1]);
  });
  const data = new Int8Array(n * cells);
  const sum = new Int32Array(cells);
  for (let i = 0; i < n; i++) {
    sum.fill(0);
    for (let j = 0; j < units; j++) sum[cellOf[j]] += spins.data[i * units + j];
    for (let c = 0; c < cells; c++) data[i * cells + c] = Math.sign(sum[c]);
  }
  const shape = sites.dim === 1 ? [n, side] : [n, side, side];
  return { type: 'spins', shape, data, T: spins.T, meta: spins.meta };
}

/** Up to `samples` configurations, spread over the temperatures and over each temperature's samples. */
export function spinsPanel(spins: SpinsValue, samples: number, title?: string): Panel {
  if (spins.sites) return spinsPanel(pointSetOnGrid(spins), samples, title);
  const [n, ...lattice] = spins.shape;
  if (n === 0) throw new Error('spins: there are no samples to show');
  const N = lattice.reduce((a, b) => a * b, 1);
  if (lattice.length === 1) {
    // 1D: one image, a row per sample (at most 128 rows).
    const rows = Math.min(n, 128);
    const data = new Int8Array(rows * N);
    for (let r = 0; r < rows; r++)
      data.set(spins.data.subarray(Math.floor((r * n) / rows) * N, Math.floor((r * n) / rows) * N + N), r * N);
    return {
      kind: 'images',
      title: title ?? 'Samples (one row each)',
      columns: 1,
      tiles: [spinsTile(data, N, rows, `${rows} of ${n} chains`)],
    };
  }
  if (lattice.length !== 2) throw new Error(`spins: cannot draw a lattice of shape [${lattice.join(', ')}]`);
  const groups: { T: number; indices: number[] }[] = [];
  for (let i = 0; i < n; i++) {
    const T = spins.T[i];
    const last = groups.at(-1);
    if (last && (last.T === T || (Number.isNaN(last.T) && Number.isNaN(T)))) last.indices.push(i);
    else groups.push({ T, indices: [i] });
  }
  const perGroup = Math.max(1, Math.floor(samples / groups.length));
  const tiles: ImageTile[] = [];
  for (const group of groups) {
    const count = Math.min(perGroup, group.indices.length, samples - tiles.length);
    for (let k = 0; k < count; k++) {
      const index = group.indices[Math.floor(((k + 0.5) * group.indices.length) / count)];
      tiles.push(
        spinsTile(
          spins.data.subarray(index * N, (index + 1) * N),
          lattice[1],
          lattice[0],
          formatT(group.T) || `sample ${index + 1}`,
        ),
      );
    }
  }
  return {
    kind: 'images',
    title: title ?? `Samples (${tiles.length} of ${n})`,
    columns: Math.min(tiles.length, 6),
    tiles,
  };
}

export function weightsPanel(model: RbmValue, units: number, title?: string): Panel {
  const { values, nv, shown, nh, visibleShape, depth } = composedWeights(model, units);
  const [height, width] = visibleShape.length === 2 ? visibleShape : [1, nv];
  let vmax = 0;
  for (const v of values) vmax = Math.max(vmax, Math.abs(v));
  const tiles = Array.from({ length: shown }, (_, j) => {
    const field = new Float64Array(nv);
    for (let i = 0; i < nv; i++) field[i] = values[i * shown + j];
    return divergingTile(field, width, height, vmax, `h${j + 1}`);
  });
  return {
    kind: 'images',
    title: title ?? `Receptive fields, layer ${depth}${depth > 1 ? ` (W1···W${depth})` : ''}`,
    columns: Math.min(shown, 8),
    tiles,
    caption: `${shown} of ${nh} hidden units · blue > 0 > red · shared scale ±${Number(vmax.toPrecision(3))}`,
  };
}

function isReference(series: SeriesValue): boolean {
  return series.meta?.source === 'exact';
}

/** Linear interpolation of a curve at x (NaN outside its range). */
function interpolate(xs: number[], ys: number[], x: number): number {
  for (let i = 0; i + 1 < xs.length; i++) {
    const [a, b] = xs[i] <= xs[i + 1] ? [i, i + 1] : [i + 1, i];
    if (x >= xs[a] && x <= xs[b])
      return xs[b] === xs[a] ? ys[a] : ys[a] + ((ys[b] - ys[a]) * (x - xs[a])) / (xs[b] - xs[a]);
  }
  return xs.length === 1 && xs[0] === x ? ys[0] : NaN;
}

/** Marks measured points more than 3σ from any reference curve in the panel. */
export function markOutliers(curves: Curve[]): Curve[] {
  const references = curves.filter((c) => c.style === 'line' && !c.guide);
  return curves.map((curve) => {
    if (curve.style === 'line' || !curve.err || references.length === 0) return curve;
    const outliers: number[] = [];
    curve.x.forEach((x, k) => {
      const err = curve.err![k];
      if (!(err > 0)) return;
      const far = references.every((ref) => {
        const expected = interpolate(ref.x, ref.y, x);
        return Number.isFinite(expected) && Math.abs(curve.y[k] - expected) > OUTLIER_SIGMAS * err;
      });
      if (far) outliers.push(k);
    });
    return outliers.length ? { ...curve, outliers } : curve;
  });
}

function checkLengths(name: string, x: number[], y: number[], err?: number[]): void {
  if (y.length !== x.length) throw new Error(`series '${name}': ${y.length} y values for ${x.length} x values`);
  if (err && err.length !== x.length)
    throw new Error(`series '${name}': ${err.length} error bars for ${x.length} points`);
}

export function seriesCurves(
  series: SeriesValue,
  label: string,
  style: 'line' | 'points' | 'line+points',
  onlyQuantity?: string,
): Curve[] {
  const reference = isReference(series);
  return (
    series.curves
      // A reference curve of the plotted quantity: 'e (exact, ...)', or a variant such as 'decimated_e (exact, ...)'.
      .filter(
        (c) =>
          !reference ||
          !onlyQuantity ||
          new RegExp(`^(\\w+_)?${onlyQuantity.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`).test(c.name),
      )
      .map((c) => {
        checkLengths(c.name, series.x, c.y, c.err);
        const name = label && label !== c.name ? `${label}: ${c.name}` : c.name;
        return {
          name,
          x: series.x,
          y: c.y,
          ...(c.err ? { err: c.err } : {}),
          ...(c.guide ? { guide: true } : {}),
          style: reference ? 'line' : (c.style ?? style),
        };
      })
  );
}

/** Columns x and y of a table as curves, one per value of L when the table has an L column. */
export function tableCurves(
  table: TableValue,
  x: string,
  y: string,
  label: string,
  style: 'line' | 'points' | 'line+points',
): Curve[] {
  const col = (name: string) => table.columns.indexOf(name);
  const [ix, iy] = [col(x), col(y)];
  if (ix < 0 || iy < 0) {
    const missing = ix < 0 ? x : y;
    throw new Error(`table has no column '${missing}'; its columns are ${table.columns.join(', ')}`);
  }
  const ie = col(`${y}_err`);
  const iL = col('L');
  const groups = new Map<string, (number | string | null)[][]>();
  for (const row of table.rows) {
    const key = iL >= 0 ? `L = ${row[iL]}` : '';
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  // An empty cell (null, as CSV writes NaN) is a missing point, not 0.
  const num = (cell: number | string | null) => (cell === null || cell === '' ? NaN : Number(cell));
  return [...groups].map(([key, rows]) => ({
    name: (label.includes(key) ? [label] : [label, key]).filter(Boolean).join(', ') || y,
    x: rows.map((r) => num(r[ix])),
    y: rows.map((r) => num(r[iy])),
    ...(ie >= 0 ? { err: rows.map((r) => num(r[ie])) } : {}),
    style,
  }));
}

export function histogramPanel(tensor: TensorValue, title?: string, bins = 40): Panel {
  let min = Infinity;
  let max = -Infinity;
  for (const v of tensor.data) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max >= min)) throw new Error('tensor: no finite values to draw');
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Array(bins).fill(0);
  for (const v of tensor.data) if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  return {
    kind: 'histogram',
    title: title ?? `Values (${tensor.data.length.toLocaleString('en-US')})`,
    x: { label: 'value' },
    bins: counts.map((count, i) => ({ x0: min + i * width, x1: min + (i + 1) * width, count })),
  };
}

export function tablePanel(table: TableValue, title?: string, maxRows = 40): Panel {
  if (table.columns.length === 0) throw new Error('table: it has no columns');
  return { kind: 'table', title, columns: table.columns, rows: table.rows.slice(0, maxRows) };
}
