/**
 * What `graph validate` and `graph run` print, as text. Every string that comes from a graph file (ids,
 * types, messages that quote them) goes through printable() here, so no file can drive the terminal.
 */
import Table from 'cli-table3';
import { printable } from './terminal-text';
import type { Summary } from './summary';

/** Longest note in the table, in characters (code points, so no surrogate pair is cut). */
const NOTE_WIDTH = 60;

function clip(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length > width ? `${chars.slice(0, width - 3).join('')}...` : text;
}

/** `FILE: N problems` and one line per problem. */
export function problemsText(file: string, errors: readonly string[]): string {
  const head = `${printable(file)}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`;
  return head + errors.map((error) => `  - ${printable(error)}\n`).join('');
}

/** One line per warning of a file that loads. */
export function warningsText(warnings: readonly string[]): string {
  return warnings.map((warning) => `warning: ${printable(warning)}\n`).join('');
}

export function validText(file: string, nodes: number, edges: number): string {
  return `${printable(file)}: ok (${nodes} nodes, ${edges} edges)\n`;
}

/** The table of every node after a run. `color` styles the borders and head, for a terminal only. */
export function summaryTable(summary: Summary, { color = false } = {}): string {
  const table = new Table({
    head: ['node', 'type', 'status', 'ms', 'note'],
    ...(color ? {} : { style: { head: [], border: [] } }),
  });
  for (const [id, node] of Object.entries(summary.nodes)) {
    const waited = node.waitedMs ? `waited ${node.waitedMs} ms` : '';
    const note =
      node.error ?? node.message ?? (node.warning ? `warning: ${node.warning}` : node.cached ? 'cached' : waited);
    table.push([printable(id), printable(node.type), node.status, node.ms ?? '', clip(printable(note), NOTE_WIDTH)]);
  }
  return `${table.toString()}\n`;
}

export function failedText(ids: readonly string[]): string {
  return `failed: ${ids.map(printable).join(', ')}\n`;
}

/** Any error that ends the command, on one line. */
export function errorText(error: unknown): string {
  return `${printable(error instanceof Error ? error.message : String(error))}\n`;
}
