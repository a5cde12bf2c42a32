/**
 * Output file names: one per (node, port, kind), distinct even ignoring case, on any file system; the
 * documented names for ordinary ids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeNamePart, outputBaseName } from '../../src/cli/file-names';
import { buildSummary, summarizeValue, type OutputFile } from '../../src/cli/summary';
import type { NodeOutput, NodeStatus } from '../../src/engine/status';
import type { RbmValue, Value } from '../../src/graph/values';
import { graph, node } from '../helpers/graphs';

const rbm = (below?: RbmValue): RbmValue => ({
  type: 'rbm',
  nv: 1,
  nh: 1,
  W: new Float32Array(1),
  vbias: new Float32Array(1),
  hbias: new Float32Array(1),
  visibleShape: [1],
  training: {},
  ...(below ? { below } : {}),
});

/** One value of each type that writes files (a series writes none). */
const VALUES: Value[] = [
  { type: 'table', columns: ['a'], rows: [[1]] },
  { type: 'spins', shape: [1, 1], data: new Int8Array([1]), T: new Float64Array([2]), meta: {} },
  { type: 'tensor', shape: [1], data: new Float32Array(1), meta: {} },
  rbm(rbm(rbm())),
  {
    type: 'figure',
    spec: { panels: [] },
    svg: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>',
  },
];

/** What the writers add to an output's `<node>.<port>` base: `.csv`, `.npy`, `.T.npy`, `.layer0.W.npy`, ... */
const SUFFIXES = [
  ...new Set(VALUES.flatMap((v) => summarizeValue(v, 'BASE').files.map((f) => f.name.slice('BASE'.length)))),
];

function caseVariants(text: string): string[] {
  if (!text) return [''];
  const rest = caseVariants(text.slice(1));
  const c = text[0];
  const cases = c.toLowerCase() === c.toUpperCase() ? [c] : [c.toLowerCase(), c.toUpperCase()];
  return cases.flatMap((first) => rest.map((r) => first + r));
}

/** Ids chosen to collide under the old naming, under case folding, or on Windows. */
const ADVERSARIAL_IDS = [
  // differ only in case
  ...caseVariants('ab'),
  ...caseVariants('id-1'),
  ...caseVariants('con'),
  // dots that mimic another node's port or kind
  'a',
  'b',
  'a.b',
  'b.c',
  'a.b.c',
  'x',
  'x.spins',
  'x.spins.T',
  'x.table',
  'x.model.layer0',
  'lattice',
  'lattice.spins',
  '.',
  '..',
  '...',
  '.a',
  'a.',
  // ids that look like this encoding's own escapes and tags
  'a~pb',
  'a~p',
  '~',
  '~~',
  '~e',
  'A~c1',
  'a~c1',
  'con~r',
  'x~n0',
  // Object's own property names
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  // Windows device names
  'nul',
  'NUL',
  'aux',
  'prn',
  'com1',
  'COM9',
  'lpt1',
  'lpt9',
  'con.txt',
  // 64 characters, the longest id the schema allows
  'x'.repeat(64),
  'X'.repeat(64),
  '.'.repeat(64),
  'aB'.repeat(32),
  'a.'.repeat(32),
  'Z.'.repeat(32),
  // ids the schema refuses, in case a file name is ever made from one: the old names merged these
  'a/b',
  'a_b',
  'a?b',
  'a b',
  'a\\b',
  'a:b',
  '\u001b[2J',
  'é',
  'e\u0301',
  'K',
  '\u212a', // the Kelvin sign, which macOS folds to 'k'
  'ß',
  'SS',
  'ss',
  '😀',
  '',
  '\u00e9'.repeat(200),
  'x'.repeat(300),
  'x'.repeat(301),
];

const ADVERSARIAL_PORTS = [
  'out',
  'spins',
  'T',
  'table',
  'model',
  'figure',
  'c',
  'b.c',
  'Out',
  'OUT',
  'spins.T',
  '__proto__',
];

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** Why a name could not be created on one of Linux, macOS and Windows, or null when it can. */
function unportable(name: string): string | null {
  if (!/^[A-Za-z0-9._~-]+$/.test(name)) return 'a character outside portable ASCII';
  if (Buffer.byteLength(name) > 255) return 'longer than 255 bytes';
  if (RESERVED.test(name.split('.')[0])) return 'a Windows device name';
  if (/^\.|[. ]$/.test(name)) return 'a leading dot, or a trailing dot or space';
  return null;
}

/** The first two names that are one file on a case-insensitive file system, or null. */
function sameIgnoringCase(names: readonly string[]): [string, string] | null {
  const seen = new Map<string, string>();
  for (const name of names) {
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) return [other, name];
    seen.set(name.toLowerCase(), name);
  }
  return null;
}

function expectSafeNames(names: readonly string[]) {
  expect(names.map((name) => [name, unportable(name)]).filter(([, why]) => why)).toEqual([]);
  expect(sameIgnoringCase(names)).toBeNull();
}

const status: NodeStatus = { state: 'done', ms: 1, cached: false } as NodeStatus;

/** Every file buildSummary writes when each of these nodes has each of these ports, with every kind of value. */
function filesOf(ids: string[], ports: string[]): { files: OutputFile[]; summaryFiles: string[] } {
  const files: OutputFile[] = [];
  const summaryFiles: string[] = [];
  // A port holds one value, so a tensor's `.npy` never meets a spins value's `.npy` of the same port.
  for (const value of VALUES.filter((v) => v.type !== 'tensor')) {
    const doc = graph(ids.map((id) => node(id, 'test.any')));
    const outputs = new Map<string, NodeOutput>(
      ids.map((id) => [
        id,
        { kind: 'value', key: id, final: true, outputs: Object.fromEntries(ports.map((port) => [port, value])) },
      ]),
    );
    const built = buildSummary(doc, new Map(ids.map((id) => [id, status])), outputs, null);
    files.push(...built.files);
    // every file is named in summary.json, beside the output it holds
    JSON.stringify(built.summary, (key, v: unknown) => {
      if (['file', 'png', 'temperaturesFile', 'W', 'npz'].includes(key) && typeof v === 'string') summaryFiles.push(v);
      return v;
    });
  }
  return { files, summaryFiles };
}

describe('output file names', () => {
  it('keep the documented names for ordinary ids', () => {
    expect(summarizeValue(VALUES[0], outputBaseName('observables', 'table', 0)).files.map((f) => f.name)).toEqual([
      'observables.table.csv',
    ]);
    expect(summarizeValue(VALUES[1], outputBaseName('lattice', 'spins', 0)).files.map((f) => f.name)).toEqual([
      'lattice.spins.npy',
      'lattice.spins.T.npy',
    ]);
    expect(summarizeValue(VALUES[3], outputBaseName('rbm1', 'model', 0)).files.map((f) => f.name)).toEqual([
      'rbm1.model.layer0.W.npy',
      'rbm1.model.layer1.W.npy',
      'rbm1.model.layer2.W.npy',
      'rbm1.model.npz',
    ]);
    expect(summarizeValue(VALUES[4], outputBaseName('energy-plot', 'figure', 0)).files.map((f) => f.name)).toEqual([
      'energy-plot.figure.svg',
      'energy-plot.figure.png',
    ]);
    for (const id of ['lattice-16', 'data_observables', 'rbm-rg', 'e1', '0', '-', '_'])
      expect(encodeNamePart(id)).toBe(id);
  });

  it('encode case, dots, escapes and device names readably', () => {
    expect(encodeNamePart('Lattice')).toBe('Lattice~c1');
    expect(encodeNamePart('rbmA')).toBe('rbmA~c8');
    expect(encodeNamePart('a.b')).toBe('a~pb');
    expect(encodeNamePart('con')).toBe('con~r');
    expect(encodeNamePart('CON')).toBe('CON~c7');
    expect(encodeNamePart('a/b')).toBe('a~u002fb');
    expect(encodeNamePart('')).toBe('~e');
  });

  it('differ ignoring case for adversarial ids and ports, and every one is named in summary.json', () => {
    const { files, summaryFiles } = filesOf(ADVERSARIAL_IDS, ADVERSARIAL_PORTS);
    const names = files.map((f) => f.name);
    expect(names).toHaveLength(ADVERSARIAL_IDS.length * ADVERSARIAL_PORTS.length * SUFFIXES.length);
    expectSafeNames(names);
    expect([...summaryFiles].sort()).toEqual([...names].sort());
  });

  it('differ ignoring case for every short id and port over the characters that matter', () => {
    // Exhaustive: every id of up to 3 characters from these, every port of up to 2 (about 200,000 names).
    const strings = (alphabet: string, max: number): string[] => {
      let level = [''];
      const all: string[] = [];
      for (let n = 1; n <= max; n++) {
        level = level.flatMap((s) => [...alphabet].map((c) => s + c));
        all.push(...level);
      }
      return all;
    };
    const ids = strings('aAcC.~p_1', 3);
    const ports = strings('aA.~T', 2);
    const names = ids.flatMap((id, index) =>
      ports.flatMap((port) => SUFFIXES.map((suffix) => outputBaseName(id, port, index) + suffix)),
    );
    expect(names).toHaveLength(ids.length * ports.length * SUFFIXES.length);
    expect(names.filter((name) => unportable(name))).toEqual([]);
    expect(sameIgnoringCase(names)).toBeNull();
  });

  it('differ ignoring case for ids and ports made of pieces that mimic each other', () => {
    const PIECES = [
      'a',
      'A',
      'b',
      '.',
      '~',
      '~p',
      '~c',
      '~c1',
      '~r',
      '~n0',
      '1',
      'con',
      'CON',
      'spins',
      'T',
      '.T',
      '_',
      '-',
    ];
    const made = (maxPieces: number, maxLength: number) =>
      fc
        .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: maxPieces })
        .map((pieces) => pieces.join('').slice(0, maxLength));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(made(12, 64), made(3, 12)), {
          minLength: 2,
          maxLength: 60,
          selector: ([i, p]) => `${i}\u0000${p}`,
        }),
        (pairs) => {
          const index = new Map(pairs.map(([i]) => [i, 0]));
          [...index.keys()].forEach((i, n) => index.set(i, n));
          const names = pairs.flatMap(([i, p]) => SUFFIXES.map((s) => outputBaseName(i, p, index.get(i)!) + s));
          return names.every((name) => unportable(name) === null) && sameIgnoringCase(names) === null;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('cut an id too long for a file name, and stay distinct by the node index', () => {
    const long = ['x'.repeat(300), 'x'.repeat(301), 'X'.repeat(300), '\u00e9'.repeat(200)];
    const names = long.map((id, i) => outputBaseName(id, 'out', i) + '.layer999.W.npy');
    expectSafeNames(names);
    expect(names[0]).toMatch(/^x+~n0\.out\.layer999\.W\.npy$/);
  });
});
