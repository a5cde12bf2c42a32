/**
 * `graph sweep` and `graph merge` through the CLI, as a user runs them: a small Wolff sweep over L and T,
 * each task in a process of its own.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { smallGraphText } from './small-graph';

const root = mkdtempSync(join(tmpdir(), 'blockspin-sweep-'));
const graphFile = join(root, 'small.blockspin.json');
const sweepDir = join(root, 'sweep');

const graphText = smallGraphText;

const GRID = ['--grid', 'lattice.L=4,6', '--grid', 'lattice.T=2.0,2.6'];
const sweep = (...extra: string[]) => cli('sweep', graphFile, ...GRID, '--out', sweepDir, '--jobs', '2', ...extra);
const csvRows = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');

describe('graph sweep', () => {
  let first: ReturnType<typeof cli>;
  beforeAll(() => {
    writeFileSync(graphFile, graphText(3));
    first = sweep('--plot', 'binder');
  }, 300_000);

  it('runs every combination, writes the manifest, the task folders and the merged table and figure', () => {
    expect(first.stderr).toContain('sweep of 4 tasks: 0 done already, 4 to run');
    expect(first.stderr).toMatch(
      /task 3 done in [\d.]+ s: lattice.L=6 lattice.T=2.6 \(\d done/, // two at a time: in any order
    );
    expect(first.stderr).toContain('(4 done, 0 failed, 0 remaining)');
    expect(first.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(sweepDir, 'sweep.json'), 'utf8'));
    expect(manifest.format).toBe('blockspin.sweep');
    expect(manifest.graph.file).toBe(graphFile);
    expect(manifest.graph.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.tasks.map((t: { set: string[] }) => t.set)).toEqual([
      ['lattice.L=4', 'lattice.T=2'],
      ['lattice.L=4', 'lattice.T=2.6'],
      ['lattice.L=6', 'lattice.T=2'],
      ['lattice.L=6', 'lattice.T=2.6'],
    ]);
    for (let i = 0; i < 4; i++) expect(existsSync(join(sweepDir, `task-${i}`, 'summary.json'))).toBe(true);

    const rows = csvRows(join(sweepDir, 'merged', 'obs.table.csv'));
    expect(rows[0].startsWith('lattice.L,lattice.T,T,L,n,e,')).toBe(true);
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 4).join(','))).toEqual([
      '4,2,2,4',
      '4,2.6,2.6,4',
      '6,2,2,6',
      '6,2.6,2.6,6',
    ]);
    // each merged row is the task's own row, behind its grid values
    const task2 = csvRows(join(sweepDir, 'task-2', 'obs.table.csv'));
    expect(rows[3]).toBe(`6,2,${task2[1]}`);

    const summary = JSON.parse(readFileSync(join(sweepDir, 'merged', 'summary.json'), 'utf8'));
    expect(summary.format).toBe('blockspin.summary');
    expect(summary.nodes.obs.outputs.table.columns.slice(0, 3)).toEqual(['lattice.L', 'lattice.T', 'T']);
    expect(summary.nodes.obs.outputs.table.rows).toHaveLength(4);
    expect(summary.nodes.obs.outputs.table.file).toBe('obs.table.csv');
    expect(summary.sweep).toEqual({
      grid: ['lattice.L', 'lattice.T'],
      tasks: 4,
      merged: [0, 1, 2, 3],
      failed: [],
      missing: [],
    });
    const png = readFileSync(join(sweepDir, 'merged', 'obs.table.binder.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(sweepDir, 'merged', 'obs.table.binder.svg'), 'utf8')).toContain('L = 6');
  });

  it("gives a task exactly the numbers of `graph run` with the task's --set values", () => {
    const alone = join(root, 'alone');
    const run = cli('run', graphFile, '--set', 'lattice.L=6', '--set', 'lattice.T=2.6', '--out', alone);
    expect(run.code).toBe(0);
    for (const file of ['lattice.spins.npy', 'lattice.spins.T.npy', 'obs.table.csv']) {
      expect(readFileSync(join(sweepDir, 'task-3', file)).equals(readFileSync(join(alone, file))), file).toBe(true);
    }
  });

  it('resumes: done tasks are not run again', () => {
    const before = statSync(join(sweepDir, 'task-0', 'summary.json')).mtimeMs;
    const again = sweep();
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('sweep of 4 tasks: 4 done already, 0 to run');
    expect(statSync(join(sweepDir, 'task-0', 'summary.json')).mtimeMs).toBe(before);
  });

  it('leaves failed tasks alone unless --retry-failed, and merges what has finished', () => {
    const original = readFileSync(join(sweepDir, 'task-1', 'obs.table.csv'));
    // a task that failed: as a killed run leaves it, with error.txt and no summary
    const failedDir = join(sweepDir, 'task-1');
    rmSync(failedDir, { recursive: true, force: true });
    mkdirSync(failedDir);
    writeFileSync(join(failedDir, 'error.txt'), 'exited with a signal before writing results\n');

    const skipped = sweep();
    expect(skipped.code).toBe(1);
    expect(skipped.stderr).toContain('3 done already, 0 to run, 1 failed before (--retry-failed runs them again)');
    expect(skipped.stderr).toContain('failed: task 1: exited with a signal before writing results');
    expect(csvRows(join(sweepDir, 'merged', 'obs.table.csv'))).toHaveLength(1 + 3);

    const retried = sweep('--retry-failed');
    expect(retried.code).toBe(0);
    expect(retried.stderr).toContain('3 done already, 1 to run');
    expect(readFileSync(join(sweepDir, 'task-1', 'obs.table.csv')).equals(original)).toBe(true);
    expect(csvRows(join(sweepDir, 'merged', 'obs.table.csv'))).toHaveLength(1 + 4);
  }, 60_000);

  it('merge lists missing tasks and merges the rest', () => {
    const saved = join(root, 'task-2-saved');
    renameSync(join(sweepDir, 'task-2'), saved);
    try {
      const merged = cli('merge', sweepDir);
      expect(merged.code).toBe(0);
      expect(merged.stdout).toContain('merged 3 of 4 tasks');
      expect(merged.stderr).toContain('missing (not run, or still running): tasks 2');
      const summary = JSON.parse(readFileSync(join(sweepDir, 'merged', 'summary.json'), 'utf8'));
      expect(summary.sweep.missing).toEqual([2]);
      expect(summary.nodes.obs.outputs.table.rows).toHaveLength(3);
    } finally {
      renameSync(saved, join(sweepDir, 'task-2'));
    }
  });

  it('refuses a task of a graph that changed since the sweep, and another sweep in the same folder', () => {
    const changed = join(root, 'changed.blockspin.json');
    writeFileSync(changed, graphText(4));
    const task = cli('run', changed, '--manifest', join(sweepDir, 'sweep.json'), '--task', '0');
    expect(task.code).toBe(1);
    expect(task.stderr).toContain('the graph file changed since the sweep');
    const other = cli('sweep', changed, ...GRID, '--out', sweepDir);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('is another sweep (another graph, or the graph changed)');
    const otherGrid = cli('sweep', graphFile, '--grid', 'lattice.L=4', '--out', sweepDir);
    expect(otherGrid.stderr).toContain('is another sweep (another grid)');
    expect(cli('run', graphFile, '--manifest', join(sweepDir, 'sweep.json')).stderr).toContain(
      '--manifest and --task go together',
    );
    expect(cli('run', graphFile, '--manifest', join(sweepDir, 'sweep.json'), '--task', '9').stderr).toContain(
      'has tasks 0 to 3',
    );
  });

  it('checks every task before it writes or runs anything, and names the bad one', () => {
    const dir = join(root, 'bad');
    const bad = cli('sweep', graphFile, '--grid', 'lattice.L=4,-3', '--out', dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("task 1's values (lattice.L=-3)");
    expect(bad.stderr).toContain("node 'lattice'");
    expect(bad.stderr).toContain('nothing was written or run');
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(root)).not.toContain('bad');
  });
});
