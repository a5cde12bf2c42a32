/** A figure spec drawn as inline SVG (the same renderer as the CLI), and a large panel with downloads. */
import { useMemo } from 'react';
import { encodePng } from '../figures/png-text';
import { figureCsv } from '../figures/spec-csv';
import type { FigureSpec } from '../figures/spec';
import type { FigureValue } from '../graph/values';
import { svgOf } from './figure-svg';

export function FigureSvg({ figure, className }: { figure: FigureValue; className?: string }) {
  const svg = useMemo(() => svgOf(figure), [figure]);
  return <div className={className} dangerouslySetInnerHTML={{ __html: svg }} />;
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
