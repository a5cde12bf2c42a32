/**
 * Figure spec -> one standalone SVG string. Axes panels are drawn by Observable Plot; image grids,
 * heatmaps and tables are plain SVG. Works with any DOM `document`: the page's in the app, linkedom's
 * in Node, so the app and the CLI produce the same SVG.
 */
import * as Plot from '@observablehq/plot';
import {
  MAX_POINTS_PER_CURVE,
  type Curve,
  type Domain,
  type FigureDomains,
  type FigureSpec,
  type ImageTile,
  type Panel,
  type PanelDomains,
} from './spec';

const PANEL_WIDTH = 400;
const PANEL_HEIGHT = 300;
const TITLE_HEIGHT = 28;
const GAP = 16;
const PALETTE = [
  '#4269d0',
  '#ff725c',
  '#3ca951',
  '#a463f2',
  '#efb118',
  '#6cc5b0',
  '#ff8ab7',
  '#97bbf5',
  '#9c6b4e',
  '#9498a0',
];

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

export function formatNumber(value: number | string | null): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return 'NaN';
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(3) : Number(value.toPrecision(5)).toString();
}

const LEGEND_ROW = 14;

function legendHeight(panel: Panel): number {
  return panel.kind === 'xy' && panel.curves.length > 0 ? 6 + LEGEND_ROW * panel.curves.length : 0;
}

function panelSize(panel: Panel): { width: number; height: number } {
  if (panel.kind === 'images') {
    const rows = Math.ceil(panel.tiles.length / panel.columns);
    const tile = tileSize(panel.tiles[0], panel.columns);
    return {
      width: Math.max(PANEL_WIDTH, panel.columns * (tile.w + 6) + 8),
      height: 30 + rows * (tile.h + 20) + (panel.caption ? 18 : 0),
    };
  }
  if (panel.kind === 'table')
    return { width: Math.max(PANEL_WIDTH, 90 * panel.columns.length), height: 40 + 18 * (panel.rows.length + 1) };
  return { width: PANEL_WIDTH, height: PANEL_HEIGHT + legendHeight(panel) };
}

function tileSize(tile: ImageTile | undefined, columns: number): { w: number; h: number } {
  if (!tile) return { w: 0, h: 0 };
  // About 560 px per row of tiles, each between 64 and 160 px on its long side (pixels stay square).
  const side = Math.max(64, Math.min(160, Math.floor(560 / columns) - 6));
  const scale = side / Math.max(tile.width, tile.height);
  return { w: Math.round(tile.width * scale), h: Math.round(tile.height * scale) };
}

function panelTitle(title: string | undefined, width: number): string {
  return title
    ? `<text x="${width / 2}" y="16" text-anchor="middle" font-weight="bold" font-size="13">${escapeXml(title)}</text>`
    : '';
}

function imagesPanel(panel: Extract<Panel, { kind: 'images' }>, width: number): string {
  const { w, h } = tileSize(panel.tiles[0], panel.columns);
  const parts = [panelTitle(panel.title, width)];
  panel.tiles.forEach((tile, i) => {
    const x = 4 + (i % panel.columns) * (w + 6);
    const y = 26 + Math.floor(i / panel.columns) * (h + 20);
    parts.push(
      `<image x="${x}" y="${y}" width="${w}" height="${h}" preserveAspectRatio="none" image-rendering="optimizeSpeed" href="${tile.png}"/>`,
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#888" stroke-width="0.5"/>`,
    );
    if (tile.label)
      parts.push(
        `<text x="${x + w / 2}" y="${y + h + 13}" text-anchor="middle" font-size="10">${escapeXml(tile.label)}</text>`,
      );
  });
  if (panel.caption) {
    const rows = Math.ceil(panel.tiles.length / panel.columns);
    parts.push(
      `<text x="4" y="${30 + rows * (h + 20) + 8}" font-size="10" fill="#555">${escapeXml(panel.caption)}</text>`,
    );
  }
  return parts.join('');
}

function tablePanel(panel: Extract<Panel, { kind: 'table' }>, width: number): string {
  const columnWidth = width / panel.columns.length;
  const parts = [panelTitle(panel.title, width)];
  const cell = (text: string, col: number, row: number, bold = false) =>
    `<text x="${col * columnWidth + columnWidth - 6}" y="${44 + row * 18}" text-anchor="end"${bold ? ' font-weight="bold"' : ''}>${escapeXml(text)}</text>`;
  panel.columns.forEach((c, i) => parts.push(cell(c, i, 0, true)));
  parts.push(`<line x1="0" x2="${width}" y1="${49}" y2="${49}" stroke="#888"/>`);
  panel.rows.forEach((row, r) => row.forEach((value, i) => parts.push(cell(formatNumber(value), i, r + 1))));
  return parts.join('');
}

/** One row per curve above the axes: a swatch (line or dot) and the curve's name. */
function legend(curves: Curve[], top: number): string {
  return curves
    .map((curve, i) => {
      const y = top + LEGEND_ROW * (i + 1) - 3;
      const color = PALETTE[i % PALETTE.length];
      const swatch =
        curve.style === 'points'
          ? `<circle cx="48" cy="${y - 4}" r="3" fill="${color}"/>`
          : `<line x1="40" x2="56" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"/>${curve.style === 'line+points' ? `<circle cx="48" cy="${y - 4}" r="2.5" fill="${color}"/>` : ''}`;
      const name = curve.name.length > 60 ? `${curve.name.slice(0, 57)}...` : curve.name;
      return `${swatch}<text x="62" y="${y}" font-size="10">${escapeXml(name)}</text>`;
    })
    .join('');
}

/**
 * Every integer from the first to the last x, when all x are integers a few apart (steps, levels): no 0.5
 * ticks. With a domain shared with other figures, every integer in it, so a short flow beside a longer one
 * has the longer one's ticks.
 */
function integerTicks(xs: number[], domain?: Domain): number[] | undefined {
  const finite = xs.filter(Number.isFinite);
  if (finite.length === 0 || !finite.every(Number.isInteger)) return undefined;
  const [lo, hi] = domain ? [Math.ceil(domain[0]), Math.floor(domain[1])] : [Math.min(...finite), Math.max(...finite)];
  if (!(hi >= lo) || hi - lo > 12) return undefined;
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

function plotPanel(
  panel: Extract<Panel, { kind: 'xy' | 'histogram' }>,
  document: Document,
  domains: PanelDomains = {},
): string {
  const marks: Plot.Markish[] = [];
  let x: Plot.ScaleOptions = { label: panel.x.label, ...(panel.x.log ? { type: 'log' as const } : {}) };
  let y: Plot.ScaleOptions;
  if (panel.kind === 'histogram') {
    marks.push(
      Plot.rectY(panel.bins, { x1: 'x0', x2: 'x1', y: 'count', fill: PALETTE[0], inset: 0.5 }),
      Plot.ruleY([0]),
    );
    y = { label: 'count' };
  } else {
    y = { label: panel.y.label, ...(panel.y.log ? { type: 'log' as const } : {}), grid: true };
    x = { ...x, grid: true };
    panel.curves.forEach((curve, i) => {
      const color = PALETTE[i % PALETTE.length];
      const points = curve.x
        .slice(0, MAX_POINTS_PER_CURVE)
        .map((xv, k) => ({ x: xv, y: curve.y[k], err: curve.err?.[k] ?? 0 }));
      const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
      if (curve.style !== 'points') marks.push(Plot.line(finite, { x: 'x', y: 'y', stroke: color, strokeWidth: 1.6 }));
      if (curve.style !== 'line') {
        if (curve.err) {
          const bars = finite.filter((p) => Number.isFinite(p.err) && p.err > 0);
          marks.push(Plot.ruleX(bars, { x: 'x', y1: (p) => p.y - p.err, y2: (p) => p.y + p.err, stroke: color }));
        }
        marks.push(Plot.dot(finite, { x: 'x', y: 'y', fill: color, r: 2.5 }));
      }
      if (curve.outliers?.length) {
        const marked = curve.outliers.map((k) => points[k]).filter(Boolean);
        marks.push(Plot.dot(marked, { x: 'x', y: 'y', stroke: '#d62728', strokeWidth: 1.5, r: 6, fill: 'none' }));
      }
    });
  }
  if (panel.kind === 'xy' && panel.markers?.length) {
    marks.push(
      Plot.ruleX(panel.markers, { x: 'x', stroke: '#555', strokeDasharray: '4,3' }),
      Plot.text(panel.markers, { x: 'x', text: 'label', frameAnchor: 'top', dy: -6, fill: '#555' }),
    );
  }
  if (panel.kind === 'xy' && !panel.x.log) {
    const ticks = integerTicks(
      panel.curves.flatMap((c) => c.x.slice(0, MAX_POINTS_PER_CURVE)),
      domains.x,
    );
    if (ticks) x = { ...x, ticks, tickFormat: 'd' };
  }
  // a few pixels inside the frame, so the points at the ends of a shared domain are not cut in half
  if (domains.x) x = { ...x, domain: domains.x, inset: 6 };
  if (domains.y) y = { ...y, domain: domains.y, inset: 6 };
  const svg = Plot.plot({
    document,
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT - TITLE_HEIGHT,
    marginTop: 20,
    style: { background: 'transparent', fontSize: '11px' },
    x,
    y,
    marks,
  }) as unknown as Element;
  const inner = svg.innerHTML;
  const legendSpace = legendHeight(panel);
  const legendMarkup = panel.kind === 'xy' && panel.curves.length > 0 ? legend(panel.curves, TITLE_HEIGHT - 6) : '';
  return `${panelTitle(panel.title, PANEL_WIDTH)}${legendMarkup}<g transform="translate(0,${TITLE_HEIGHT - 8 + legendSpace})">${inner}</g>`;
}

function heatmapPanel(panel: Extract<Panel, { kind: 'heatmap' }>, width: number): string {
  return imagesPanel(
    { kind: 'images', title: panel.title, tiles: [panel.tile], columns: 1, caption: panel.caption },
    width,
  );
}

export interface RenderOptions {
  /** x/y domains for some panels (by index) in place of their data extents, e.g. to link axes between figures. */
  domains?: FigureDomains;
}

/** Renders a spec as one standalone SVG document (a string). */
export function renderSvg(spec: FigureSpec, document: Document, options: RenderOptions = {}): string {
  const sizes = spec.panels.map(panelSize);
  const columns = Math.max(1, spec.columns);
  const rows = Math.ceil(spec.panels.length / columns);
  const columnWidths = Array.from({ length: columns }, (_, c) =>
    Math.max(0, ...sizes.filter((_, i) => i % columns === c).map((s) => s.width)),
  );
  const rowHeights = Array.from({ length: rows }, (_, r) =>
    Math.max(0, ...sizes.slice(r * columns, (r + 1) * columns).map((s) => s.height)),
  );
  const top = spec.title ? 34 : 8;
  const width = Math.max(
    200,
    columnWidths.reduce((a, b) => a + b + GAP, GAP),
  );
  // An empty figure keeps room for its 'nothing to plot' line.
  const height = top + rowHeights.reduce((a, b) => a + b + GAP, 0) + (spec.panels.length === 0 ? 40 : 0);
  const parts: string[] = [];
  if (spec.title)
    parts.push(
      `<text x="${width / 2}" y="22" text-anchor="middle" font-weight="bold" font-size="15">${escapeXml(spec.title)}</text>`,
    );
  spec.panels.forEach((panel, i) => {
    const c = i % columns;
    const r = Math.floor(i / columns);
    const x = GAP + columnWidths.slice(0, c).reduce((a, b) => a + b + GAP, 0);
    const y = top + rowHeights.slice(0, r).reduce((a, b) => a + b + GAP, 0);
    const w = sizes[i].width;
    const body =
      panel.kind === 'images'
        ? imagesPanel(panel, w)
        : panel.kind === 'table'
          ? tablePanel(panel, w)
          : panel.kind === 'heatmap'
            ? heatmapPanel(panel, w)
            : plotPanel(panel, document, options.domains?.[i]);
    parts.push(`<g class="panel panel-${panel.kind}" transform="translate(${x},${y})">${body}</g>`);
  });
  if (spec.panels.length === 0)
    parts.push(`<text x="${width / 2}" y="${top + 20}" text-anchor="middle" fill="#666">nothing to plot</text>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11" color="black" fill="black">` +
    `<rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`
  );
}
