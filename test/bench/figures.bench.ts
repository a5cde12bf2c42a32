/** Figure building and rendering: a 16-sample 64x64 spins grid and a 1,000-point line, spec to SVG to PNG. */
import { spinsPanel } from '../../src/figures/build';
import { nodeDocument } from '../../src/figures/node-document';
import { svgToPng } from '../../src/figures/rasterize';
import { renderSvg } from '../../src/figures/render-svg';
import { figureSpec, type FigureSpec } from '../../src/figures/spec';
import type { SpinsValue } from '../../src/graph/values';
import { Rng } from '../../src/physics/rng';
import { median, timeRepeats, type BenchResult } from './measure';

const section = 'figures';

export async function figuresBench(): Promise<BenchResult[]> {
  const rng = new Rng(3);
  const n = 1000;
  const L = 64;
  const spins: SpinsValue = {
    type: 'spins',
    shape: [n, L, L],
    data: Int8Array.from({ length: n * L * L }, () => (rng.nextU32() & 1 ? 1 : -1)),
    T: new Float64Array(n).fill(2.269),
    meta: {},
  };
  const x = Array.from({ length: 1000 }, (_, i) => i / 100);
  const lineSpec: FigureSpec = figureSpec([
    {
      kind: 'xy',
      title: 'a line',
      x: { label: 'x' },
      y: { label: 'y' },
      curves: [{ name: 'sin', x, y: x.map(Math.sin), err: x.map(() => 0.01), style: 'line+points' }],
    },
  ]);
  const document = nodeDocument();
  const results: BenchResult[] = [];
  let gridSpec: FigureSpec | undefined;
  const build = await timeRepeats(() => {
    gridSpec = figureSpec([spinsPanel(spins, 16)]);
  }, 10);
  results.push({
    section,
    name: 'spins grid 16 x 64²: spec (PNG tiles)',
    value: median(build),
    unit: 'ms',
    note: 'from 1000 samples',
  });
  let gridSvg = '';
  const gridRender = await timeRepeats(() => {
    gridSvg = renderSvg(gridSpec!, document);
  }, 10);
  results.push({ section, name: 'spins grid 16 x 64²: SVG', value: median(gridRender), unit: 'ms' });
  const gridPng = await timeRepeats(() => svgToPng(gridSvg), 5);
  results.push({
    section,
    name: 'spins grid 16 x 64²: PNG',
    value: median(gridPng),
    unit: 'ms',
    note: 'resvg, scale 2',
  });
  let lineSvg = '';
  const lineRender = await timeRepeats(() => {
    lineSvg = renderSvg(lineSpec, document);
  }, 10);
  results.push({
    section,
    name: '1,000-point line with error bars: SVG',
    value: median(lineRender),
    unit: 'ms',
    note: 'Observable Plot',
  });
  const linePng = await timeRepeats(() => svgToPng(lineSvg), 5);
  results.push({ section, name: '1,000-point line: PNG', value: median(linePng), unit: 'ms', note: 'resvg, scale 2' });
  return results;
}
