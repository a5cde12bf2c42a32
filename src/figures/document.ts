import type { FigureValue } from '../graph/values';
import { renderSvg } from './render-svg';
import type { FigureSpec } from './spec';

/** A DOM document for drawing figures in whatever thread this is: the page's, or linkedom's in workers and Node. */
let cached: Document | undefined;

export async function figureDocument(): Promise<Document> {
  if (typeof document !== 'undefined') return document;
  if (!cached) {
    const { parseHTML } = await import('linkedom');
    cached = parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
  }
  return cached;
}

/** The figure with its SVG drawn here (in a worker, so the page only has to show it). */
export async function withSvg(figure: FigureValue): Promise<FigureValue> {
  return { ...figure, svg: renderSvg(figure.spec as unknown as FigureSpec, await figureDocument()) };
}
