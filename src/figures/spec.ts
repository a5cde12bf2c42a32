/**
 * A figure spec: plain data that node code builds (no DOM) and renderers draw — as SVG in the app and
 * in the CLI, or as a PNG. Versioned like the graph format.
 */

export const FIGURE_SPEC_VERSION = 1;

/** The most points of a curve a renderer draws (and linked axes measure), so a huge input never freezes one. */
export const MAX_POINTS_PER_CURVE = 20_000;

export interface Axis {
  label: string;
  log?: boolean;
}

export interface Curve {
  name: string;
  x: number[];
  y: number[];
  /** One standard error per point, drawn as error bars. */
  err?: number[];
  /** 'line' for exact/reference curves, 'points' for measurements. */
  style: 'line' | 'points' | 'line+points';
  /** A line drawn for orientation (e.g. T = Tc), not an expectation: points are not judged against it. */
  guide?: boolean;
  /** Indices of points more than 3σ away from a reference curve in the same panel: drawn marked. */
  outliers?: number[];
}

export interface ImageTile {
  label?: string;
  width: number;
  height: number;
  /** A PNG as a data URL (spins in black/white, weights in a diverging map). */
  png: string;
}

export type Panel =
  | {
      kind: 'images';
      title?: string;
      tiles: ImageTile[];
      columns: number;
      /** e.g. 'weight scale ±0.31' */ caption?: string;
    }
  | {
      kind: 'xy';
      title?: string;
      x: Axis;
      y: Axis;
      curves: Curve[];
      /** Vertical reference lines, e.g. the exact Tc. */
      markers?: { x: number; label: string }[];
    }
  | { kind: 'histogram'; title?: string; x: Axis; bins: { x0: number; x1: number; count: number }[] }
  | { kind: 'heatmap'; title?: string; tile: ImageTile; caption?: string }
  | { kind: 'table'; title?: string; columns: string[]; rows: (number | string | null)[][] };

export interface FigureSpec {
  version: typeof FIGURE_SPEC_VERSION;
  title?: string;
  /** Panels laid out left to right, `columns` per row. */
  columns: number;
  panels: Panel[];
}

export type Domain = [number, number];

/** Domain overrides for one panel (e.g. shared with other figures); an axis left out keeps its data's extent. */
export interface PanelDomains {
  x?: Domain;
  y?: Domain;
}

/** Domain overrides for one figure, by panel index. */
export type FigureDomains = Record<number, PanelDomains>;

export function figureSpec(panels: Panel[], options: { title?: string; columns?: number } = {}): FigureSpec {
  return {
    version: FIGURE_SPEC_VERSION,
    ...(options.title ? { title: options.title } : {}),
    columns: Math.max(1, Math.min(options.columns ?? panels.length, 4)),
    panels,
  };
}
