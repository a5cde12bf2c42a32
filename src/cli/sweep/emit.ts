/**
 * Sweeps for existing engines: a Slurm array job (DIR/sweep.sbatch) and a GNU parallel job list
 * (DIR/sweep.jobs). Both run the same entry point as the local runner, so their results merge alike.
 */
import { taskShellLine, type TaskCommandOptions } from './commands';

export interface SlurmOptions {
  /** Rows of the manifest per array task, for sites that cap array sizes. */
  tasksPerJob: number;
  /** At most this many array tasks at once (the %K of --array). */
  maxRunning: number;
  cpusPerTask: number;
  /** Slurm's --mem, as Slurm writes it (e.g. 4G, 500M). */
  mem?: string;
  /** Slurm's --time, e.g. 01:00:00. */
  time?: string;
  partition?: string;
  account?: string;
  jobName: string;
  /** Where each array task's output goes (a folder that exists when the job starts). */
  logDir: string;
}

/** Slurm's --mem in bytes: a number with an optional K, M, G or T suffix (binary, megabytes without one). */
export function slurmMemoryBytes(mem: string): number {
  const match = /^(\d+)([KMGT]?)B?$/i.exec(mem.trim());
  if (!match) throw new Error(`--mem ${mem}: expected a Slurm memory size such as 4G or 500M`);
  const power = { '': 2, K: 1, M: 2, G: 3, T: 4 }[match[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Number(match[1]) * 1024 ** power;
}

export function arrayTaskCount(tasks: number, tasksPerJob: number): number {
  return Math.ceil(tasks / tasksPerJob);
}

export function sbatchScript(
  command: Omit<TaskCommandOptions, 'workers'>,
  tasks: number,
  options: SlurmOptions,
): string {
  const arrayTasks = arrayTaskCount(tasks, options.tasksPerJob);
  const line = taskShellLine(
    {
      ...command,
      workers: '"${SLURM_CPUS_PER_TASK:-1}"',
      // the task's budget: --max-memory if given, else the allocation's --mem
      maxMemory: command.maxMemory ?? (options.mem ? slurmMemoryBytes(options.mem) : undefined),
    },
    '"$task"',
    new Set(['"$task"', '"${SLURM_CPUS_PER_TASK:-1}"']),
  );
  const directives = [
    `--job-name=${options.jobName}`,
    `--array=0-${arrayTasks - 1}%${Math.min(options.maxRunning, arrayTasks)}`,
    `--cpus-per-task=${options.cpusPerTask}`,
    ...(options.mem ? [`--mem=${options.mem}`] : []),
    ...(options.time ? [`--time=${options.time}`] : []),
    ...(options.partition ? [`--partition=${options.partition}`] : []),
    ...(options.account ? [`--account=${options.account}`] : []),
    `--output=${options.logDir}/slurm-%A_%a.out`,
  ];
  return [
    '#!/bin/bash',
    ...directives.map((d) => `#SBATCH ${d}`),
    `# A Blockspin sweep of ${tasks} tasks, ${options.tasksPerJob} per array task: sbatch this file, then`,
    '# `npm run graph -- merge` the sweep directory (resumable: `graph sweep` runs what is missing).',
    'set -u',
    `first=$(( SLURM_ARRAY_TASK_ID * ${options.tasksPerJob} ))`,
    `last=$(( first + ${options.tasksPerJob} - 1 ))`,
    `if [ "$last" -ge ${tasks} ]; then last=${tasks - 1}; fi`,
    'status=0',
    'for task in $(seq "$first" "$last"); do',
    `  ${line} || status=1`,
    'done',
    'exit "$status"',
    '',
  ].join('\n');
}

/** One command per task, for `parallel --joblog DIR/joblog < DIR/sweep.jobs` (local or --sshlogin). */
export function parallelJobs(command: TaskCommandOptions, tasks: number): string {
  return Array.from({ length: tasks }, (_, i) => `${taskShellLine(command, String(i))}\n`).join('');
}
