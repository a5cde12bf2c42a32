/**
 * `graph merge DIR --plot binder`: a figure of one column of the merged tables against another (T by
 * default), drawn as the Plot node draws a table: one curve per L when the table has an L column, or one
 * per value of `--by`. Written beside the merged CSV as `<node>.<port>.<y>.svg` and `.png`.
 */
import { buildPlot, plotParams } from '../../../nodes/plot/index';
import type { TableValue } from '../../graph/values';
import { encodeNamePart } from '../file-names';
import { summarizeValue, type OutputFile } from '../summary';
import type { MergedTable } from './merge';

export interface MergePlotOptions {
  y: string;
  x: string;
  by?: string;
}

function splitBy(table: TableValue, column: string): { tables: TableValue[]; labels: string[] } {
  const at = table.columns.indexOf(column);
  const groups = new Map<string, TableValue>();
  for (const row of table.rows) {
    const key = `${column} = ${row[at]}`;
    if (!groups.has(key)) groups.set(key, { type: 'table', columns: table.columns, rows: [] });
    groups.get(key)!.rows.push(row);
  }
  return { tables: [...groups.values()], labels: [...groups.keys()] };
}

/** The figures of every merged table that has both columns; an error when none has them. */
export function mergedPlots(tables: readonly MergedTable[], options: MergePlotOptions): OutputFile[] {
  const files: OutputFile[] = [];
  const { x, y, by } = options;
  const usable = tables.filter((t) => t.table.columns.includes(x) && t.table.columns.includes(y));
  if (!usable.length) {
    const described = tables.map((t) => `${t.nodeId}.${t.port} (${t.table.columns.join(', ')})`).join('; ');
    throw new Error(
      `--plot ${y}: no merged table has the columns '${x}' and '${y}'; the tables are ${described || 'none'}`,
    );
  }
  for (const t of usable) {
    if (by && !t.table.columns.includes(by)) throw new Error(`--by ${by}: ${t.nodeId}.${t.port} has no such column`);
    const { tables: parts, labels } = by ? splitBy(t.table, by) : { tables: [t.table], labels: [t.nodeId] };
    const figure = buildPlot(
      parts,
      labels,
      plotParams.parse({
        kind: 'line',
        x,
        y,
        title: `${y} against ${x}, every task`,
      }),
    );
    files.push(...summarizeValue(figure, `${t.baseName}.${encodeNamePart(y, { reserved: false })}`).files);
  }
  return files;
}
