/** plot: what it draws for each value type, overlays, errors on bad input, and the CLI's figure files. */
import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import { DOMParser } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactNode } from '../../nodes/exact/index';
import { appRegistry } from '../../nodes/index';
import { plotNode } from '../../nodes/plot/index';
import { summarizeValue } from '../../src/cli/summary';
import { tableToCsv } from '../../src/figures/csv';
import { nodeDocument } from '../../src/figures/node-document';
import { graphFromPng } from '../../src/figures/png-text';
import { renderSvg } from '../../src/figures/render-svg';
import type { FigureSpec, Panel } from '../../src/figures/spec';
import type { GraphDocument } from '../../src/graph/document';
import type { RunContext } from '../../src/graph/node-definition';
import { parseGraph } from '../../src/graph/parse';
import type {
  FigureValue,
  RbmValue,
  SeriesValue,
  SpinsValue,
  TableValue,
  TensorValue,
  Value,
} from '../../src/graph/values';
import { noFiles } from '../helpers/run-node';

function context(labels: string[]): RunContext {
  return {
    signal: new AbortController().signal,
    progress: () => {},
    emit: () => {},
    checkpoint: async () => {},
    sources: { values: labels.map((label, i) => ({ nodeId: `node-${i}`, port: 'out', label })) },
    readFile: noFiles,
  };
}

async function plot(values: Value[], labels: string[], params: Record<string, unknown> = {}): Promise<FigureSpec> {
  const out = await plotNode.run({ values }, plotNode.params.parse(params), context(labels));
  expect(Object.keys(out)).toEqual(['figure']);
  const figure = out.figure as FigureValue;
  expect(figure.type).toBe('figure');
  return figure.spec as unknown as FigureSpec;
}

function svgOf(spec: FigureSpec): { svg: string; doc: Document } {
  const svg = renderSvg(spec, nodeDocument());
  return { svg, doc: new DOMParser().parseFromString(svg, 'image/svg+xml') as unknown as Document };
}

const texts = (doc: Document) => Array.from(doc.querySelectorAll('text'), (t) => t.textContent ?? '');

function xyPanel(spec: FigureSpec): Extract<Panel, { kind: 'xy' }> {
  const panel = spec.panels[0];
  if (panel?.kind !== 'xy') throw new Error(`expected an xy panel first, got ${panel?.kind}`);
  return panel;
}

// Small values of each type.
const spins: SpinsValue = {
  type: 'spins',
  shape: [6, 4, 4],
  data: Int8Array.from({ length: 96 }, (_, i) => (i % 3 ? 1 : -1)),
  T: Float64Array.from([2, 2, 2, 3, 3, 3]),
  meta: {},
};
const rbm: RbmValue = {
  type: 'rbm',
  nv: 16,
  nh: 3,
  W: Float32Array.from({ length: 48 }, (_, i) => Math.cos(i)),
  vbias: new Float32Array(16),
  hbias: new Float32Array(3),
  visibleShape: [4, 4],
  training: {},
};
const series = (name: string, y: number[], err?: number[]): SeriesValue => ({
  type: 'series',
  x: [1, 2, 3],
  xLabel: 'T',
  yLabel: 'e',
  curves: [{ name, y, ...(err ? { err } : {}) }],
});
const table: TableValue = {
  type: 'table',
  columns: ['T', 'L', 'e', 'e_err'],
  rows: [
    [2, 16, -1.7, 0.01],
    [3, 16, -0.8, 0.01],
  ],
};
const tensor: TensorValue = {
  type: 'tensor',
  shape: [50],
  data: Float32Array.from({ length: 50 }, (_, i) => i % 10),
  meta: {},
};

describe('auto kind', () => {
  it.each<[string, Value, Panel['kind']]>([
    ['spins', spins, 'images'],
    ['rbm', rbm, 'images'],
    ['series', series('e', [1, 2, 3]), 'xy'],
    ['table (no x, y)', table, 'table'],
    ['tensor', tensor, 'histogram'],
  ])('draws %s as one %s panel', async (_name, value, kind) => {
    const spec = await plot([value], ['source']);
    expect(spec.version).toBe(1);
    expect(spec.panels.map((p) => p.kind)).toEqual([kind]);
  });

  it('draws spins as `samples` tiles, RBMs as receptive fields, tensors as a histogram of every value', async () => {
    const images = (await plot([spins], ['lattice'], { samples: 4 })).panels[0];
    expect(images.kind === 'images' && images.tiles.map((t) => t.label)).toEqual(['T = 2', 'T = 2', 'T = 3', 'T = 3']);
    expect(images.title).toBe('lattice');
    const fields = (await plot([rbm], ['RBM'], { units: 2 })).panels[0];
    expect(fields.kind === 'images' && fields.tiles.length).toBe(2);
    expect(fields.kind === 'images' && fields.caption).toMatch(/^2 of 3 hidden units .* shared scale ±/);
    const histogram = (await plot([tensor], ['weights'])).panels[0];
    expect(histogram.kind === 'histogram' && histogram.bins.reduce((s, b) => s + b.count, 0)).toBe(50);
    const spinHistogram = (await plot([spins], ['lattice'], { kind: 'histogram' })).panels[0];
    expect(spinHistogram.kind === 'histogram' && spinHistogram.bins.reduce((s, b) => s + b.count, 0)).toBe(96);
  });

  it('draws a table with x and y as curves, and passes a figure through', async () => {
    const spec = await plot([table], ['Observables'], { x: 'T', y: 'e' });
    const panel = xyPanel(spec);
    expect(panel.curves).toEqual([{ name: 'L = 16', x: [2, 3], y: [-1.7, -0.8], err: [0.01, 0.01], style: 'points' }]);
    expect([panel.x.label, panel.y.label]).toEqual(['T', 'e']);
    const figure: FigureValue = { type: 'figure', spec: spec as unknown as Record<string, unknown> };
    expect((await plot([figure], ['upstream plot'])).panels).toEqual(spec.panels);
  });
});

describe('overlays', () => {
  it('puts several inputs on one xy panel, named by their upstream labels', async () => {
    const spec = await plot(
      [series('e', [1, 2, 3], [0.1, 0.1, 0.1]), series('e', [1.5, 2.5, 3.5], [0.1, 0.1, 0.1]), spins],
      ['MC, L = 16', 'MC, L = 32', 'lattice'],
    );
    expect(spec.panels.map((p) => p.kind)).toEqual(['xy', 'images']);
    expect(spec.columns).toBe(2);
    const panel = xyPanel(spec);
    expect(panel.curves.map((c) => [c.name, c.style])).toEqual([
      ['MC, L = 16: e', 'points'],
      ['MC, L = 32: e', 'points'],
    ]);
    const { doc } = svgOf(spec);
    expect(texts(doc)).toEqual(expect.arrayContaining(['MC, L = 16: e', 'MC, L = 32: e', 'lattice']));
    expect(doc.querySelectorAll('g.panel-xy g[aria-label="dot"] circle')).toHaveLength(6);
  });

  it('labels inputs it has no source for by position', async () => {
    const spec = await plot([series('e', [1, 2, 3]), series('m', [3, 2, 1])], []);
    expect(xyPanel(spec).curves.map((c) => c.name)).toEqual(['input 1: e', 'input 2: m']);
  });

  describe("the example's energy plot: an Observables table and the exact series, y = 'e'", () => {
    let graph: GraphDocument;
    let exact: SeriesValue;
    let observables: TableValue;
    let spec: FigureSpec;
    const offsets = [0.5, -1, 8]; // in error bars; the last is far off

    beforeAll(async () => {
      const parsed = parseGraph(readFileSync('graphs/ising-basics.blockspin.json', 'utf8'), appRegistry());
      if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join('\n'));
      graph = parsed.graph;
      const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
      const exactOut = await exactNode.run({}, exactNode.params.parse(node('exact').params), context([]));
      exact = exactOut.series as SeriesValue;
      // Observables-like rows at the lattice's temperatures, close to the exact energy but for the last.
      const interpolate = (T: number) => {
        const i = exact.x.findIndex((x, k) => x <= T && T <= exact.x[k + 1]);
        const [x0, x1] = [exact.x[i], exact.x[i + 1]];
        const [y0, y1] = [exact.curves[0].y[i], exact.curves[0].y[i + 1]];
        return y0 + ((y1 - y0) * (T - x0)) / (x1 - x0);
      };
      const Ts = node('lattice').params.T as number[];
      observables = {
        type: 'table',
        columns: ['T', 'L', 'n', 'e', 'e_err', 'm', 'm_err', 'absm', 'absm_err', 'm2', 'm4', 'chi', 'c', 'binder'],
        rows: Ts.map((T, k) => [
          T,
          32,
          2000,
          interpolate(T) + offsets[k] * 0.004,
          0.004,
          0,
          0.01,
          0.5,
          0.01,
          0.3,
          0.1,
          10,
          1,
          0.6,
        ]),
      };
      const plotNodeInGraph = node('energy-plot');
      const labels = graph.edges.filter((e) => e.target === 'energy-plot').map((e) => node(e.source).label ?? e.source);
      expect(labels).toEqual(['32 × 32', 'Kaufman, L = 32']);
      spec = await plot([observables, exact], labels, plotNodeInGraph.params);
    });

    it('keeps only the e reference curve, drawn as a line, beside the measured points', () => {
      expect(exact.curves.map((c) => c.name)).toEqual(['e (exact, L = 32)', 'c (exact, L = 32)']);
      expect(spec.title).toBe('Energy per spin, 32 × 32');
      expect(spec.panels).toHaveLength(1);
      const panel = xyPanel(spec);
      expect([panel.x.label, panel.y.label]).toEqual(['T', 'e']);
      expect(panel.curves.map((c) => [c.name, c.style])).toEqual([
        ['32 × 32, L = 32', 'points'],
        ['Kaufman, L = 32: e (exact, L = 32)', 'line'],
      ]);
      expect(panel.curves[1].y).toBe(exact.curves[0].y);
    });

    it('marks the measurement that is far from the exact curve', () => {
      expect(xyPanel(spec).curves[0].outliers).toEqual([2]);
    });

    it('renders the legend with both names and no specific-heat curve', () => {
      const { doc } = svgOf(spec);
      const t = texts(doc);
      expect(t).toEqual(
        expect.arrayContaining(['Energy per spin, 32 × 32', '32 × 32, L = 32', 'Kaufman, L = 32: e (exact, L = 32)']),
      );
      expect(t.some((s) => s.includes('c (exact'))).toBe(false);
      expect(doc.querySelectorAll('g[aria-label="line"] path')).toHaveLength(1);
    });
  });
});

describe('errors', () => {
  it.each<[string, Value, RegExp]>([
    ['spins', series('e', [1, 2, 3]), /^kind 'spins' cannot draw a series \(from 'src'\); it draws spins$/],
    ['weights', spins, /^kind 'weights' cannot draw a spins \(from 'src'\); it draws rbm$/],
    ['histogram', rbm, /^kind 'histogram' cannot draw a rbm \(from 'src'\); it draws tensor or spins$/],
    ['table', series('e', [1, 2, 3]), /^kind 'table' cannot draw a series \(from 'src'\); it draws table$/],
    ['line', spins, /^kind 'line' cannot draw a spins \(from 'src'\); it draws series or table$/],
  ])('kind %s refuses what it cannot draw', async (kind, value, message) => {
    await expect(plot([value], ['src'], { kind })).rejects.toThrow(message);
  });

  it('refuses an empty table, naming its source', async () => {
    const empty: TableValue = { type: 'table', columns: ['T', 'e'], rows: [] };
    await expect(plot([empty], ['Observables'])).rejects.toThrow("table from 'Observables' has no rows");
    await expect(plot([empty], ['Observables'], { x: 'T', y: 'e' })).rejects.toThrow('has no rows');
  });

  it('refuses nothing connected, and a table without the asked column', async () => {
    await expect(plot([], [])).rejects.toThrow('values: nothing is connected');
    await expect(plot([table], ['Observables'], { x: 'T', y: 'chi' })).rejects.toThrow(
      "table has no column 'chi'; its columns are T, L, e, e_err",
    );
  });

  it('refuses a series whose lengths do not match, naming the series', async () => {
    await expect(plot([series('chi', [1, 2])], ['Observables'])).rejects.toThrow(
      "series 'chi': 2 y values for 3 x values",
    );
    await expect(plot([series('chi', [1, 2, 3], [0.1])], ['Observables'])).rejects.toThrow(
      "series 'chi': 1 error bars for 3 points",
    );
  });

  it('draws a series with NaN values, skipping those points', async () => {
    const gappy: SeriesValue = {
      type: 'series',
      x: [1, 2, 3, 4, 5],
      xLabel: 'r',
      curves: [{ name: 'C(r)', y: [1, NaN, 0.25, NaN, 0.0625], err: [0.01, NaN, 0.01, 0.01, NaN] }],
    };
    const spec = await plot([gappy], ['correlation'], { logY: true });
    const { doc } = svgOf(spec);
    expect(doc.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(3);
    expect(doc.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(2);
    expect(texts(doc)).toContain('C(r)');
  });
});

describe('a large spins input', () => {
  it('draws 10,000 samples of 64 x 64 as `samples` tiles, spec and SVG', async () => {
    const [n, L, perT] = [10_000, 64, 2_500];
    const data = new Int8Array(n * L * L);
    for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i, 0x9e3779b1) >>> 31) & 1 ? 1 : -1;
    const T = Float64Array.from({ length: n }, (_, i) => 1.5 + Math.floor(i / perT) * 0.5);
    const big: SpinsValue = { type: 'spins', shape: [n, L, L], data, T, meta: {} };
    const spec = await plot([big], ['lattice 64 × 64'], { samples: 16 });
    const panel = spec.panels[0];
    if (panel.kind !== 'images') throw new Error('expected images');
    expect(panel.tiles).toHaveLength(16);
    expect(panel.title).toBe('lattice 64 × 64');
    expect(new Set(panel.tiles.map((t) => t.label))).toEqual(new Set(['T = 1.5', 'T = 2', 'T = 2.5', 'T = 3']));
    const { doc } = svgOf(spec);
    expect(doc.querySelectorAll('image')).toHaveLength(16);
  });
});

describe('the CLI path: summarizeValue', () => {
  it('writes a figure as an .svg and a .png that carries the graph file', async () => {
    const graphText = readFileSync('graphs/ising-basics.blockspin.json', 'utf8');
    const spec = await plot([series('e', [1, 2, 3], [0.1, 0.1, 0.1])], ['Observables'], { title: 'e(T)' });
    const figure: FigureValue = { type: 'figure', spec: spec as unknown as Record<string, unknown> };
    const { summary, files } = summarizeValue(figure, 'energy-plot.figure', { graphText });
    expect(summary).toEqual({
      type: 'figure',
      file: 'energy-plot.figure.svg',
      png: 'energy-plot.figure.png',
      panels: 1,
    });
    expect(files.map((f) => f.name)).toEqual(['energy-plot.figure.svg', 'energy-plot.figure.png']);
    const svg = new TextDecoder().decode(files[0].bytes);
    expect(svg).toBe(renderSvg(spec, nodeDocument()));
    expect(svg).toContain('>e(T)</text>');
    const png = decode(files[1].bytes);
    const root = svgOf(spec).doc.documentElement;
    expect([png.width, png.height]).toEqual([
      2 * Number(root.getAttribute('width')),
      2 * Number(root.getAttribute('height')),
    ]);
    expect(graphFromPng(files[1].bytes)).toBe(graphText);
    // Without a graph, the PNG carries none.
    expect(graphFromPng(summarizeValue(figure, 'f').files[1].bytes)).toBeNull();
  });

  it('writes a table as a .csv', () => {
    const { summary, files } = summarizeValue(table, 'observables.table');
    expect(summary).toEqual({ type: 'table', columns: table.columns, rows: table.rows, file: 'observables.table.csv' });
    expect(files).toHaveLength(1);
    expect(files[0].name).toBe('observables.table.csv');
    expect(new TextDecoder().decode(files[0].bytes)).toBe(tableToCsv(table));
    expect(new TextDecoder().decode(files[0].bytes)).toBe('T,L,e,e_err\n2,16,-1.7,0.01\n3,16,-0.8,0.01\n');
  });
});
