/** SVG for figures on the page: the worker's when it drew one, else drawn here; linked-axes variants memoised. */
import { renderSvg } from '../figures/render-svg';
import type { FigureDomains, FigureSpec } from '../figures/spec';
import type { FigureValue } from '../graph/values';

export const specOf = (figure: FigureValue) => figure.spec as unknown as FigureSpec;

const drawn = new WeakMap<FigureValue, string>();
/** Per figure, the last SVG drawn with overrides, and the overrides it was drawn with. */
const drawnLinked = new WeakMap<FigureValue, { key: string; svg: string }>();

/** The figure's SVG: drawn by the worker that ran the node, or here when it came without one. */
export function svgOf(figure: FigureValue): string {
  if (figure.svg) return figure.svg;
  let svg = drawn.get(figure);
  if (svg === undefined) {
    svg = renderSvg(specOf(figure), document);
    drawn.set(figure, svg);
  }
  return svg;
}

function svgWithDomains(figure: FigureValue, domains: FigureDomains): string {
  if (Object.keys(domains).length === 0) return svgOf(figure);
  const key = JSON.stringify(domains);
  const hit = drawnLinked.get(figure);
  if (hit?.key === key) return hit.svg;
  const svg = renderSvg(specOf(figure), document, { domains });
  drawnLinked.set(figure, { key, svg });
  return svg;
}

/**
 * The SVGs of figures shown side by side, each with its shared domains (from `linkAxes`), if any. A figure is
 * drawn again on this thread only when its shared domains change (the worker's SVG cannot have them).
 */
export function sideBySideSvgs(figures: readonly FigureValue[], domains?: readonly FigureDomains[]): string[] {
  return figures.map((figure, i) => (domains ? svgWithDomains(figure, domains[i]) : svgOf(figure)));
}
