/**
 * The CLI with hostile graph files: what it prints holds no terminal escapes, a node named after an Object
 * property is reported like any other, and output files never overwrite each other.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeValue } from '../../src/cli/summary';
import { cli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'blockspin-hostile-'));
function file(name: string, json: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const CSI = '\u009b31m';
const FAKE = `\n\u001b[32mALL GOOD\u001b[0m\n`;
const HOSTILE = `${CLEAR}${TITLE}${CSI}${FAKE}`;

/** No ESC, no BEL, no C1 control, no other C0 control but the newline ending each line. */
function expectInert(output: string) {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  for (const line of output.split('\n')) expect(line.trim()).not.toMatch(/^(\\x1b\[32m)?ALL GOOD/);
}

const position = { x: 0, y: 0 };
const typeVersion = 1;

describe('terminal escapes from a graph file', () => {
  it('validate and run print types, labels, titles and messages as visible text', () => {
    const path = file('escapes.blockspin.json', {
      format: 'blockspin.graph',
      version: 1,
      meta: { title: HOSTILE, description: HOSTILE },
      nodes: [
        // a placeholder keeps its params unchecked; labels, titles and descriptions are free text
        { id: 'ghost', type: 'future.ghost', typeVersion, position, label: HOSTILE, params: { [HOSTILE]: HOSTILE } },
        { id: 'exact', type: 'reference.exact', typeVersion, position, label: HOSTILE },
      ],
      edges: [],
    });
    const validate = cli('validate', path);
    expect(validate.code).toBe(0);
    expectInert(validate.stdout);
    expectInert(validate.stderr);
    const run = cli('run', path, '--workers', '1', '--out', join(dir, 'escapes'));
    expect(run.code).toBe(1);
    expectInert(run.stdout);
    expectInert(run.stderr);
    expect(run.stdout).toMatch(/│ ghost +│ future\.ghost +│ error/);
    // summary.json keeps the text as it was, written so that `cat summary.json` is inert too
    const json = readFileSync(join(dir, 'escapes', 'summary.json'), 'utf8');
    expectInert(json);
    const summary = JSON.parse(json);
    expect(summary.graph.title).toBe(HOSTILE);
    expect(summary.nodes.exact.label).toBe(HOSTILE);
  });

  it('a refused file prints the bad ids, params and places as visible text', () => {
    const badIds = file('bad-ids.blockspin.json', {
      format: 'blockspin.graph',
      version: 1,
      meta: { title: HOSTILE },
      nodes: [
        { id: HOSTILE, type: 'reference.exact', typeVersion, position },
        { id: HOSTILE, type: `x.${HOSTILE}`, typeVersion, position },
      ],
      edges: [{ id: HOSTILE, source: HOSTILE, sourcePort: HOSTILE, target: `x${CSI}`, targetPort: HOSTILE }],
    });
    const badParams = file('bad-params.blockspin.json', {
      format: 'blockspin.graph',
      version: 1,
      nodes: [
        { id: 'exact', type: 'reference.exact', typeVersion, position, params: { [HOSTILE]: 1, L: HOSTILE } },
        { id: 'other', type: 'reference.exact', typeVersion, position, label: 1 },
      ],
      edges: [{ id: 'e1', source: 'exact', sourcePort: HOSTILE, target: 'other', targetPort: CSI }],
    });
    for (const path of [badIds, badParams]) {
      for (const command of ['validate', 'run']) {
        const { code, stdout, stderr } = cli(command, path);
        expect(code).toBe(1);
        expectInert(stdout);
        expectInert(stderr);
        // the bad text is shown, as escapes
        expect(stderr).toMatch(/\\(x1b|u001b)\[2J/);
        expect(stderr).toContain('\\u009b31m');
      }
    }
  });

  it('--set names a hostile node id as visible text', () => {
    const path = file('set.blockspin.json', {
      format: 'blockspin.graph',
      version: 1,
      nodes: [{ id: 'exact', type: 'reference.exact', typeVersion, position }],
      edges: [],
    });
    const { code, stdout, stderr } = cli('validate', path, '--set', `${CSI}x.L=1`);
    expect(code).toBe(1);
    expectInert(stdout);
    expectInert(stderr);
    expect(stderr).toContain('\\u009b31mx');
  });
});

describe('a node named __proto__', () => {
  it('fails visibly: in the table, in summary.json and in the exit code', () => {
    const path = file('proto.blockspin.json', {
      format: 'blockspin.graph',
      version: 1,
      nodes: [
        { id: '__proto__', type: 'future.node', typeVersion, position },
        { id: 'constructor', type: 'reference.exact', typeVersion, position },
      ],
      edges: [],
    });
    const out = join(dir, 'proto');
    const { code, stdout, stderr } = cli('run', path, '--workers', '1', '--out', out);
    expect(code).toBe(1);
    expect(stdout).toMatch(/│ __proto__ +│ future\.node +│ error/);
    expect(stdout).toMatch(/│ constructor +│ reference\.exact +│ done/);
    expect(stderr).toContain('failed: __proto__');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(Object.keys(summary.nodes)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(summary.nodes, '__proto__')?.value).toMatchObject({
      type: 'future.node',
      status: 'error',
    });
    expect(summary.nodes.constructor.outputs.table.file).toBe('constructor.table.csv');
    expect(readdirSync(out).sort()).toEqual(['constructor.table.csv', 'summary.json']);
  });
});

describe('output files', () => {
  it('never overwrite each other: ids that differ in case or mimic a port each get their own file', () => {
    const ids = ['exact', 'Exact', 'EXACT', 'exact.table', 'con', 'a.b', 'a_b'];
    const path = file('names.blockspin.json', {
      format: 'blockspin.graph',
      version: 1,
      nodes: ids.map((id) => ({ id, type: 'reference.exact', typeVersion, position, params: { L: 'infinite' } })),
      edges: [],
    });
    const out = join(dir, 'names');
    const { code, stderr } = cli('run', path, '--workers', '1', '--out', out);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const named = ids.map((id) => summary.nodes[id].outputs.table.file as string);
    expect(named).toEqual([
      'exact.table.csv',
      'Exact~c1.table.csv',
      'EXACT~c1f.table.csv',
      'exact~ptable.table.csv',
      'con~r.table.csv',
      'a~pb.table.csv',
      'a_b.table.csv',
    ]);
    expect(new Set(named.map((name) => name.toLowerCase())).size).toBe(ids.length);
    expect(readdirSync(out).sort()).toEqual([...named, 'summary.json'].sort());
  });
});

describe('the CSV files the CLI writes', () => {
  it('write text that a spreadsheet would run as a formula as text, and numbers as numbers', () => {
    const table = { type: 'table' as const, columns: ['=curve', 'e'], rows: [['@SUM(A1)', -1.5]] };
    const { files } = summarizeValue(table, 'compare.table');
    expect(new TextDecoder().decode(files[0].bytes)).toBe("'=curve,e\n'@SUM(A1),-1.5\n");
  });
});
