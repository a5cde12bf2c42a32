/**
 * The names of the files `graph run --out` writes: `<node>.<port>.<kind>`, e.g. `lattice.spins.npy`.
 *
 * Two outputs must never share a file, on any file system: case-insensitive ones (macOS, Windows) treat
 * `A.out.npy` and `a.out.npy` as one file, and a node id holding a dot could mimic another node's port
 * (`a.b` + `c` against `a` + `b.c`). So each id and port is encoded, on its own, into a name that holds
 * no dot and whose lower-case form still tells the original apart (the encoding is injective even after
 * case folding), and the name joins them with dots. Ordinary ids (lower-case letters, digits, '-' and '_')
 * are their own encoding, so the common names stay as DESIGN.md and the README show them:
 *
 *   - a character outside [A-Za-z0-9_-] is escaped: '.' as `~p`, '~' as `~t`, any other as `~u` and four
 *     lower-case hex digits of its UTF-16 code unit (so a name is plain ASCII, and no file system's Unicode
 *     normalisation or case folding can merge two of them);
 *   - an upper-case letter stays as it is, and the id gets a tag `~c<hex>`, a bit mask of where its
 *     upper-case letters are (bit i: character i): `Lattice` -> `Lattice~c1`, `A` -> `A~c1`, `a` -> `a`;
 *   - an id that is a device name Windows reserves (con, nul, aux, prn, com0-9, lpt0-9: `con.out.npy`
 *     cannot be created there) gets the tag `~r`; an empty id is `~e`.
 *
 * Every '~' in an encoding starts one of the escapes or tags above, so an encoding can be read back, and a
 * node id, port and kind can be read back from a name: no two (node, port, kind) give names that are
 * equal ignoring case. An id whose encoding would make a name longer than file systems allow (255 bytes)
 * is cut, and `~n<index in the graph>` added instead: no encoding holds `~n`, and indices differ. Port
 * names come from node definitions, not from the file; they are encoded the same way.
 */

const PLAIN = /[a-z0-9_-]/;
const UPPER = /[A-Z]/;

const RESERVED = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  ...Array.from({ length: 10 }, (_, i) => `com${i}`),
  ...Array.from({ length: 10 }, (_, i) => `lpt${i}`),
]);

/** Longest `<node>.<port>` part of a name: what is left of 255 bytes for the longest kind, `.layer999.W.npy`. */
const MAX_BASE = 200;

function escapeChar(c: string): string {
  if (c === '.') return '~p';
  if (c === '~') return '~t';
  return `~u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** An id or port as a dot-free name that stays distinct from every other one when compared ignoring case. */
export function encodeNamePart(text: string, { reserved = true } = {}): string {
  if (text === '') return '~e';
  let out = '';
  let mask = 0n;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (PLAIN.test(c)) out += c;
    else if (UPPER.test(c)) {
      out += c;
      mask |= 1n << BigInt(i);
    } else out += escapeChar(c);
  }
  if (mask) out += `~c${mask.toString(16)}`;
  if (reserved && RESERVED.has(out)) out += '~r';
  return out;
}

/**
 * The `<node>.<port>` part of the names of one output's files; the writer adds the kind (`.npy`, `.T.npy`,
 * `.csv`, `.svg`, `.png`, `.layer<k>.W.npy`). `nodeIndex` (the node's place in the graph) is used only
 * for an id too long to be part of a name.
 */
export function outputBaseName(nodeId: string, port: string, nodeIndex: number): string {
  const portPart = encodeNamePart(port, { reserved: false });
  let nodePart = encodeNamePart(nodeId);
  if (nodePart.length + 1 + portPart.length > MAX_BASE) {
    nodePart = `${nodePart.slice(0, Math.max(0, MAX_BASE - portPart.length - 24))}~n${nodeIndex}`;
  }
  return `${nodePart}.${portPart}`;
}
