/** A figure spec drawn as inline SVG (the same renderer as the CLI), and a large panel with downloads. */
import { useMemo } from 'react';
import { renderSvg } from '../figures/render-svg';
import type { FigureSpec } from '../figures/spec';
import type { FigureValue } from '../graph/values';

/** The figure's SVG: drawn by the worker that ran the node, or here when it came without one. */
function svgOf(figure: FigureValue): string {
  return figure.svg ?? renderSvg(figure.spec as unknown as FigureSpec, document);
}

export function FigureSvg({ figure, className }: { figure: FigureValue; className?: string }) {
  const svg = useMemo(() => svgOf(figure), [figure]);
  return <div className={className} dangerouslySetInnerHTML={{ __html: svg }} />;
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function FigurePanel({ figure, name, onClose }: { figure: FigureValue; name: string; onClose: () => void }) {
  const svg = useMemo(() => svgOf(figure), [figure]);
  return (
    <div className="figure-panel" role="dialog" aria-label={`Figure: ${name}`} onClick={onClose}>
      <div className="figure-panel-body" onClick={(e) => e.stopPropagation()}>
        <header>
          <strong>{name}</strong>
          <span className="spacer" />
          <button onClick={() => download(`${name}.svg`, new Blob([svg], { type: 'image/svg+xml' }))}>
            Download SVG
          </button>
          <button onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="figure-large" dangerouslySetInnerHTML={{ __html: svg }} />
      </div>
    </div>
  );
}
