/** What the CLI prints, with ids, types and messages that carry terminal escapes. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter } from '../../src/cli/progress';
import { errorText, failedText, problemsText, summaryTable, validText, warningsText } from '../../src/cli/report';
import type { Summary } from '../../src/cli/summary';

const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007\u009b31m\nALL GOOD\r\t\u007f';
/** The pieces of HOSTILE a terminal acts on. */
const RAW = ['\u001b', '\u0007', '\u009b', '\n', '\r', '\t', '\u007f'];

function expectNoneRaw(text: string, allowed: string[] = []) {
  const body = allowed.reduce((t, a) => t.split(a).join(''), text);
  for (const raw of RAW) expect(body.includes(raw), JSON.stringify(raw)).toBe(false);
  expect(text).toContain('\\x1b[2J\\x1b]0;pwned\\x07\\u009b31m\\nALL GOOD\\r\\t\\x7f');
}

function summary(): Summary {
  const nodes = Object.create(null) as Summary['nodes'];
  nodes[HOSTILE] = { type: HOSTILE, status: 'error', ms: null, cached: false, error: HOSTILE, outputs: {} };
  nodes.__proto__ = {
    type: 'x.y',
    status: 'waiting',
    ms: null,
    cached: false,
    error: null,
    message: HOSTILE,
    outputs: {},
  };
  return { format: 'blockspin.summary', version: 1, graph: { title: HOSTILE }, backend: null, nodes };
}

/** A stream that keeps what is written, a terminal or not. */
function sink(isTTY: boolean) {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, {
    isTTY,
    columns: 400,
    rows: 50,
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
  });
  return { stream, text: () => text };
}

describe('the CLI report', () => {
  it('prints the summary table with every field escaped, one row per node, __proto__ included', () => {
    const table = summaryTable(summary());
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(7); // top, head, rule, row, rule, row, bottom
    expect(table).toMatch(/│ __proto__ +│ x\.y +│ waiting/);
    expect(lines.filter((line) => line.includes('ALL GOOD'))).toHaveLength(2); // one per row, inside it
    expect(table).not.toContain('\u001b');
    expect(table).toContain('\\x1b[2J');
  });

  it('prints problems, warnings, the ok line, failures and fatal errors escaped', () => {
    for (const text of [
      problemsText(HOSTILE, [HOSTILE, HOSTILE]),
      warningsText([HOSTILE]),
      validText(HOSTILE, 1, 0),
      failedText([HOSTILE]),
      errorText(new Error(HOSTILE)),
      errorText(HOSTILE),
    ])
      expectNoneRaw(text, ['\n']);
    expect(problemsText('f', [HOSTILE, 'b']).split('\n')).toHaveLength(4);
  });

  it('prints progress lines escaped, off a terminal', () => {
    const { stream, text } = sink(false);
    const progress = createProgressReporter([HOSTILE, 'b'], stream);
    progress.update(HOSTILE, { state: 'running', progress: 0.5, message: HOSTILE });
    progress.update('b', { state: 'error', message: HOSTILE, origin: 'b' });
    progress.update('b', { state: 'waiting', message: HOSTILE });
    progress.stop();
    expectNoneRaw(text(), ['\n']);
    expect(text().split('\n')).toHaveLength(4);
  });

  it('prints progress bar labels escaped, on a terminal', () => {
    const { stream, text } = sink(true);
    const progress = createProgressReporter([HOSTILE, 'b'], stream);
    progress.update(HOSTILE, { state: 'running', progress: 0.5, message: HOSTILE });
    progress.update('b', { state: 'error', message: HOSTILE, origin: 'b' });
    progress.stop();
    // the bars move the cursor with escapes of their own; none of the file's gets through
    for (const raw of ['\u001b[2J', '\u001b]0;', '\u0007', '\u009b', 'ALL GOOD\r', '\u007f'])
      expect(text()).not.toContain(raw);
    expect(text()).toContain('\\x1b[2J');
  });
});
