/**
 * Runs a sweep's tasks on this machine, `jobs` at a time, each in a process of its own running the same
 * entry point as a Slurm array task (`graph run GRAPH --manifest M --task I`), so a task's numbers do not
 * depend on where it ran, and one task crashing leaves the others running.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { printable } from '../terminal-text';
import { REPOSITORY_ROOT, taskArguments, type TaskCommandOptions } from './commands';
import type { GridTask } from './grid';
import { taskState, writeTaskError } from './task-results';

export interface LocalRunOptions {
  command: TaskCommandOptions;
  tasks: readonly GridTask[];
  jobs: number;
  taskDir: (index: number) => string;
  logDir: string;
  stream?: NodeJS.WriteStream;
}

export interface LocalRunResult {
  done: number[];
  failed: number[];
}

function describeTask(task: GridTask): string {
  return printable(
    Object.entries(task.values)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' '),
  );
}

function runOne(options: LocalRunOptions, task: GridTask): Promise<number | null> {
  const log = createWriteStream(join(options.logDir, `task-${task.index}.log`));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, taskArguments(options.command, String(task.index)), {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (error) => {
      log.end(`${error.message}\n`);
      resolve(null);
    });
    child.on('close', (code) => {
      log.end();
      resolve(code);
    });
  });
}

export async function runLocalSweep(options: LocalRunOptions): Promise<LocalRunResult> {
  const stream = options.stream ?? process.stderr;
  await mkdir(options.logDir, { recursive: true });
  const queue = [...options.tasks];
  const done: number[] = [];
  const failed: number[] = [];
  const total = options.tasks.length;
  let running = 0;
  const bar = stream.isTTY
    ? new cliProgress.SingleBar(
        {
          format:
            'sweep [{bar}] {value}/{total} finished | {failed} failed | {running} running | {remaining} remaining',
          stream,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const counts = () => ({ failed: failed.length, running, remaining: total - done.length - failed.length });
  bar?.start(total, 0, counts());
  const line = (text: string) => {
    if (bar) bar.update(done.length + failed.length, counts());
    else stream.write(`${text} (${done.length} done, ${failed.length} failed, ${counts().remaining} remaining)\n`);
  };
  const worker = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      running++;
      const started = performance.now();
      const code = await runOne(options, task);
      running--;
      const dir = options.taskDir(task.index);
      let state = await taskState(dir);
      if (state.state === 'missing') {
        // killed, or crashed before it could write anything: say so where `graph merge` looks
        const why = `exited with ${code === null ? 'a signal' : `code ${code}`} before writing results; see ${join(options.logDir, `task-${task.index}.log`)}`;
        await writeTaskError(dir, why);
        state = { state: 'failed', reason: why };
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (state.state === 'done') {
        done.push(task.index);
        line(`task ${task.index} done in ${seconds} s: ${describeTask(task)}`);
      } else {
        failed.push(task.index);
        line(`task ${task.index} failed: ${printable(state.state === 'failed' ? state.reason : '')}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.jobs, total) }, worker));
  } finally {
    bar?.stop();
  }
  return { done, failed };
}
