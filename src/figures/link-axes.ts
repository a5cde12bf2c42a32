/**
 * Linked axes for figures shown side by side (the pinned dock). Each axis links on its own: the x axes of
 * xy panels in two or more figures share one domain when their x label and scale (linear or log) are equal,
 * and the y axes likewise by their y label and scale. So an RBM flow (x 'RBM iteration') and a block-spin
 * flow (x 'block-spin level'), both with y 'effective temperature', share their y range only. A shared domain
 * is the union of what the linked panels draw. Where a panel sits in its figure does not matter.
 */
import { MAX_POINTS_PER_CURVE, type Domain, type FigureDomains, type FigureSpec, type Panel } from './spec';

export type AxisName = 'x' | 'y';

type XyPanel = Extract<Panel, { kind: 'xy' }>;

/** One shared axis: the xy panels whose `axis` has this label and scale, in two or more of the figures. */
export interface AxisLink {
  axis: AxisName;
  label: string;
  log: boolean;
  /** The union of the panels' extents on this axis. */
  domain: Domain;
  /** The linked panels (figure index, panel index), in figure order, then panel order. */
  panels: { figure: number; panel: number }[];
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
function panelExtents(panel: XyPanel): Record<AxisName, Extent> {
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
 * The axes the figures share: per axis, the xy panels of two or more figures with the same label and scale on
 * it. Panels of only one figure, or with nothing to draw, share nothing. In order of first appearance.
 */
export function axisLinks(specs: readonly FigureSpec[]): AxisLink[] {
  const groups = new Map<
    string,
    { axis: AxisName; label: string; log: boolean; extent: Extent; panels: AxisLink['panels'] }
  >();
  specs.forEach((spec, figure) =>
    spec.panels.forEach((panel, index) => {
      if (panel.kind !== 'xy') return;
      const extents = panelExtents(panel);
      for (const axis of ['x', 'y'] as const) {
        const { label } = panel[axis];
        const log = Boolean(panel[axis].log);
        const key = JSON.stringify([axis, label, log]);
        const group = groups.get(key) ?? { axis, label, log, extent: new Extent(log), panels: [] };
        group.extent.union(extents[axis]);
        group.panels.push({ figure, panel: index });
        groups.set(key, group);
      }
    }),
  );
  const links: AxisLink[] = [];
  for (const { axis, label, log, extent, panels } of groups.values()) {
    const domain = extent.domain;
    if (domain && new Set(panels.map((p) => p.figure)).size >= 2) links.push({ axis, label, log, domain, panels });
  }
  return links;
}

/** For each of `count` figures, the domains its panels take from `links`. */
export function linkedDomains(links: readonly AxisLink[], count: number): FigureDomains[] {
  const result: FigureDomains[] = Array.from({ length: count }, () => ({}));
  for (const { axis, domain, panels } of links)
    for (const { figure, panel } of panels) result[figure][panel] = { ...result[figure][panel], [axis]: domain };
  return result;
}

/** For each figure, the domains its xy panels use so that linked axes (see `axisLinks`) share their range. */
export function linkAxes(specs: readonly FigureSpec[]): FigureDomains[] {
  return linkedDomains(axisLinks(specs), specs.length);
}

/** One axis a figure shares, as the dock lists it: with which other figures. */
export interface FigureLink {
  axis: AxisName;
  label: string;
  log: boolean;
  /** The other figures on this axis, by index, in order. */
  others: number[];
}

/** The links `figure` is part of, x before y, each with the other figures in it. */
export function figureLinks(links: readonly AxisLink[], figure: number): FigureLink[] {
  return links
    .filter((link) => link.panels.some((p) => p.figure === figure))
    .map(({ axis, label, log, panels }) => ({
      axis,
      label,
      log,
      others: [...new Set(panels.map((p) => p.figure))].filter((f) => f !== figure),
    }))
    .sort((a, b) => (a.axis === b.axis ? 0 : a.axis === 'x' ? -1 : 1));
}

/**
 * One figure's links in words, for the dock: `text` short ("x, y ↔ hot branch", "y ↔ RBM flow"), `title`
 * with the axis labels ("y ‘effective temperature’ shared with RBM flow"). The label shows in `text` too
 * where one axis has two links (a figure with panels over T and over epochs). Undefined when it has none.
 */
export function describeLinks(
  links: readonly FigureLink[],
  names: readonly string[],
): { text: string; title: string } | undefined {
  if (links.length === 0) return undefined;
  const who = (others: number[]) => others.map((f) => names[f] ?? `figure ${f + 1}`).join(', ');
  const axisText = (link: FigureLink) =>
    links.filter((l) => l.axis === link.axis).length > 1 ? `${link.axis} ‘${link.label}’` : link.axis;
  // axes linked with the same figures read as one entry
  const entries: { axes: FigureLink[]; others: number[] }[] = [];
  for (const link of links) {
    const same = entries.find((e) => e.others.join() === link.others.join());
    if (same) same.axes.push(link);
    else entries.push({ axes: [link], others: link.others });
  }
  return {
    text: entries.map((e) => `${e.axes.map(axisText).join(', ')} ↔ ${who(e.others)}`).join(' · '),
    title: links.map((l) => `${l.axis} ‘${l.label}’${l.log ? ' (log)' : ''} shared with ${who(l.others)}`).join('\n'),
  };
}
