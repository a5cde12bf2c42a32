/** printable(): every string from a graph file is made inert before the CLI prints it. */
import { describe, expect, it } from 'vitest';
import { printable } from '../../src/cli/terminal-text';

/** C0 controls, DEL and C1 controls: what a terminal may act on. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('printable', () => {
  it('leaves ordinary text alone, Unicode included', () => {
    for (const text of [
      'lattice',
      'T = Tc',
      'Block-Spin RG',
      'χ(T) ± σ, L = 32',
      'e_err',
      'C:\\out\\x',
      '日本語',
      '',
    ]) {
      expect(printable(text)).toBe(text);
    }
  });

  it('writes ESC, BEL, CSI and OSC sequences as visible text', () => {
    expect(printable('\u001b[2J')).toBe('\\x1b[2J');
    expect(printable('\u001b]0;pwned\u0007')).toBe('\\x1b]0;pwned\\x07');
    expect(printable('\u009b31m')).toBe('\\u009b31m');
    expect(printable('\u001b')).toBe('\\x1b');
  });

  it('keeps a field on one line: newlines, carriage returns and tabs are escaped too', () => {
    expect(printable('ok\nALL GOOD\r\tdone')).toBe('ok\\nALL GOOD\\r\\tdone');
  });

  it('escapes every C0 control, DEL and every C1 control, and nothing printable', () => {
    for (let code = 0; code < 0x3000; code++) {
      const c = String.fromCharCode(code);
      const out = printable(`a${c}b`);
      expect(RAW_CONTROL.test(out)).toBe(false);
      if (RAW_CONTROL.test(c)) expect(out).not.toBe(`a${c}b`);
    }
    expect(printable('\u007f')).toBe('\\x7f');
    expect(printable('\u0080\u009f')).toBe('\\u0080\\u009f');
  });

  it('escapes the bidirectional overrides that make a line read differently from what it holds', () => {
    expect(printable('abc\u202edef\u2066')).toBe('abc\\u202edef\\u2066');
  });
});
