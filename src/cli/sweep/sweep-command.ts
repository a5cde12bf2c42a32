/**
 * `graph sweep` and `graph merge`: writing a sweep's manifest, running it here (resumably) or emitting it for
 * Slurm or GNU parallel, and merging what has finished.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { appRegistry } from '../../../nodes/index';
import { problemsText } from '../report';
import { printable } from '../terminal-text';
import { resolveDataPaths } from '../data-paths';
import { loadGraphText } from '../run-graph';
import { summaryJson, type OutputFile } from '../summary';
import type { TaskCommandOptions } from './commands';
import { parallelJobs, sbatchScript, slurmMemoryBytes, type SlurmOptions } from './emit';
import { gridTasks, parseGridAxis } from './grid';
import { createManifest, manifestJson, readManifest, SWEEP_FILE, taskDir, type SweepManifest } from './manifest';
import { mergeSweep } from './merge';
import { mergedPlots, type MergePlotOptions } from './merge-plot';
import { runLocalSweep } from './run-local';
import { taskState } from './task-results';

export interface SweepCommandOptions {
  grid: string[];
  out: string;
  jobs?: number;
  workers?: number;
  retryFailed?: boolean;
  emit?: 'slurm' | 'parallel';
  tasksPerJob: number;
  maxRunning?: number;
  cpusPerTask: number;
  mem?: string;
  time?: string;
  partition?: string;
  account?: string;
  /** --max-memory as given; without it, each task gets its share of the default (see `taskBudget`). */
  maxMemory?: number;
  /** The budget of a `graph run` without --max-memory on this machine. */
  defaultMaxMemory: number;
  plot: string[];
  x: string;
  by?: string;
}

const out = (text: string) => process.stdout.write(text);

async function readGraph(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
}

/** The manifest already in DIR, if it is this sweep's; an error if DIR holds another one. */
async function existingManifest(path: string, wanted: SweepManifest): Promise<SweepManifest | null> {
  if (!existsSync(path)) return null;
  const existing = await readManifest(path);
  const same =
    existing.graph.sha256 === wanted.graph.sha256 && JSON.stringify(existing.grid) === JSON.stringify(wanted.grid);
  if (!same) {
    throw new Error(
      `${path} is another sweep (${existing.graph.sha256 === wanted.graph.sha256 ? 'another grid' : 'another graph, or the graph changed'}): choose another --out, or remove that directory to start again`,
    );
  }
  return existing;
}

export async function sweepCommand(graphFile: string, options: SweepCommandOptions): Promise<number> {
  const graphPath = resolve(graphFile);
  const text = await readGraph(graphPath);
  if (!options.grid.length) throw new Error('sweep: give at least one --grid node.param=value1,value2,...');
  const axes = options.grid.map(parseGridAxis);
  const tasks = gridTasks(axes);
  const jobs = options.jobs ?? availableParallelism();
  // The budget of one task. Here, tasks run `jobs` at a time and share the machine's memory. On a cluster,
  // Slurm's --mem is the task's, and a GNU parallel job on another machine gets that machine's default.
  const taskBudget =
    options.emit === 'slurm'
      ? options.mem
        ? slurmMemoryBytes(options.mem)
        : options.maxMemory
      : options.emit === 'parallel'
        ? options.maxMemory
        : (options.maxMemory ?? options.defaultMaxMemory) / jobs;
  // Every task is checked before anything is written or run: a bad value fails now, not in task 17.
  const registry = appRegistry();
  const resolved = await resolveDataPaths(text, graphPath);
  for (const task of tasks) {
    const loaded = loadGraphText(resolved, registry, task.set, taskBudget ?? options.defaultMaxMemory);
    if (!loaded.ok) {
      process.stderr.write(
        problemsText(`${graphFile} with task ${task.index}'s values (${task.set.join(' ')})`, loaded.errors),
      );
      process.stderr.write('nothing was written or run\n');
      return 1;
    }
  }
  const dir = resolve(options.out);
  const manifestPath = join(dir, SWEEP_FILE);
  const manifest =
    (await existingManifest(manifestPath, createManifest(graphPath, text, axes, tasks))) ??
    createManifest(graphPath, text, axes, tasks);
  await mkdir(dir, { recursive: true });
  await writeFile(manifestPath, manifestJson(manifest));
  const logDir = join(dir, 'logs');
  await mkdir(logDir, { recursive: true });

  if (options.emit === 'slurm') {
    const slurm: SlurmOptions = {
      tasksPerJob: options.tasksPerJob,
      maxRunning: options.maxRunning ?? tasks.length,
      cpusPerTask: options.cpusPerTask,
      mem: options.mem,
      time: options.time,
      partition: options.partition,
      account: options.account,
      jobName: 'blockspin-sweep',
      logDir,
    };
    const script = join(dir, 'sweep.sbatch');
    await writeFile(
      script,
      sbatchScript({ graph: graphPath, manifest: manifestPath, maxMemory: taskBudget }, tasks.length, slurm),
    );
    out(`wrote ${printable(manifestPath)} (${tasks.length} tasks) and ${printable(script)}\n`);
    out(`submit it with: sbatch ${printable(script)}\nthen merge with: npm run graph -- merge ${printable(dir)}\n`);
    return 0;
  }
  const command: TaskCommandOptions = {
    graph: graphPath,
    manifest: manifestPath,
    workers: String(
      options.workers ?? Math.max(1, Math.floor(availableParallelism() / (options.jobs ?? availableParallelism()))),
    ),
    ...(taskBudget !== undefined ? { maxMemory: taskBudget } : {}),
  };
  if (options.emit === 'parallel') {
    const jobs = join(dir, 'sweep.jobs');
    await writeFile(jobs, parallelJobs({ ...command, workers: String(options.workers ?? 1) }, tasks.length));
    out(`wrote ${printable(manifestPath)} (${tasks.length} tasks) and ${printable(jobs)}\n`);
    out(`run it with: parallel --joblog ${printable(join(dir, 'joblog'))} < ${printable(jobs)}\n`);
    out(`then merge with: npm run graph -- merge ${printable(dir)}\n`);
    return 0;
  }

  const states = await Promise.all(tasks.map((task) => taskState(taskDir(manifestPath, task.index))));
  const toRun = tasks.filter(
    (_, i) => states[i].state === 'missing' || (options.retryFailed && states[i].state === 'failed'),
  );
  const already = states.filter((s) => s.state === 'done').length;
  const skippedFailed = options.retryFailed ? 0 : states.filter((s) => s.state === 'failed').length;
  process.stderr.write(
    `sweep of ${tasks.length} tasks: ${already} done already, ${toRun.length} to run` +
      (skippedFailed ? `, ${skippedFailed} failed before (--retry-failed runs them again)` : '') +
      '\n',
  );
  const result = await runLocalSweep({
    command,
    tasks: toRun,
    jobs,
    taskDir: (index) => taskDir(manifestPath, index),
    logDir,
  });
  const merged = await writeMerged(dir, manifest, options);
  return result.failed.length || merged.failed.length || merged.missing.length ? 1 : 0;
}

async function writeMerged(dir: string, manifest: SweepManifest, options: { plot: string[]; x: string; by?: string }) {
  const merge = await mergeSweep(manifest, (index) => taskDir(join(dir, SWEEP_FILE), index));
  const mergedDir = join(dir, 'merged');
  const files: OutputFile[] = [...merge.files];
  for (const y of options.plot) {
    const plot: MergePlotOptions = { y, x: options.x, ...(options.by ? { by: options.by } : {}) };
    files.push(...mergedPlots(merge.tables, plot));
  }
  await rm(mergedDir, { recursive: true, force: true });
  await mkdir(mergedDir, { recursive: true });
  for (const f of files) await writeFile(join(mergedDir, f.name), f.bytes);
  await writeFile(join(mergedDir, 'summary.json'), summaryJson(merge.summary));
  out(
    `merged ${merge.done.length} of ${manifest.tasks.length} tasks into ${printable(mergedDir)}: ` +
      `${merge.tables.length} tables${options.plot.length ? `, ${files.length - merge.files.length} figure files` : ''}\n`,
  );
  if (merge.missing.length)
    process.stderr.write(`missing (not run, or still running): tasks ${merge.missing.join(', ')}\n`);
  for (const f of merge.failed) process.stderr.write(`failed: task ${f.index}: ${printable(f.reason)}\n`);
  return merge;
}

export async function mergeCommand(dir: string, options: { plot: string[]; x: string; by?: string }): Promise<number> {
  const manifest = await readManifest(join(resolve(dir), SWEEP_FILE));
  await writeMerged(resolve(dir), manifest, options);
  return 0;
}
