/** Reading a headless run's summary in tests: a node's table as one object per row, keyed by column. */
import type { Summary } from '../../src/cli/summary';

type Table = { columns: string[]; rows: (number | string | null)[][] };

export function tableRows(summary: Summary, node: string, port = 'table'): Record<string, number | string | null>[] {
  const table = summary.nodes[node].outputs[port] as Table;
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])));
}
