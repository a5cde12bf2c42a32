/** Figure specs rendered headless (linkedom as the DOM): well-formed SVG with the marks and labels asked for. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { decode } from 'fast-png';
import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { markOutliers, spinsPanel } from '../../src/figures/build';
import { spinsTile } from '../../src/figures/images';
import { nodeDocument } from '../../src/figures/node-document';
import { svgToPng } from '../../src/figures/rasterize';
import { renderSvg } from '../../src/figures/render-svg';
import { figureSpec, type Curve, type FigureSpec, type Panel } from '../../src/figures/spec';
import type { SpinsValue } from '../../src/graph/values';

const document = nodeDocument();

/**
 * Parses an SVG string, failing on anything that is not well-formed XML: resvg's parser (roxmltree) is
 * strict about tags, quoting and entities; linkedom's is lenient and gives the tree to query.
 */
function parseSvg(svg: string): Document {
  expect(() => new Resvg(svg)).not.toThrow();
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml') as unknown as Document;
  expect(doc.querySelector('parsererror')).toBeNull();
  expect(doc.documentElement.tagName.toLowerCase()).toBe('svg');
  expect(doc.documentElement.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
  return doc;
}

function render(spec: FigureSpec): { svg: string; doc: Document } {
  const svg = renderSvg(spec, document);
  return { svg, doc: parseSvg(svg) };
}

const texts = (doc: Document) => Array.from(doc.querySelectorAll('text'), (t) => t.textContent);

/** The size an SVG declares. */
function svgSize(doc: Document): { width: number; height: number } {
  const root = doc.documentElement;
  return { width: Number(root.getAttribute('width')), height: Number(root.getAttribute('height')) };
}

describe('the strictness check', () => {
  it('rejects malformed XML', () => {
    expect(() => new Resvg('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).toThrow();
    expect(() => new Resvg('<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>')).toThrow();
  });
});

describe('xy panels', () => {
  const x = [1, 2, 3, 4, 5, 6, 7];
  const measured: Curve = {
    name: 'Monte Carlo',
    x,
    y: x.map((v) => v * v + (v === 4 ? 3 : 0.1)),
    err: x.map(() => 0.2),
    style: 'points',
  };
  const exact: Curve = { name: 'exact', x, y: x.map((v) => v * v), style: 'line' };
  const spec = figureSpec(
    [{ kind: 'xy', title: 'Energy', x: { label: 'T' }, y: { label: 'e' }, curves: markOutliers([measured, exact]) }],
    { title: 'A figure' },
  );

  it('draws one dot per point, one legend row per curve, error bars, the line and the marked outlier', () => {
    const { doc } = render(spec);
    const panel = doc.querySelector('g.panel-xy')!;
    expect(panel).not.toBeNull();
    // 7 dots + 1 legend swatch (the points curve) + 1 red ring round the 3σ outlier at x = 4.
    expect(panel.querySelectorAll('circle')).toHaveLength(9);
    expect(panel.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(8);
    expect(panel.querySelectorAll('circle[r="6"]')).toHaveLength(1);
    expect(panel.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(7);
    expect(panel.querySelectorAll('g[aria-label="line"] path')).toHaveLength(1);
    const t = texts(doc);
    for (const label of ['A figure', 'Energy', 'Monte Carlo', 'exact']) expect(t).toContain(label);
    // Plot's axis labels, with its arrows.
    expect(t.some((s) => /^T\b.*→$/.test(s ?? ''))).toBe(true);
    expect(t.some((s) => /^↑ e$/.test(s ?? ''))).toBe(true);
  });

  it('skips NaN and infinite points instead of failing', () => {
    const gappy: Curve = { name: 'gappy', x, y: [1, NaN, 3, Infinity, 5, NaN, 7], style: 'points' };
    const { doc } = render(figureSpec([{ kind: 'xy', x: { label: 'x' }, y: { label: 'y' }, curves: [gappy] }]));
    expect(doc.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(4);
    const { doc: empty } = render(
      figureSpec([{ kind: 'xy', x: { label: 'x' }, y: { label: 'y' }, curves: [{ ...gappy, y: x.map(() => NaN) }] }]),
    );
    expect(empty.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(0);
  });

  it('draws line+points curves with both, and gives each curve its own colour', () => {
    const a: Curve = { name: 'a', x: [1, 2, 3], y: [1, 2, 3], style: 'line+points' };
    const b: Curve = { name: 'b', x: [1, 2, 3], y: [3, 2, 1], style: 'line+points' };
    const { doc } = render(figureSpec([{ kind: 'xy', x: { label: 'x' }, y: { label: 'y' }, curves: [a, b] }]));
    const dots = Array.from(doc.querySelectorAll('g[aria-label="dot"]'));
    expect(dots.map((g) => g.querySelectorAll('circle').length)).toEqual([3, 3]);
    expect(new Set(dots.map((g) => g.getAttribute('fill'))).size).toBe(2);
    expect(doc.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
  });
});

describe('integer x values', () => {
  it('get one tick per integer (flow steps, block-spin levels), not 0.5 steps', () => {
    const spec = figureSpec([
      {
        kind: 'xy',
        x: { label: 'level' },
        y: { label: 'T' },
        curves: [{ name: 'a', x: [0, 1, 2], y: [2, 3, 5], style: 'points' }],
      },
    ]);
    const labels = Array.from(
      render(spec).doc.querySelectorAll('g[aria-label="x-axis tick label"] text'),
      (t) => t.textContent,
    );
    expect(labels).toEqual(['0', '1', '2']);
  });

  it('with a shared x domain, one tick per integer in it: a short flow beside a longer one', () => {
    const spec = figureSpec([
      {
        kind: 'xy',
        x: { label: 'level' },
        y: { label: 'T' },
        curves: [{ name: 'a', x: [0, 1, 2], y: [2, 3, 5], style: 'points' }],
      },
    ]);
    const labels = (domain: [number, number]) =>
      Array.from(
        parseSvg(renderSvg(spec, document, { domains: { 0: { x: domain } } })).querySelectorAll(
          'g[aria-label="x-axis tick label"] text',
        ),
        (t) => t.textContent,
      );
    expect(labels([0, 4])).toEqual(['0', '1', '2', '3', '4']);
    expect(labels([-0.5, 2.5])).toEqual(['0', '1', '2']);
    // no integer inside, or too many: Plot's own ticks
    expect(labels([0.2, 0.8]).length).toBeGreaterThan(1);
    expect(labels([0, 40])).not.toContain('1');
  });
});

describe('domain overrides', () => {
  const tickLabels = (doc: Document, axis: 'x' | 'y', panel = 0) =>
    Array.from(
      doc.querySelectorAll('g.panel')[panel].querySelectorAll(`g[aria-label="${axis}-axis tick label"] text`),
      (t) => t.textContent,
    );
  const spec = figureSpec(
    [
      {
        kind: 'xy',
        x: { label: 'T' },
        y: { label: 'e' },
        curves: [{ name: 'a', x: [2, 2.2], y: [-1.7, -1.5], style: 'points' }],
      },
      {
        kind: 'xy',
        x: { label: 'r' },
        y: { label: 'C' },
        curves: [{ name: 'b', x: [0, 1], y: [1, 0.5], style: 'points' }],
      },
    ],
    { columns: 2 },
  );

  it('sets the x and y domains of the panels named, which changes their ticks', () => {
    const plain = render(spec).doc;
    expect(tickLabels(plain, 'x')).toEqual(['2.00', '2.05', '2.10', '2.15', '2.20']);
    const overridden = parseSvg(renderSvg(spec, document, { domains: { 0: { x: [2, 3], y: [-2, 0] } } }));
    expect(tickLabels(overridden, 'x')).toEqual(['2.0', '2.2', '2.4', '2.6', '2.8', '3.0']);
    expect(tickLabels(overridden, 'y')).toContain('−2.0');
    expect(tickLabels(overridden, 'y')).toContain('0.0');
    expect(tickLabels(overridden, 'y')).not.toEqual(tickLabels(plain, 'y'));
    // the other panel is untouched
    expect(tickLabels(overridden, 'x', 1)).toEqual(tickLabels(plain, 'x', 1));
    expect(tickLabels(overridden, 'y', 1)).toEqual(tickLabels(plain, 'y', 1));
  });

  it('overrides one axis and leaves the other to the data', () => {
    const plain = render(spec).doc;
    const onlyY = parseSvg(renderSvg(spec, document, { domains: { 0: { y: [-2, 0] } } }));
    expect(tickLabels(onlyY, 'x')).toEqual(tickLabels(plain, 'x'));
    expect(tickLabels(onlyY, 'y')).not.toEqual(tickLabels(plain, 'y'));
  });

  it('without overrides, renders exactly as before', () => {
    expect(renderSvg(spec, document, { domains: {} })).toBe(renderSvg(spec, document));
  });
});

describe('other panels', () => {
  function spins(n: number, L: number): SpinsValue {
    const data = Int8Array.from({ length: n * L * L }, (_, i) => ((i * 7) % 5 < 2 ? 1 : -1));
    return { type: 'spins', shape: [n, L, L], data, T: new Float64Array(n).fill(2.5), meta: {} };
  }

  it('draws one <image> per tile, each a PNG data URL, with its label', () => {
    const panel = spinsPanel(spins(40, 16), 9);
    const { doc } = render(figureSpec([panel]));
    const imageElements = Array.from(doc.querySelectorAll('image'));
    expect(imageElements).toHaveLength(9);
    for (const image of imageElements)
      expect(image.getAttribute('href')).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
    expect(texts(doc).filter((s) => s === 'T = 2.5')).toHaveLength(9);
    expect(texts(doc)).toContain('Samples (9 of 40)');
  });

  it('draws a histogram as one rect per bin', () => {
    const bins = Array.from({ length: 12 }, (_, i) => ({ x0: i, x1: i + 1, count: (i * 5) % 7 }));
    const { doc } = render(figureSpec([{ kind: 'histogram', title: 'Values', x: { label: 'value' }, bins }]));
    expect(doc.querySelectorAll('g.panel-histogram rect')).toHaveLength(12);
    expect(texts(doc)).toContain('Values');
  });

  it('draws a table with its headers and formatted cells', () => {
    const panel: Panel = {
      kind: 'table',
      title: 'Observables',
      columns: ['T', 'L', 'e', 'note'],
      rows: [
        [2.269185, 32, -1.4142135623730951, 'near Tc'],
        [1e-7, 16, NaN, null],
      ],
    };
    const { doc } = render(figureSpec([panel]));
    const t = texts(doc);
    for (const cell of [
      'Observables',
      'T',
      'L',
      'e',
      'note',
      '2.2692',
      '32',
      '-1.4142',
      'near Tc',
      '1.000e-7',
      '16',
      'NaN',
    ])
      expect(t).toContain(cell);
    expect(doc.querySelectorAll('text[font-weight="bold"]')).toHaveLength(5); // the title and 4 headers
  });

  it('lays panels out in the spec columns: two side by side are wider than one', () => {
    const panel: Panel = { kind: 'xy', x: { label: 'x' }, y: { label: 'y' }, curves: [] };
    const one = svgSize(render(figureSpec([panel])).doc);
    const two = svgSize(render(figureSpec([panel, panel])).doc);
    const stacked = svgSize(render(figureSpec([panel, panel], { columns: 1 })).doc);
    expect(two.width).toBe(2 * one.width - 16);
    expect(two.height).toBe(one.height);
    expect(stacked.width).toBe(one.width);
    expect(stacked.height).toBeGreaterThan(one.height);
  });
});

describe('escaping', () => {
  const nasty = `<b>"Tom" & 'Jerry'</b>`;

  it('escapes special characters in every label, so they come back as text', () => {
    const curve: Curve = { name: `curve ${nasty}`, x: [1, 2], y: [1, 2], style: 'points' };
    const tile = spinsTile(Int8Array.from([1, -1, -1, 1]), 2, 2, `tile ${nasty}`);
    const spec = figureSpec(
      [
        {
          kind: 'xy',
          title: `panel ${nasty}`,
          x: { label: `x ${nasty}` },
          y: { label: `y ${nasty}` },
          curves: [curve],
        },
        { kind: 'images', title: 'tiles', tiles: [tile], columns: 1, caption: `caption ${nasty}` },
        { kind: 'table', columns: [`column ${nasty}`], rows: [[`cell ${nasty}`]] },
        { kind: 'histogram', x: { label: `h ${nasty}` }, bins: [{ x0: 0, x1: 1, count: 2 }] },
      ],
      { title: `figure ${nasty}` },
    );
    const { svg, doc } = render(spec);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;');
    const t = texts(doc).join('\n');
    for (const what of ['figure', 'panel', 'curve', 'tile', 'caption', 'column', 'cell'])
      expect(t).toContain(`${what} ${nasty}`);
    expect(t).toContain(`x ${nasty}`);
    expect(t).toContain(`y ${nasty}`);
    expect(t).toContain(`h ${nasty}`);
    expect(doc.querySelectorAll('b')).toHaveLength(0);
  });
});

describe('an empty spec', () => {
  it("renders 'nothing to plot' inside the picture", () => {
    for (const spec of [figureSpec([]), figureSpec([], { title: 'Empty' })]) {
      const { svg, doc } = render(spec);
      const note = Array.from(doc.querySelectorAll('text')).find((t) => t.textContent === 'nothing to plot');
      expect(note).toBeDefined();
      const { height } = svgSize(doc);
      expect(Number(note!.getAttribute('y'))).toBeLessThan(height);
      // And it shows: the PNG has dark pixels.
      const png = decode(svgToPng(svg, undefined, 1));
      expect(Array.from(png.data).some((v, i) => i % 4 !== 3 && v < 160)).toBe(true);
    }
  });
});

/** A fixed small figure: a measurement with error bars and an outlier over an exact line, and two spin tiles. */
function smallFigure(): FigureSpec {
  const T = [1.5, 2, 2.25, 2.5, 3];
  const exact = T.map((t) => -2 * Math.tanh(1 / t));
  const measured = exact.map((e, i) => e + (i === 3 ? 0.2 : 0.01 * (i - 2)));
  const curves = markOutliers([
    { name: 'Monte Carlo, L = 8', x: T, y: measured, err: [0.02, 0.02, 0.03, 0.03, 0.02], style: 'points' },
    { name: 'exact (toy)', x: T, y: exact, style: 'line' },
  ]);
  const checker = Int8Array.from({ length: 64 }, (_, i) => (((i % 8) + Math.floor(i / 8)) % 2 ? 1 : -1));
  const stripes = Int8Array.from({ length: 64 }, (_, i) => (Math.floor(i / 8) < 4 ? 1 : -1));
  return figureSpec(
    [
      { kind: 'xy', title: 'Energy per spin', x: { label: 'T' }, y: { label: 'e' }, curves },
      {
        kind: 'images',
        title: 'Samples',
        columns: 2,
        tiles: [spinsTile(checker, 8, 8, 'T = 3'), spinsTile(stripes, 8, 8, 'T = 1.5')],
        caption: 'black = +1',
      },
    ],
    { title: 'Small figure' },
  );
}

describe('a fixed small figure', () => {
  it('renders the same SVG as the snapshot, and to a PNG for review', async () => {
    const spec = smallFigure();
    expect(spec.panels[0].kind === 'xy' && spec.panels[0].curves[0].outliers).toEqual([3]);
    const { svg, doc } = render(spec);
    expect(renderSvg(smallFigure(), nodeDocument())).toBe(svg);
    expect(doc.querySelectorAll('image')).toHaveLength(2);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/small-figure.svg');
    const png = svgToPng(svg);
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/small-figure.png', png);
    const decoded = decode(png);
    const { width, height } = svgSize(doc);
    expect([decoded.width, decoded.height]).toEqual([2 * width, 2 * height]);
  });
});
