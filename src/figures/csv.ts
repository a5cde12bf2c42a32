/**
 * Tables as CSV (RFC 4180): a header row, numbers written in full precision, NaN as an empty field. Every
 * CSV Blockspin writes (the CLI's tables, a figure's download) goes through csvField.
 */
import type { TableValue } from '../graph/values';

/**
 * Text a spreadsheet would run as a formula when it opens the file (CSV injection; OWASP lists '=', '+',
 * '-', '@', tab and carriage return as the first character). Labels and curve names come from graph files,
 * which may come from anyone.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field: a number as itself (-1.5 stays a number), text that could start a formula with a leading `'`
 * (a spreadsheet then shows it as text), and quoted when it holds a comma, quote or line break.
 */
export function csvField(value: number | string | null): string {
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) return '';
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tableToCsv(table: TableValue): string {
  return [table.columns, ...table.rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
