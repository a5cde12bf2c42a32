/** A sweep emitted for GNU parallel (Debian's `parallel`), run by it, merges to what the local sweep merges. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { smallGraphText } from './small-graph';

const hasParallel = spawnSync('parallel', ['--version'], { encoding: 'utf8' }).stdout?.startsWith('GNU parallel');
const required = process.env.CI === 'true';

describe.skipIf(!hasParallel && !required)('a sweep through GNU parallel', () => {
  it('runs the job list from any directory and merges to exactly the local sweep', () => {
    if (!hasParallel) throw new Error('GNU parallel is not installed (.ci/run installs it with apt-get)');
    const root = mkdtempSync(join(tmpdir(), 'blockspin-parallel-'));
    const graph = join(root, 'g.blockspin.json');
    writeFileSync(graph, smallGraphText(5));
    const grid = ['--grid', 'lattice.L=4,6', '--grid', 'lattice.T=2.5'];
    expect(cli('sweep', graph, ...grid, '--out', join(root, 'local')).code).toBe(0);

    const dir = join(root, 'parallel');
    const emitted = cli('sweep', graph, ...grid, '--out', dir, '--emit', 'parallel');
    expect(emitted.code).toBe(0);
    expect(emitted.stdout).toContain(`parallel --joblog ${dir}/joblog < ${dir}/sweep.jobs`);
    const jobs = readFileSync(join(dir, 'sweep.jobs'), 'utf8').trimEnd().split('\n');
    expect(jobs).toHaveLength(2);

    const run = spawnSync('bash', ['-c', `parallel --will-cite -j 2 --joblog ${dir}/joblog < ${dir}/sweep.jobs`], {
      cwd: tmpdir(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const joblog = readFileSync(join(dir, 'joblog'), 'utf8').trimEnd().split('\n');
    expect(joblog).toHaveLength(1 + 2);
    expect(joblog.slice(1).map((line) => line.split('\t')[6])).toEqual(['0', '0']); // Exitval

    const merged = cli('merge', dir);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('merged 2 of 2 tasks');
    const csv = (d: string) => readFileSync(join(d, 'merged', 'obs.table.csv'), 'utf8');
    expect(csv(dir)).toBe(csv(join(root, 'local')));
  }, 180_000);
});
