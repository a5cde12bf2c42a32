/** Linked axes: which panels share domains, and the union extent they share. */
import { describe, expect, it } from 'vitest';
import { linkAxes } from '../../src/figures/link-axes';
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

describe('linkAxes', () => {
  it('gives matching panels the union of their extents', () => {
    const a = figureSpec([xy([2, 2.2], [-1.7, -1.5])]);
    const b = figureSpec([xy([2.6, 3], [-1.2, -0.9])]);
    expect(linkAxes([a, b])).toEqual([{ 0: { x: [2, 3], y: [-1.7, -0.9] } }, { 0: { x: [2, 3], y: [-1.7, -0.9] } }]);
  });

  it('links panels across several figures, and all their curves', () => {
    const panel = xy([1, 2], [0, 1]);
    const a = figureSpec([{ ...panel, curves: [...panel.curves, { name: 'd', x: [0.5], y: [9], style: 'line' }] }]);
    const b = figureSpec([xy([3], [2])]);
    const c = figureSpec([xy([4], [-1])]);
    const [da, db, dc] = linkAxes([a, b, c]);
    for (const d of [da, db, dc]) expect(d[0]).toEqual({ x: [0.5, 4], y: [-1, 9] });
  });

  it('leaves alone panels whose labels, log flags or index differ, and figures with no match', () => {
    const base = figureSpec([xy([1, 2], [1, 2]), xy([1, 2], [1, 2], { x: { label: 'r' } })]);
    const otherX = figureSpec([xy([5, 6], [5, 6], { x: { label: 'L' } })]);
    const otherY = figureSpec([xy([5, 6], [5, 6], { y: { label: 'c' } })]);
    const logY = figureSpec([xy([5, 6], [5, 6], { y: { label: 'e', log: true } })]);
    // the same axes as base's second panel, but first: another index
    const moved = figureSpec([xy([5, 6], [5, 6], { x: { label: 'r' } })]);
    expect(linkAxes([base, otherX, otherY, logY, moved])).toEqual([{}, {}, {}, {}, {}]);
    expect(linkAxes([base])).toEqual([{}]);
    expect(linkAxes([])).toEqual([]);
  });

  it('links only the panels that match, by index', () => {
    const a = figureSpec([xy([1, 2], [1, 2]), table, xy([0, 1], [0, 1], { x: { label: 'r' } })]);
    const b = figureSpec([xy([3, 4], [3, 4]), table, xy([0, 1], [0, 1], { x: { label: 'k' } })]);
    expect(linkAxes([a, b])).toEqual([{ 0: { x: [1, 4], y: [1, 4] } }, { 0: { x: [1, 4], y: [1, 4] } }]);
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
  });
});
