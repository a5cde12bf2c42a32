/** plot — Plot: a figure of whatever is wired in; several inputs overlay on the same axes. */
import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import type { FigureValue, Value } from '../../src/graph/values';
import {
  histogramPanel,
  markOutliers,
  seriesCurves,
  spinsPanel,
  tableCurves,
  tablePanel,
  weightsPanel,
} from '../../src/figures/build';
import { withSvg } from '../../src/figures/document';
import { figureSpec, type Curve, type Panel } from '../../src/figures/spec';

export const plotParams = z.strictObject({
  kind: z.enum(['auto', 'spins', 'line', 'points', 'histogram', 'weights', 'table']).default('auto'),
  x: z.string().optional(),
  y: z.string().optional(),
  samples: z.number().int().min(1).max(256).default(16),
  units: z.number().int().min(1).max(400).default(64),
  title: z.string().optional(),
  logY: z.boolean().default(false),
  /** Vertical reference lines at these x values, e.g. [2.269185] for Tc. */
  markX: z.array(z.number()).max(20).default([]),
});

type PlotParams = z.output<typeof plotParams>;

const ACCEPTS: Record<Exclude<PlotParams['kind'], 'auto'>, Value['type'][]> = {
  spins: ['spins'],
  weights: ['rbm'],
  histogram: ['tensor', 'spins'],
  line: ['series', 'table'],
  points: ['series', 'table'],
  table: ['table'],
};

export function buildPlot(values: Value[], labels: string[], p: PlotParams): FigureValue {
  if (values.length === 0) throw new Error('values: nothing is connected');
  const panels: Panel[] = [];
  const curves: Curve[] = [];
  let xLabel = p.x;
  let yLabel = p.y;
  values.forEach((value, i) => {
    const label = labels[i] ?? `input ${i + 1}`;
    if (p.kind !== 'auto' && !ACCEPTS[p.kind].includes(value.type)) {
      throw new Error(
        `kind '${p.kind}' cannot draw a ${value.type} (from '${label}'); it draws ${ACCEPTS[p.kind].join(' or ')}`,
      );
    }
    const style = p.kind === 'line' ? 'line+points' : 'points';
    switch (value.type) {
      case 'spins':
        panels.push(
          p.kind === 'histogram'
            ? histogramPanel(
                { type: 'tensor', shape: value.shape, data: Float32Array.from(value.data), meta: {} },
                label,
              )
            : spinsPanel(value, p.samples, label),
        );
        break;
      case 'rbm':
        panels.push(weightsPanel(value, p.units, values.length > 1 ? label : undefined));
        break;
      case 'tensor':
        panels.push(histogramPanel(value, label));
        break;
      case 'figure':
        panels.push(...((value.spec as { panels?: Panel[] }).panels ?? []));
        break;
      case 'series':
        if (value.meta?.panels === 'separate' && values.length === 1) {
          for (const curve of seriesCurves(value, '', 'line+points')) {
            panels.push({
              kind: 'xy',
              title: curve.name,
              x: { label: value.xLabel },
              y: { label: curve.name, log: p.logY },
              curves: [curve],
            });
          }
          break;
        }
        xLabel ??= value.xLabel;
        yLabel ??= value.yLabel;
        curves.push(
          ...seriesCurves(
            value,
            values.length > 1 ? label : '',
            value.curves.some((c) => c.err) ? style : 'line+points',
            p.y,
          ),
        );
        break;
      case 'table':
        if (value.rows.length === 0) throw new Error(`table from '${label}' has no rows`);
        if (p.kind === 'table' || !p.x || !p.y) panels.push(tablePanel(value, label));
        else curves.push(...tableCurves(value, p.x, p.y, values.length > 1 ? label : '', style));
        break;
    }
  });
  if (curves.length) {
    panels.unshift({
      kind: 'xy',
      title: p.title && panels.length === 0 ? undefined : yLabel,
      x: { label: xLabel ?? 'x' },
      y: { label: yLabel ?? 'y', log: p.logY },
      curves: markOutliers(curves),
      ...(p.markX.length ? { markers: p.markX.map((x) => ({ x, label: `${Number(x.toPrecision(6))}` })) } : {}),
    });
  }
  return { type: 'figure', spec: { ...figureSpec(panels, { title: p.title, columns: Math.min(panels.length, 2) }) } };
}

export const plotNode = defineNode({
  type: 'plot',
  version: 1,
  title: 'Plot',
  category: 'Figures',
  doc: 'Draws what is wired in: spins as images, RBM weights as receptive fields, series and tables as curves (overlaid).',
  inputs: {
    values: { type: 'any', many: true, doc: 'anything; several inputs share the axes, labelled by their nodes' },
  },
  outputs: { figure: { type: 'figure' } },
  params: plotParams,
  lane: 'figures',
  async run(inputs, p, ctx) {
    const labels = (ctx.sources.values ?? []).map((s) => s.label);
    return { figure: await withSvg(buildPlot(inputs.values as Value[], labels, p)) };
  },
});
