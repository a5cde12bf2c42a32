import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT, shellWord } from '../../../src/cli/sweep/commands';
import { parallelJobs, sbatchScript, slurmMemoryBytes } from '../../../src/cli/sweep/emit';

const command = { graph: '/data/my graphs/g.blockspin.json', manifest: "/data/it's/sweep.json" };
const slurm = {
  tasksPerJob: 3,
  maxRunning: 4,
  cpusPerTask: 2,
  mem: '4G',
  time: '01:00:00',
  jobName: 'blockspin-sweep',
  logDir: '/data/logs',
};

describe('sweeps for Slurm and GNU parallel', () => {
  it('quotes shell words so that bash reads them back unchanged', () => {
    for (const word of ['plain', 'with space', "it's", '$HOME', 'a"b', '`x`', 'semi;colon', '']) {
      const echoed = spawnSync('bash', ['-c', `printf %s ${shellWord(word)}`], { encoding: 'utf8' }).stdout;
      expect(echoed).toBe(word);
    }
  });

  it('writes an array job with one array task per tasksPerJob rows, %K and the resources', () => {
    const script = sbatchScript(command, 10, slurm);
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain('#SBATCH --array=0-3%4\n'); // ceil(10 / 3) = 4 array tasks
    expect(script).toContain('#SBATCH --cpus-per-task=2\n');
    expect(script).toContain('#SBATCH --mem=4G\n');
    expect(script).toContain('#SBATCH --time=01:00:00\n');
    expect(script).toContain('#SBATCH --output=/data/logs/slurm-%A_%a.out\n');
    expect(script).toContain(`cd ${REPOSITORY_ROOT} && `);
    expect(script).toContain(
      `--manifest '/data/it'\\''s/sweep.json' --task "$task" --workers "\${SLURM_CPUS_PER_TASK:-1}"`,
    );
    expect(script).toContain(`--max-memory ${4 * 1024 ** 3}`);
    expect(sbatchScript(command, 2, { ...slurm, tasksPerJob: 1 })).toContain('--array=0-1%2\n');
  });

  it("runs rows first..last of each array task: bash's reading of the script's loop", () => {
    const script = sbatchScript(command, 10, slurm);
    const loop = script.slice(script.indexOf('first='), script.indexOf('done\n') + 5);
    // the task command replaced by an echo of the row: what the loop visits for each array task id
    const visits = (id: number) =>
      spawnSync(
        'bash',
        ['-c', `SLURM_ARRAY_TASK_ID=${id}\n${loop.replace(/ {2}cd .*\|\| status=1/, '  echo $task')}`],
        {
          encoding: 'utf8',
        },
      )
        .stdout.trim()
        .split('\n')
        .map(Number);
    expect([0, 1, 2, 3].map(visits)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  });

  it('writes one absolute command per task for GNU parallel', () => {
    const jobs = parallelJobs({ ...command, workers: '1' }, 3)
      .trimEnd()
      .split('\n');
    expect(jobs).toHaveLength(3);
    jobs.forEach((line, i) => {
      expect(line.startsWith(`cd ${REPOSITORY_ROOT} && ${process.execPath} --import tsx`)).toBe(true);
      expect(line.endsWith(`--task ${i} --workers 1`)).toBe(true);
      expect(line).toContain("'/data/my graphs/g.blockspin.json'");
    });
  });

  it("reads Slurm's memory sizes", () => {
    expect(slurmMemoryBytes('500M')).toBe(500 * 2 ** 20);
    expect(slurmMemoryBytes('4G')).toBe(4 * 2 ** 30);
    expect(slurmMemoryBytes('2048')).toBe(2048 * 2 ** 20);
    expect(() => slurmMemoryBytes('lots')).toThrow('--mem lots: expected a Slurm memory size');
  });
});
