/**
 * Pinned figures side by side below the canvas, live, each with its downloads; axes optionally linked, each
 * axis on its own, and each figure says which of its axes are linked with which other figures.
 */
import { useMemo, useState, type CSSProperties, type PointerEvent } from 'react';
import { axisLinks, describeLinks, figureLinks, linkedDomains } from '../figures/link-axes';
import type { FigureValue } from '../graph/values';
import { sideBySideSvgs, specOf } from './figure-svg';
import { FigureDownloads } from './FigureView';

export interface Pin {
  id: string;
  name: string;
  /** Undefined until the node has produced a figure. */
  figure?: FigureValue;
}

const MIN_HEIGHT = 180;
/** The line under each figure's header that says what its axes are linked with. */
const LINKS_LINE = 16;
/** The dock's height less the figures': headers, the links line, paddings, borders (styles.css), a scrollbar. */
const CHROME = 96 + LINKS_LINE;
/** One line, cut with an ellipsis; `contain` keeps a long line from widening the figure's column. */
const LINKS_STYLE: CSSProperties = {
  margin: '0 6px',
  height: LINKS_LINE,
  lineHeight: `${LINKS_LINE}px`,
  whiteSpace: 'nowrap',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  contain: 'inline-size',
};

/** The width / height of an SVG string's root, to size a figure to the dock's height. */
function aspect(svg: string): number {
  const root = /^<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(svg);
  return root ? Number(root[1]) / Number(root[2]) : 4 / 3;
}

export function PinnedDock({
  pins,
  graphText,
  onOpen,
  onUnpin,
  onUnpinAll,
}: {
  pins: Pin[];
  graphText: () => string;
  onOpen: (id: string) => void;
  onUnpin: (id: string) => void;
  onUnpinAll: () => void;
}) {
  const [linked, setLinked] = useState(true);
  const [height, setHeight] = useState(() => Math.round(Math.max(MIN_HEIGHT, Math.min(420, window.innerHeight * 0.4))));
  const figureHeight = height - CHROME;
  const drawn = useMemo(() => pins.filter((p): p is Required<Pin> => p.figure !== undefined), [pins]);
  const { svgs, linkLines } = useMemo(() => {
    const links = linked ? axisLinks(drawn.map((p) => specOf(p.figure))) : [];
    const list = sideBySideSvgs(
      drawn.map((p) => p.figure),
      linked ? linkedDomains(links, drawn.length) : undefined,
    );
    const names = drawn.map((p) => p.name);
    return {
      svgs: new Map(drawn.map((p, i) => [p.id, list[i]])),
      linkLines: new Map(drawn.map((p, i) => [p.id, describeLinks(figureLinks(links, i), names)])),
    };
  }, [drawn, linked]);

  const startResize = (e: PointerEvent<HTMLDivElement>) => {
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    const [startY, startHeight] = [e.clientY, height];
    const move = (m: globalThis.PointerEvent) =>
      setHeight(
        Math.round(Math.max(MIN_HEIGHT, Math.min(window.innerHeight * 0.75, startHeight + startY - m.clientY))),
      );
    // the capture ends on pointerup and on pointercancel alike
    const end = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('lostpointercapture', end);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('lostpointercapture', end);
  };

  return (
    <section className="pinned-dock" aria-label="Pinned figures" style={{ height }}>
      <div
        className="pinned-resize"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize the pinned figures"
        onPointerDown={startResize}
      />
      <header>
        <strong>Pinned figures</strong>
        <label title="x axes with the same label and scale share their range across the figures, and so do y axes: each axis on its own">
          <input type="checkbox" checked={linked} onChange={(e) => setLinked(e.target.checked)} /> Link axes
        </label>
        <span className="spacer" />
        <button onClick={onUnpinAll}>Unpin all</button>
      </header>
      <div className="pinned-list">
        {pins.map((pin) => (
          <article key={pin.id} className="pinned-figure" aria-label={`Pinned: ${pin.name}`} data-id={pin.id}>
            <header>
              <strong title={pin.name}>{pin.name}</strong>
              <span className="spacer" />
              {pin.figure && (
                <FigureDownloads figure={pin.figure} svg={svgs.get(pin.id)!} name={pin.name} graphText={graphText} />
              )}
              <button onClick={() => onUnpin(pin.id)} aria-label="Unpin" title="Unpin">
                ✕
              </button>
            </header>
            {pin.figure ? (
              <>
                <LinksLine linked={linked} line={linkLines.get(pin.id)} />
                <button
                  className="pinned-svg"
                  title="Open the figure"
                  onClick={() => onOpen(pin.id)}
                  style={{ height: figureHeight, width: Math.round(figureHeight * aspect(svgs.get(pin.id)!)) }}
                  dangerouslySetInnerHTML={{ __html: svgs.get(pin.id)! }}
                />
              </>
            ) : (
              <p className="muted small">waiting for the figure…</p>
            )}
          </article>
        ))}
      </div>
    </section>
  );
}

/** What this figure's axes are linked with ("x, y ↔ hot branch"), the axis labels in its tooltip. */
function LinksLine({ linked, line }: { linked: boolean; line?: { text: string; title: string } }) {
  const text = !linked ? 'axes not linked' : line ? line.text : 'no axis shared with another figure';
  return (
    <p className="pinned-links small muted" style={LINKS_STYLE} title={line?.title}>
      {text}
    </p>
  );
}
