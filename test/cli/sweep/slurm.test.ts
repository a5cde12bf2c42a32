/**
 * A sweep emitted for Slurm, submitted with sbatch to a real single-node cluster (slurmctld and slurmd on
 * this machine, started by test/cli/cluster/slurm.sh), merges to exactly the local sweep. Three rows, two
 * per array task: the packing and its short last array task are exercised too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { smallGraphText } from './small-graph';

const SCRIPT = 'test/cli/cluster/slurm.sh';
const underCi = process.env.CI === 'true';
// Short: munge's and slurmd's sockets live under it, and socket paths are limited to 107 bytes.
const clusterDir = mkdtempSync('/tmp/bss-');
let env: Record<string, string> = {};
let unavailable: string | null = null;

beforeAll(() => {
  const check = spawnSync('bash', [SCRIPT, 'check'], { encoding: 'utf8' });
  if (check.status !== 0) {
    unavailable = `Slurm is not installed: ${check.stderr.trim()}`;
    return;
  }
  const start = spawnSync('bash', [SCRIPT, 'start', clusterDir], { encoding: 'utf8', timeout: 120_000 });
  if (start.status !== 0) {
    unavailable = `Slurm could not start: ${start.stderr.trim()}`;
    return;
  }
  env = Object.fromEntries(
    start.stdout
      .trim()
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}, 150_000);

afterAll(() => {
  if (!unavailable) spawnSync('bash', [SCRIPT, 'stop', clusterDir], { encoding: 'utf8', timeout: 60_000 });
});

describe('a sweep through Slurm', () => {
  it('runs as an sbatch array job and merges to exactly the local sweep', async (ctx) => {
    if (unavailable) {
      if (underCi) throw new Error(unavailable);
      console.warn(`skipped: ${unavailable}`);
      ctx.skip();
    }
    const root = mkdtempSync(join(tmpdir(), 'blockspin-slurm-'));
    const graph = join(root, 'g.blockspin.json');
    writeFileSync(graph, smallGraphText(7));
    const grid = ['--grid', 'lattice.L=4,6,8', '--grid', 'lattice.T=2.3'];
    expect(cli('sweep', graph, ...grid, '--out', join(root, 'local')).code).toBe(0);

    const dir = join(root, 'slurm');
    const emitted = cli(
      'sweep',
      graph,
      ...grid,
      '--out',
      dir,
      '--emit',
      'slurm',
      '--tasks-per-job',
      '2',
      '--max-running',
      '2',
      '--cpus-per-task',
      '1',
      '--mem',
      '2G',
      '--time',
      '00:10:00',
    );
    expect(emitted.code, emitted.stderr).toBe(0);
    const script = readFileSync(join(dir, 'sweep.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --array=0-1%2');

    const slurmEnv = { ...process.env, ...env };
    const submitted = spawnSync('sbatch', ['--parsable', join(dir, 'sweep.sbatch')], {
      encoding: 'utf8',
      env: slurmEnv,
    });
    expect(submitted.status, `${submitted.stdout}\n${submitted.stderr}`).toBe(0);
    const jobId = submitted.stdout.trim().split(';')[0];
    expect(jobId).toMatch(/^\d+$/);
    // `sbatch --wait` polls at intervals growing to 10 s: poll squeue instead, until the job has left it
    const deadline = Date.now() + 240_000;
    const queued = () => spawnSync('squeue', ['-h', '-j', jobId], { encoding: 'utf8', env: slurmEnv }).stdout.trim();
    while (queued() !== '') {
      if (Date.now() > deadline) throw new Error(`job ${jobId} still queued after 240 s`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const record = spawnSync('scontrol', ['show', 'job', jobId], { encoding: 'utf8', env: slurmEnv }).stdout;
    expect(record.match(/JobState=\w+/g), record).toEqual(['JobState=COMPLETED', 'JobState=COMPLETED']);
    expect(record.match(/ ExitCode=\S+/g)).toEqual([' ExitCode=0:0', ' ExitCode=0:0']);
    const logs = readdirSync(join(dir, 'logs')).filter((f) => f.startsWith(`slurm-${jobId}_`));
    expect(logs.sort()).toEqual([`slurm-${jobId}_0.out`, `slurm-${jobId}_1.out`]);

    const merged = cli('merge', dir);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('merged 3 of 3 tasks');
    const csv = (d: string) => readFileSync(join(d, 'merged', 'obs.table.csv'), 'utf8');
    expect(csv(dir)).toBe(csv(join(root, 'local')));
  }, 300_000);
});
