/**
 * A figure spec drawn as SVG (the same renderer as the CLI): inline, or as an image once it has settled (node
 * previews), and a large panel with downloads.
 */
import { useEffect, useMemo } from 'react';
import { encodePng } from '../figures/png-text';
import { figureCsv } from '../figures/spec-csv';
import type { FigureSpec } from '../figures/spec';
import type { FigureValue } from '../graph/values';
import { svgOf } from './figure-svg';
import type { EngineView } from './useEngine';

/** The size an SVG document gives its root element (or its viewBox), if the page can show it as an image. */
function svgImageSize(svg: string): { width: number; height: number } | null {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<svg\b([^>]*)>/.exec(svg)?.[1];
  if (!root || !/\sxmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(root)) return null;
  const attribute = (name: string) => Number(new RegExp(`\\s${name}="\\s*([\\d.]+)(?:px)?\\s*"`).exec(root)?.[1]);
  let width = attribute('width');
  let height = attribute('height');
  if (!(width > 0 && height > 0)) {
    const box = /\sviewBox="([^"]*)"/
      .exec(root)?.[1]
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (box?.length === 4) [width, height] = [box[2], box[3]];
  }
  return width > 0 && height > 0 ? { width, height } : null;
}

interface FigureImage {
  url: string;
  width: number;
  height: number;
  /** Holds the loaded image, so that the browser keeps it (parsed and laid out) for every preview of it. */
  loaded: HTMLImageElement;
}

/** Per figure, its SVG as an image (null: not one to show as an image). */
const images = new WeakMap<FigureValue, FigureImage | null>();

/**
 * Vector figures up to this size are shown as images. A figure with raster tiles in it (spin configurations,
 * receptive fields) stays inline: as an image the browser would decode its tiles on the main thread each
 * time it draws a new one (training streams one per epoch), where inline it decodes them off it.
 */
const IMAGE_MAX_CHARS = 256_000;

function imageOf(figure: FigureValue): FigureImage | null {
  let image = images.get(figure);
  if (image === undefined) {
    const svg = svgOf(figure);
    const size = svg.length <= IMAGE_MAX_CHARS && !/<(?:image|foreignObject)\b/.test(svg) ? svgImageSize(svg) : null;
    const url = size && `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    image = size && url ? { url, ...size, loaded: Object.assign(new Image(), { src: url }) } : null;
    images.set(figure, image);
  }
  return image;
}

/** Nodes whose figure is to be made an image, in idle time. */
const toWarm = new Map<string, EngineView>();
let warming = false;

/** requestIdleCallback, or a stand-in where the browser has none (Safari). */
const whenIdle: (callback: (deadline: IdleDeadline) => void) => void =
  typeof requestIdleCallback === 'function'
    ? (callback) => requestIdleCallback(callback, { timeout: 2000 })
    : (callback) => setTimeout(() => callback({ didTimeout: true, timeRemaining: () => 0 }), 50);

function warm(deadline: IdleDeadline): void {
  warming = false;
  // Loading one takes a few milliseconds (the browser parses and lays out the SVG): as many as the idle time
  // has room for, or one when the page has had none for a while.
  let first = true;
  for (const [id, view] of toWarm) {
    if (deadline.timeRemaining() < 8 && !(first && deadline.didTimeout)) break;
    first = false;
    toWarm.delete(id);
    const figure = view.figure(id);
    if (figure) imageOf(figure);
  }
  if (toWarm.size) schedule();
}

function schedule(): void {
  if (warming) return;
  warming = true;
  whenIdle(warm);
}

/** How long a node's figure stays the same before it is made an image (a training streams one per epoch). */
const WARM_AFTER_MS = 300;

/**
 * Makes each node's figure an image once it has stayed the same a moment, in idle time, so that a preview
 * coming into view on a big canvas (nodes out of view are not rendered) is one element drawn from the image
 * the browser keeps, instead of a tree to parse, style and lay out in the frame that shows it.
 */
export function useFigureImagesWarm(view: EngineView): void {
  useEffect(() => {
    const changedAt = new Map<string, number>();
    let seen: Readonly<Record<string, FigureValue>> = {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      timer = undefined;
      const now = performance.now();
      for (const [id, at] of changedAt) {
        if (now - at < WARM_AFTER_MS) continue;
        changedAt.delete(id);
        const figure = view.figure(id);
        if (figure && !images.has(figure)) toWarm.set(id, view);
      }
      if (toWarm.size) schedule();
      if (changedAt.size) timer = setTimeout(check, WARM_AFTER_MS);
    };
    const changed = () => {
      const figures = view.figures();
      const now = performance.now();
      for (const [id, figure] of Object.entries(figures)) if (seen[id] !== figure) changedAt.set(id, now);
      seen = figures;
      if (changedAt.size && timer === undefined) timer = setTimeout(check, WARM_AFTER_MS);
    };
    changed();
    const unsubscribe = view.subscribe('figures', changed);
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [view]);
}

/**
 * A figure as a small picture (a node's preview): inline SVG, or, once the figure has been made an image
 * (useFigureImagesWarm), that image inside an <svg> of the same size. Inline, a plot is a tree of some hundred
 * elements with a <style> of its own: each time a node comes into view on a big canvas its tree is parsed,
 * styled, laid out and hit-tested, and its stylesheet makes the page recompute its styles. As an image it is
 * one element, drawn from the image the browser keeps for its URL (parsed and laid out once), and it looks
 * the same. A figure that keeps changing (a training streams one per epoch) stays inline: each one is shown
 * once, and inline is the cheaper way to do that.
 */
export function FigureSvg({ figure, className }: { figure: FigureValue; className?: string }) {
  const image = images.get(figure);
  if (!image) return <div className={className} dangerouslySetInnerHTML={{ __html: svgOf(figure) }} />;
  const { url, width, height } = image;
  return (
    <div className={className}>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
      >
        <image href={url} width={width} height={height} />
      </svg>
    </div>
  );
}

/** Rasterises the SVG on a canvas (twice its size) and encodes a PNG carrying the graph file. */
async function pngOf(svg: string, graphText: string): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = Object.assign(document.createElement('canvas'), { width: image.width * 2, height: image.height * 2 });
  const context = canvas.getContext('2d')!;
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  const png = encodePng(new Uint8Array(data.buffer), canvas.width, canvas.height, graphText);
  return new Blob([png as BlobPart], { type: 'image/png' });
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** SVG, PNG and CSV downloads of a figure, as drawn (`svg`). */
export function FigureDownloads({
  figure,
  svg,
  name,
  graphText,
}: {
  figure: FigureValue;
  svg: string;
  name: string;
  /** Embedded in the PNG, so dropping it into the app restores the graph; asked for only on export. */
  graphText: () => string;
}) {
  return (
    <>
      <button onClick={() => download(`${name}.svg`, new Blob([svg], { type: 'image/svg+xml' }))}>SVG</button>
      <button onClick={() => void pngOf(svg, graphText()).then((png) => download(`${name}.png`, png))}>PNG</button>
      <button
        onClick={() =>
          download(`${name}.csv`, new Blob([figureCsv(figure.spec as unknown as FigureSpec)], { type: 'text/csv' }))
        }
      >
        CSV
      </button>
    </>
  );
}

export function FigurePanel({
  figure,
  name,
  graphText,
  pinned,
  onTogglePin,
  onClose,
}: {
  figure: FigureValue;
  name: string;
  graphText: () => string;
  pinned: boolean;
  onTogglePin: () => void;
  onClose: () => void;
}) {
  const svg = useMemo(() => svgOf(figure), [figure]);
  return (
    <div className="figure-panel" role="dialog" aria-label={`Figure: ${name}`} onClick={onClose}>
      <div className="figure-panel-body" onClick={(e) => e.stopPropagation()}>
        <header>
          <strong>{name}</strong>
          <span className="spacer" />
          <button
            onClick={onTogglePin}
            title={pinned ? 'Take it out of the pinned figures' : 'Keep it in view below the canvas, beside others'}
          >
            {pinned ? 'Unpin' : 'Pin'}
          </button>
          <FigureDownloads figure={figure} svg={svg} name={name} graphText={graphText} />
          <button onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="figure-large" dangerouslySetInnerHTML={{ __html: svg }} />
      </div>
    </div>
  );
}
