/**
 * Tables as CSV (RFC 4180): header, rows, quoting, empty fields for NaN and null, full precision, and text
 * that a spreadsheet would run as a formula written as text.
 */
import { describe, expect, it } from 'vitest';
import { csvField, tableToCsv } from '../../src/figures/csv';
import type { TableValue } from '../../src/graph/values';

const table = (columns: string[], rows: (number | string | null)[][]): TableValue => ({ type: 'table', columns, rows });

/** A small RFC 4180 reader, to check that the CSV reads back as the table. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  expect(quoted).toBe(false);
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('tableToCsv', () => {
  it('writes a header row and one line per row, ending in a newline', () => {
    const csv = tableToCsv(
      table(
        ['T', 'L', 'e'],
        [
          [2, 32, -1.5],
          [2.5, 16, -1.25],
        ],
      ),
    );
    expect(csv).toBe('T,L,e\n2,32,-1.5\n2.5,16,-1.25\n');
    expect(tableToCsv(table(['a', 'b'], []))).toBe('a,b\n');
  });

  it('quotes fields with commas, quotes and newlines, doubling the quotes', () => {
    const rows = [
      ['a,b', 'say "hi"', 'two\nlines', 'cr\rhere', 'plain'],
      ['"', ',', '', ' spaced ', "it's"],
    ];
    const csv = tableToCsv(table(['x, y', 'q"', 'n', 'r', 'p'], rows));
    expect(csv.split('\n')[0]).toBe('"x, y","q""",n,r,p');
    expect(csv).toContain('"a,b","say ""hi""","two\nlines","cr\rhere",plain\n');
    expect(csv).toContain('"""",",",, spaced ,it\'s\n');
    expect(readCsv(csv)).toEqual([['x, y', 'q"', 'n', 'r', 'p'], ...rows]);
  });

  it('writes NaN and null as empty fields, but keeps 0, infinities and strings', () => {
    const csv = tableToCsv(table(['a', 'b', 'c', 'd', 'e'], [[NaN, null, 0, Infinity, 'NaN']]));
    expect(csv).toBe('a,b,c,d,e\n,,0,Infinity,NaN\n');
  });

  it('writes numbers in full precision, so they read back exactly', () => {
    const numbers = [0.1 + 0.2, Math.PI, -1 / 3, 1e-300, 6.02214076e23, 2 ** 53 + 2, 5e-324, -2.269185314213022];
    const csv = tableToCsv(
      table(
        ['v'],
        numbers.map((v) => [v]),
      ),
    );
    const back = readCsv(csv)
      .slice(1)
      .map(([v]) => Number(v));
    expect(back).toEqual(numbers);
    expect(csv).toContain('0.30000000000000004\n');
    expect(csv).toContain('3.141592653589793\n');
  });

  it('writes text that a spreadsheet would read as a formula with a leading quote (CSV injection)', () => {
    const formulas = ['=HYPERLINK("http://x","y")', '+1+2', "-2+3+cmd|' /C calc'!A0", '@SUM(A1)', '\t=1', '\r=1'];
    const csv = tableToCsv(table(['=cmd', '@label', 'plain'], [[...formulas.slice(0, 2), 'ok'], formulas.slice(2, 5)]));
    const rows = readCsv(csv);
    expect(rows[0]).toEqual(["'=cmd", "'@label", 'plain']);
    expect(rows[1]).toEqual(['\'=HYPERLINK("http://x","y")', "'+1+2", 'ok']);
    expect(rows[2]).toEqual(["'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)", "'\t=1"]);
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    for (const text of formulas) expect(readCsv(`${csvField(text)}\n`)[0][0]).toBe(`'${text}`);
  });

  it('keeps numbers as numbers, negative ones included, and text that only contains a sign', () => {
    const csv = tableToCsv(
      table(
        ['x', 'y', 'name'],
        [
          [-1.5, -Infinity, 'T = -1'],
          [1e-300, -0, 'a-b=c'],
        ],
      ),
    );
    expect(csv).toBe('x,y,name\n-1.5,-Infinity,T = -1\n1e-300,0,a-b=c\n');
    expect(csvField(-2.269)).toBe('-2.269');
    expect(csvField('-2.269')).toBe("'-2.269");
  });
});
