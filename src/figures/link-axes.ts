/**
 * Linked axes for figures shown side by side: xy panels "of the same kind" (same panel index, same axis
 * labels, same log flags) in several figures get one shared x and y domain, the union of their extents.
 */
import { MAX_POINTS_PER_CURVE } from './render-svg';
import type { FigureSpec, Panel } from './spec';

export type Domain = [number, number];

/** Domain overrides for one panel; an axis left out keeps Plot's own domain. */
export interface PanelDomains {
  x?: Domain;
  y?: Domain;
}

/** Domain overrides for one figure, by panel index. */
export type FigureDomains = Record<number, PanelDomains>;

type XyPanel = Extract<Panel, { kind: 'xy' }>;

/** Which panels can share axes with which: equal keys. */
function panelKey(panel: XyPanel, index: number): string {
  return JSON.stringify([index, panel.x.label, Boolean(panel.x.log), panel.y.label, Boolean(panel.y.log)]);
}

class Extent {
  min = Infinity;
  max = -Infinity;
  constructor(private readonly log: boolean) {}
  add(value: number): void {
    // a log axis cannot show zero or negative values: Plot's own domain leaves them out too
    if (!Number.isFinite(value) || (this.log && value <= 0)) return;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
  union(other: Extent): void {
    this.add(other.min);
    this.add(other.max);
  }
  get domain(): Domain | undefined {
    return this.min <= this.max ? [this.min, this.max] : undefined;
  }
}

/** The x and y extents of what the renderer draws in a panel: points, error bars, marker lines. */
function panelExtents(panel: XyPanel): { x: Extent; y: Extent } {
  const x = new Extent(Boolean(panel.x.log));
  const y = new Extent(Boolean(panel.y.log));
  for (const curve of panel.curves) {
    const n = Math.min(curve.x.length, MAX_POINTS_PER_CURVE);
    for (let k = 0; k < n; k++) {
      const [xv, yv] = [curve.x[k], curve.y[k]];
      if (!Number.isFinite(xv) || !Number.isFinite(yv)) continue;
      x.add(xv);
      y.add(yv);
      const err = curve.err?.[k];
      // the renderer draws error bars on measured points only, not on 'line' curves
      if (curve.style !== 'line' && err !== undefined && Number.isFinite(err) && err > 0) {
        y.add(yv - err);
        y.add(yv + err);
      }
    }
  }
  for (const marker of panel.markers ?? []) x.add(marker.x);
  return { x, y };
}

/**
 * For each figure, the domains its xy panels should use so that panels of the same kind in two or more
 * of the figures share axes. A panel with no match in another figure gets no override.
 */
export function linkAxes(specs: readonly FigureSpec[]): FigureDomains[] {
  const groups = new Map<
    string,
    { axes: XyPanel; members: { figure: number; panel: number; x: Extent; y: Extent }[] }
  >();
  specs.forEach((spec, figure) =>
    spec.panels.forEach((panel, index) => {
      if (panel.kind !== 'xy') return;
      const key = panelKey(panel, index);
      const group = groups.get(key) ?? { axes: panel, members: [] };
      group.members.push({ figure, panel: index, ...panelExtents(panel) });
      groups.set(key, group);
    }),
  );
  const result: FigureDomains[] = specs.map(() => ({}));
  for (const { axes, members } of groups.values()) {
    if (members.length < 2) continue;
    const x = new Extent(Boolean(axes.x.log));
    const y = new Extent(Boolean(axes.y.log));
    for (const m of members) {
      x.union(m.x);
      y.union(m.y);
    }
    for (const m of members) {
      const domains: PanelDomains = {};
      if (x.domain) domains.x = x.domain;
      if (y.domain) domains.y = y.domain;
      if (domains.x || domains.y) result[m.figure][m.panel] = domains;
    }
  }
  return result;
}
