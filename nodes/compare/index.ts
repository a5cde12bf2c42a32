/** compare — Compare: two branches measured the same way, side by side. */
import { z } from 'zod';
import { perSampleSeries } from '../../src/graph/budget';
import { defineNode, type RunContext } from '../../src/graph/node-definition';
import type { FigureValue, SeriesValue, SpinsValue, TableValue } from '../../src/graph/values';
import { spinsPanel } from '../../src/figures/build';
import { withSvg } from '../../src/figures/document';
import { figureSpec, type Curve, type Panel } from '../../src/figures/spec';
import { compareSteps } from '../../src/physics/compare';
import { runStepwise } from '../shared/run-stepwise';

export const compareParams = z.strictObject({
  /** Sample images per side. */
  samples: z.number().int().min(1).max(64).default(8),
  /** Names of the two sides; default: the labels of the upstream nodes. */
  labels: z.tuple([z.string().min(1), z.string().min(1)]).optional(),
});

export type CompareParams = z.output<typeof compareParams>;

/**
 * The labels of the two sides: the params' when given; otherwise the upstream node labels ('a' and
 * 'b' where there is none), with ' (a)' and ' (b)' appended when both upstream labels are the same
 * (two Lattice Generators, say), so the legend and the table tell them apart.
 */
export function compareLabels(params: CompareParams, sources: RunContext['sources']): [string, string] {
  if (params.labels) return [params.labels[0], params.labels[1]];
  const a = sources.a?.[0]?.label || 'a';
  const b = sources.b?.[0]?.label || 'b';
  return a === b ? [`${a} (a)`, `${b} (b)`] : [a, b];
}

function correlationCurves(series: SeriesValue, label: string): Curve[] {
  return series.curves.map((c) => ({
    name: `${label}: ${c.name}`,
    x: series.x,
    y: c.y,
    ...(c.err ? { err: c.err } : {}),
    style: 'points' as const,
  }));
}

/** The figure: sample images of a and b side by side, then C(r) of both overlaid. */
export function compareFigure(
  a: SpinsValue,
  b: SpinsValue,
  correlation: { a: SeriesValue; b: SeriesValue },
  labels: [string, string],
  samples: number,
): FigureValue {
  const panels: Panel[] = [
    spinsPanel(a, samples, labels[0]),
    spinsPanel(b, samples, labels[1]),
    {
      kind: 'xy',
      title: 'C(r)',
      x: { label: 'r' },
      y: { label: 'C(r)' },
      curves: [...correlationCurves(correlation.a, labels[0]), ...correlationCurves(correlation.b, labels[1])],
    },
  ];
  return { type: 'figure', spec: { ...figureSpec(panels, { title: `${labels[0]} vs ${labels[1]}`, columns: 2 }) } };
}

export const compareNode = defineNode({
  type: 'compare',
  version: 1,
  title: 'Compare',
  category: 'Figures',
  doc: 'Two branches measured the same way: the Observables quantities of both and their difference in standard errors, sample images side by side and C(r) overlaid.',
  inputs: {
    a: { type: 'spins', doc: 'the first branch (e.g. block spins)' },
    b: {
      type: 'spins',
      doc: 'the second branch (e.g. RBM samples, or hidden spins at positions); may have another lattice size',
    },
  },
  outputs: {
    table: {
      type: 'table',
      doc: 'Per paired temperature and quantity (e, m, absm, m2, m4, chi, c, binder, xi in units of each side’s spacing): T_a, T_b, quantity, a, a_err, b, b_err, difference (a - b), sigmas',
    },
    figure: { type: 'figure', doc: 'Sample images of a and b side by side, and C(r) of both overlaid' },
  },
  params: compareParams,
  heavy: true,
  resources: (_p, inputs) => ({ working: perSampleSeries(inputs.a) + perSampleSeries(inputs.b) }),
  async run(inputs, params, ctx): Promise<{ table: TableValue; figure: FigureValue }> {
    const labels = compareLabels(params, ctx.sources);
    const result = await runStepwise(compareSteps(inputs.a, inputs.b, labels), ctx);
    const figure = compareFigure(
      inputs.a as SpinsValue,
      inputs.b as SpinsValue,
      result.correlation,
      labels,
      params.samples,
    );
    return { table: result.table, figure: await withSvg(figure) };
  },
});
