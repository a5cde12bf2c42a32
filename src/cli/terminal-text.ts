/**
 * Text from a graph file (ids, types, labels, titles, messages that quote them) made safe to print on a
 * terminal. A terminal acts on control characters: ESC and the C1 CSI (U+009B) start sequences that clear
 * the screen, move the cursor, retitle the window or recolour what follows, BEL ends an OSC sequence, and a
 * newline or carriage return can forge a line such as "ALL GOOD". So every C0 control (newline and tab
 * included: each field is printed on one line), DEL and every C1 control is written as visible text, as a
 * JavaScript string escape (`\x1b`, `\n`, `\u009b`). So are the bidirectional embedding, override and
 * isolate controls, which make a line read differently from what it holds (CVE-2021-42574, "Trojan Source"),
 * and the Unicode line and paragraph separators.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED = new Map([
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

function escape(c: string): string {
  const named = NAMED.get(c);
  if (named) return named;
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every character a terminal would act on written as a visible escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escape);
}
