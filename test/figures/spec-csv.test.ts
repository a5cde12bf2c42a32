/** The numbers behind a figure as CSV, safe to open in a spreadsheet whatever the labels say. */
import { describe, expect, it } from 'vitest';
import { figureCsv } from '../../src/figures/spec-csv';
import { FIGURE_SPEC_VERSION, type FigureSpec } from '../../src/figures/spec';

const spec = (panels: FigureSpec['panels']): FigureSpec => ({ version: FIGURE_SPEC_VERSION, panels }) as FigureSpec;

describe('figureCsv', () => {
  it('writes every curve point with its panel and curve, numbers unquoted', () => {
    const csv = figureCsv(
      spec([
        {
          kind: 'xy',
          title: 'e(T)',
          x: { label: 'T' },
          y: { label: 'e' },
          curves: [{ name: 'L = 16', x: [2, 2.5], y: [-1.5, -1.25], err: [0.01, 0.02], style: 'points' }],
        },
      ]),
    );
    expect(csv).toBe('panel,curve,x,y,err\ne(T),L = 16,2,-1.5,0.01\ne(T),L = 16,2.5,-1.25,0.02\n');
  });

  it('writes curve names, panel titles and table cells made from labels as text, never as formulas', () => {
    const csv = figureCsv(
      spec([
        {
          kind: 'xy',
          title: '@SUM(A1)',
          x: { label: 'T' },
          y: { label: 'e' },
          curves: [{ name: '=HYPERLINK("http://x","click")', x: [1], y: [-1.5], style: 'points' }],
        },
        { kind: 'table', title: '+title', columns: ['=cmd', 'b'], rows: [[-1, '-x']] },
        { kind: 'histogram', title: '-h', x: { label: 'm' }, bins: [{ x0: -1, x1: 0, count: 3 }] },
      ]),
    );
    expect(csv.split('\n')).toEqual([
      'panel,curve,x,y,err',
      `'@SUM(A1),"'=HYPERLINK(""http://x"",""click"")",1,-1.5,`,
      "'+title,'=cmd=-1; b=-x,,,",
      "'-h,count,-0.5,3,",
      '',
    ]);
  });
});
