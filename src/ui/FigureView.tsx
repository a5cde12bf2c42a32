/** A figure spec drawn as inline SVG (the same renderer as the CLI), and a large panel with downloads. */
import { useMemo } from 'react';
import { renderSvg } from '../figures/render-svg';
import type { FigureSpec } from '../figures/spec';

export function FigureSvg({ spec, className }: { spec: FigureSpec; className?: string }) {
  const svg = useMemo(() => renderSvg(spec, document), [spec]);
  return <div className={className} dangerouslySetInnerHTML={{ __html: svg }} />;
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function FigurePanel({ spec, name, onClose }: { spec: FigureSpec; name: string; onClose: () => void }) {
  const svg = useMemo(() => renderSvg(spec, document), [spec]);
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
