import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'blockspin-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('blockspin CLI', () => {
  it('validate lists every problem with its place and exits non-zero', () => {
    const path = file(
      'bad.blockspin.json',
      JSON.stringify({
        format: 'blockspin.graph',
        version: 1,
        nodes: [
          { id: 'a', type: 'x.y', position: { x: 0, y: 0 } },
          { id: 'a', type: 'x.y', position: { x: 0, y: 0 } },
        ],
        edges: [{ id: 'e', source: 'a', sourcePort: 'out', target: 'zz', targetPort: 'in' }],
      }),
    );
    const { code, stderr } = cli('validate', path);
    expect(code).toBe(1);
    expect(stderr).toContain("nodes[1].id (node 'a'): duplicate node id 'a'");
    expect(stderr).toContain("edges[0] (edge 'e'): target node 'zz' does not exist");
  });

  it('validate refuses truncated JSON with its line and column', () => {
    const { code, stderr } = cli(
      'validate',
      file('cut.blockspin.json', '{\n  "format": "blockspin.graph",\n  "nodes": ['),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/not valid JSON/);
  });

  it('validate says when the file cannot be read', () => {
    const { code, stderr } = cli('validate', join(dir, 'missing.json'));
    expect(code).toBe(1);
    expect(stderr).toContain('ENOENT');
  });

  it('run writes summary.json, reports progress on stderr, and exits non-zero when a node fails', () => {
    const path = file(
      'ghost.blockspin.json',
      JSON.stringify({
        format: 'blockspin.graph',
        version: 1,
        meta: { title: 'ghosts' },
        nodes: [{ id: 'ghost', type: 'future.node', typeVersion: 4, position: { x: 0, y: 0 }, params: { a: 1 } }],
        edges: [],
      }),
    );
    const out = join(dir, 'out');
    const { code, stdout, stderr } = cli('run', path, '--out', out, '--workers', '1');
    expect(code).toBe(1);
    expect(stderr).toContain("unknown node type 'future.node'");
    expect(stdout).toContain('ghost');
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({
      format: 'blockspin.summary',
      version: 1,
      graph: { title: 'ghosts' },
      nodes: { ghost: { type: 'future.node', status: 'error' } },
    });
  });

  it('runs an example graph with --set, writing summary.json and .npy files numpy can read', () => {
    const out = join(dir, 'basics');
    const { code, stdout } = cli(
      'run',
      'graphs/ising-basics.blockspin.json',
      '--out',
      out,
      '--set',
      'lattice.samples=200',
      '--set',
      'lattice.L=16',
      '--set',
      'correlation.maxR=8',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('wrote');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.nodes.lattice.outputs.spins).toMatchObject({
      type: 'spins',
      shape: [600, 16, 16],
      dtype: 'int8',
      file: 'lattice.spins.npy',
    });
    expect(summary.nodes.observables.outputs.table.columns).toEqual([
      'T',
      'L',
      'n',
      'e',
      'e_err',
      'm',
      'm_err',
      'absm',
      'absm_err',
      'm2',
      'm4',
      'chi',
      'c',
      'binder',
      'chi_err',
      'c_err',
      'binder_err',
      'tau_e',
      'tau_absm',
      'drift_sigma',
    ]);
    const bytes = readFileSync(join(out, 'lattice.spins.npy'));
    expect(bytes.subarray(1, 6).toString()).toBe('NUMPY');
    expect(bytes.length).toBe(128 + 600 * 256);
    if (spawnSync('python3', ['-c', 'import numpy']).status === 0) {
      const py = spawnSync(
        'python3',
        [
          '-c',
          `import numpy as n; a = n.load('${out}/lattice.spins.npy'); print(a.shape, a.dtype, set(a.ravel().tolist()))`,
        ],
        { encoding: 'utf8' },
      );
      expect(py.stdout.trim()).toBe('(600, 16, 16) int8 {1, -1}');
    }
  });

  it('rejects a bad --workers value', () => {
    const { code, stderr } = cli('run', 'x.json', '--workers', '0');
    expect(code).not.toBe(0);
    expect(stderr).toContain('expected a positive integer');
  });

  describe('the memory budget', () => {
    /** `count` lattices of 1,000,000 samples of 32 x 32: about 2 GB each, as the estimate counts them. */
    const lattices = (count: number) =>
      file(
        `lattices-${count}.blockspin.json`,
        JSON.stringify({
          format: 'blockspin.graph',
          version: 2,
          meta: { title: 'many lattices' },
          nodes: Array.from({ length: count }, (_, i) => ({
            id: `lat${i}`,
            type: 'ising.lattice',
            typeVersion: 1,
            position: { x: 0, y: 100 * i },
            params: { L: 32, samples: i === 3 ? 1_040_000 : 1_000_000 },
          })),
          edges: [],
        }),
      );

    it('validate and run refuse a graph over --max-memory, with the figure and the largest node, running nothing', () => {
      const path = lattices(8);
      const validate = cli('validate', path, '--max-memory', '2GB');
      expect(validate.code).toBe(1);
      expect(validate.stderr).toContain(
        '8 Lattice Generator nodes need about 16.6 GB of memory; the budget is 2 GB; ' +
          'largest: lat3 (Lattice Generator), 2.15 GB (the budget is set by --max-memory)',
      );
      const started = Date.now();
      const run = cli('run', path, '--max-memory', '2GB', '--workers', '1');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('need about 16.6 GB of memory; the budget is 2 GB');
      expect(Date.now() - started).toBeLessThan(20_000);
    });

    it('takes a graph within --max-memory, and says what it needs', () => {
      const { code, stdout } = cli('validate', lattices(8), '--max-memory', '20GB');
      expect(code).toBe(0);
      expect(stdout).toContain('it needs about 16.6 GB of memory (the budget is 20 GB)');
    });

    it('is 75% of the machine by default', () => {
      const { code, stderr } = cli('validate', lattices(200));
      expect(code).toBe(1);
      expect(stderr).toMatch(/200 Lattice Generator nodes need about 413 GB of memory; the budget is [\d.]+ [GT]B/);
    });

    it('refuses a --max-memory that is not a size', () => {
      const { code, stderr } = cli('validate', 'x.json', '--max-memory', 'lots');
      expect(code).not.toBe(0);
      expect(stderr).toContain("'lots' is not a size: write a number with a unit such as 512MB, 8GB or 2GiB");
    });
  });
});
