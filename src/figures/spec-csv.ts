/**
 * The numbers behind a figure as CSV: every curve point (panel, curve, x, y, err) and every table row.
 * Titles and curve names come from labels in the graph file; tableToCsv writes any that could start a
 * spreadsheet formula as text.
 */
import { tableToCsv } from './csv';
import type { FigureSpec } from './spec';

export function figureCsv(spec: FigureSpec): string {
  const rows: (string | number | null)[][] = [];
  spec.panels.forEach((panel, p) => {
    const title = panel.title ?? `panel ${p + 1}`;
    if (panel.kind === 'xy') {
      for (const curve of panel.curves) {
        curve.x.forEach((x, i) => rows.push([title, curve.name, x, curve.y[i], curve.err?.[i] ?? null]));
      }
    } else if (panel.kind === 'histogram') {
      for (const bin of panel.bins) rows.push([title, 'count', (bin.x0 + bin.x1) / 2, bin.count, null]);
    } else if (panel.kind === 'table') {
      for (const row of panel.rows)
        rows.push([title, panel.columns.map((c, i) => `${c}=${row[i]}`).join('; '), null, null, null]);
    }
  });
  return tableToCsv({ type: 'table', columns: ['panel', 'curve', 'x', 'y', 'err'], rows });
}
