/** Linked axes: which axes share domains (each axis on its own), the union extent they share, and the dock's words. */
import { describe, expect, it } from 'vitest';
import { axisLinks, describeLinks, figureLinks, linkAxes } from '../../src/figures/link-axes';
import { figureSpec, type Curve, type Panel } from '../../src/figures/spec';

function xy(
  x: number[],
  y: number[],
  options: Partial<Extract<Panel, { kind: 'xy' }>> = {},
  curve: Partial<Curve> = {},
) {
  return {
    kind: 'xy' as const,
    x: { label: 'T' },
    y: { label: 'e' },
    curves: [{ name: 'c', x, y, style: 'points' as const, ...curve }],
    ...options,
  };
}

const table: Panel = { kind: 'table', columns: ['a'], rows: [[1]] };

describe('linkAxes, each axis on its own', () => {
  it('both: panels with the same x and y labels share both ranges, the union of their extents', () => {
    const a = figureSpec([xy([2, 2.2], [-1.7, -1.5])]);
    const b = figureSpec([xy([2.6, 3], [-1.2, -0.9])]);
    expect(linkAxes([a, b])).toEqual([{ 0: { x: [2, 3], y: [-1.7, -0.9] } }, { 0: { x: [2, 3], y: [-1.7, -0.9] } }]);
  });

  it('x only: the same x label, other y labels', () => {
    const a = figureSpec([xy([2, 2.2], [-1.7, -1.5])]);
    const b = figureSpec([xy([2.6, 3], [0.1, 0.9], { y: { label: '|m|' } })]);
    expect(linkAxes([a, b])).toEqual([{ 0: { x: [2, 3] } }, { 0: { x: [2, 3] } }]);
  });

  it('y only: an RBM flow and a block-spin flow share the effective temperature, not the steps', () => {
    const axes = (x: string) => ({ x: { label: x }, y: { label: 'effective temperature' } });
    const rbm = figureSpec([xy([0, 1, 2, 3, 4], [2.1, 2.2, 2.3, 2.3, 2.3], axes('RBM iteration'))]);
    const blocks = figureSpec([xy([0, 1, 2], [2.5, 3.1, 4], axes('block-spin level'))]);
    expect(linkAxes([rbm, blocks])).toEqual([{ 0: { y: [2.1, 4] } }, { 0: { y: [2.1, 4] } }]);
  });

  it('none: no label in common, or another scale on the same label', () => {
    const a = figureSpec([xy([1, 2], [1, 2])]);
    const other = figureSpec([xy([5, 6], [5, 6], { x: { label: 'L' }, y: { label: 'c' } })]);
    const logs = figureSpec([xy([5, 6], [5, 6], { x: { label: 'T', log: true }, y: { label: 'e', log: true } })]);
    expect(linkAxes([a, other])).toEqual([{}, {}]);
    expect(linkAxes([a, logs])).toEqual([{}, {}]);
    expect(linkAxes([a])).toEqual([{}]);
    expect(linkAxes([])).toEqual([]);
  });

  it('links across several figures, and all their curves', () => {
    const panel = xy([1, 2], [0, 1]);
    const a = figureSpec([{ ...panel, curves: [...panel.curves, { name: 'd', x: [0.5], y: [9], style: 'line' }] }]);
    const b = figureSpec([xy([3], [2])]);
    const c = figureSpec([xy([4], [-1])]);
    const [da, db, dc] = linkAxes([a, b, c]);
    for (const d of [da, db, dc]) expect(d[0]).toEqual({ x: [0.5, 4], y: [-1, 9] });
  });

  it('links panels wherever they sit in their figures, and only xy panels', () => {
    const a = figureSpec([table, xy([1, 2], [1, 2], { x: { label: 'r' } })]);
    const b = figureSpec([xy([0, 4], [3, 4], { x: { label: 'r' }, y: { label: 'C' } }), table]);
    expect(linkAxes([a, b])).toEqual([{ 1: { x: [0, 4] } }, { 0: { x: [0, 4] } }]);
  });

  it('does not link panels within one figure, but links all of them to another figure', () => {
    // training curves drawn as separate panels: both over epochs, each its own y
    const training = (e: number[]) =>
      figureSpec([
        xy(e, [0.5, 0.3], { x: { label: 'epoch' }, y: { label: 'reconstruction error' } }),
        xy(e, [-60, -50], { x: { label: 'epoch' }, y: { label: 'pseudo log-likelihood' } }),
      ]);
    expect(linkAxes([training([1, 2])])).toEqual([{}]);
    const [a, b] = linkAxes([training([1, 2]), training([1, 8])]);
    expect(a).toEqual({ 0: { x: [1, 8], y: [0.3, 0.5] }, 1: { x: [1, 8], y: [-60, -50] } });
    expect(b).toEqual(a);
  });

  it('treats a missing log flag like false', () => {
    const a = figureSpec([xy([1], [1], { y: { label: 'e', log: false } })]);
    const b = figureSpec([xy([2], [2])]);
    expect(linkAxes([a, b])[0][0]).toEqual({ x: [1, 2], y: [1, 2] });
  });

  it('includes error bars on measured points, but not on line curves, and the marker lines', () => {
    const a = figureSpec([xy([1, 2], [0, 1], {}, { err: [0.5, 0.25] })]);
    const b = figureSpec([xy([3], [0.5], { markers: [{ x: 7, label: 'Tc' }] }, { err: [10], style: 'line' })]);
    expect(linkAxes([a, b])[1][0]).toEqual({ x: [1, 7], y: [-0.5, 1.25] });
  });

  it('on log axes, leaves out values that are not positive', () => {
    const log = { x: { label: 'r', log: true }, y: { label: 'C', log: true } };
    const a = figureSpec([xy([0, 1, 2], [1, 0.1, -0.01], log, { err: [0, 0.2, 0] })]);
    const b = figureSpec([xy([4, 8], [0.01, 0.001], log)]);
    // the error bar down from 0.1 reaches below zero: only its top end counts
    expect(linkAxes([a, b])[0][0]).toEqual({ x: [1, 8], y: [0.001, 1] });
  });

  it('skips points that are not finite', () => {
    const a = figureSpec([xy([1, NaN, 3], [1, 5, Infinity])]);
    const b = figureSpec([xy([2], [2])]);
    expect(linkAxes([a, b])[0][0]).toEqual({ x: [1, 2], y: [1, 2] });
  });

  it('gives no override when matching panels hold nothing to draw', () => {
    const a = figureSpec([{ kind: 'xy', x: { label: 'T' }, y: { label: 'e' }, curves: [] }]);
    const b = figureSpec([{ kind: 'xy', x: { label: 'T' }, y: { label: 'e' }, curves: [] }]);
    expect(linkAxes([a, b])).toEqual([{}, {}]);
    expect(axisLinks([a, b])).toEqual([]);
  });
});

describe('axisLinks', () => {
  it('lists each shared axis with its label, scale, domain and panels', () => {
    const a = figureSpec([xy([1, 2], [1, 2])]);
    const b = figureSpec([xy([3], [5], { y: { label: 'm' } })]);
    const c = figureSpec([table, xy([0], [-1], { x: { label: 'L' } })]);
    expect(axisLinks([a, b, c])).toEqual([
      {
        axis: 'x',
        label: 'T',
        log: false,
        domain: [1, 3],
        panels: [
          { figure: 0, panel: 0 },
          { figure: 1, panel: 0 },
        ],
      },
      {
        axis: 'y',
        label: 'e',
        log: false,
        domain: [-1, 2],
        panels: [
          { figure: 0, panel: 0 },
          { figure: 2, panel: 1 },
        ],
      },
    ]);
  });
});

describe("the dock's words for a figure's links", () => {
  const names = ['cold branch', 'hot branch', 'RBM flow'];
  const cold = figureSpec([xy([2, 2.2], [-1.7, -1.5])]);
  const hot = figureSpec([xy([2.8, 3.2], [-1.2, -0.9])]);
  const flow = figureSpec([xy([0, 1], [2, 3], { x: { label: 'RBM iteration' } })]);

  it('axes linked with the same figures read as one entry', () => {
    const links = axisLinks([cold, hot, flow]);
    expect(figureLinks(links, 0)).toEqual([
      { axis: 'x', label: 'T', log: false, others: [1] },
      { axis: 'y', label: 'e', log: false, others: [1, 2] },
    ]);
    expect(describeLinks(figureLinks(links, 0), names)).toEqual({
      text: 'x ↔ hot branch · y ↔ hot branch, RBM flow',
      title: 'x ‘T’ shared with hot branch\ny ‘e’ shared with hot branch, RBM flow',
    });
    expect(describeLinks(figureLinks(axisLinks([cold, hot]), 1), names)?.text).toBe('x, y ↔ cold branch');
    expect(describeLinks(figureLinks(links, 2), names)?.text).toBe('y ↔ cold branch, hot branch');
  });

  it('names the axis label when one axis has two links, and says nothing for a figure with none', () => {
    const both = figureSpec([xy([1], [1]), xy([1], [1], { x: { label: 'epoch' }, y: { label: 'loss', log: true } })]);
    const epochs = figureSpec([xy([5], [5], { x: { label: 'epoch' }, y: { label: 'loss', log: true } })]);
    const links = axisLinks([both, hot, epochs]);
    expect(describeLinks(figureLinks(links, 0), ['both', 'hot branch', 'epochs'])).toEqual({
      text: 'x ‘T’, y ‘e’ ↔ hot branch · x ‘epoch’, y ‘loss’ ↔ epochs',
      title: [
        'x ‘T’ shared with hot branch',
        'x ‘epoch’ shared with epochs',
        'y ‘e’ shared with hot branch',
        'y ‘loss’ (log) shared with epochs',
      ].join('\n'),
    });
    expect(describeLinks(figureLinks(axisLinks([cold, flow]), 1), names)?.text).toBe('y ↔ cold branch');
    expect(describeLinks(figureLinks(axisLinks([cold, figureSpec([table])]), 0), names)).toBeUndefined();
  });
});
