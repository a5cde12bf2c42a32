/**
 * The command that runs one task of a sweep, as the local runner spawns it and as the emitted Slurm script
 * and GNU parallel job list write it: absolute paths throughout, from the repository's root (where
 * `--import tsx` resolves), so it runs from any directory, on any machine that sees the same files.
 */
import { fileURLToPath } from 'node:url';

/** The repository's root: three folders above this file (src/cli/sweep/). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

export interface TaskCommandOptions {
  graph: string;
  manifest: string;
  /** Worker threads for the task's graph run (`graph run --workers`); a shell word such as "$VAR" in scripts. */
  workers: string;
  /** `--max-memory` for the task, in bytes. */
  maxMemory?: number;
}

/** node's arguments (after the node binary) for `graph run GRAPH --manifest M --task <task>`. */
export function taskArguments(options: TaskCommandOptions, task: string): string[] {
  return [
    '--import',
    'tsx',
    '--import',
    './src/workers/node-preload.mjs',
    'src/cli/main.ts',
    'run',
    options.graph,
    '--manifest',
    options.manifest,
    '--task',
    task,
    '--workers',
    options.workers,
    ...(options.maxMemory ? ['--max-memory', String(Math.floor(options.maxMemory))] : []),
  ];
}

/** A word for a POSIX shell: single-quoted unless it is plainly safe. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** One line of shell: `cd ROOT && NODE ARGS...`, with `raw` words (shell variables) left unquoted. */
export function taskShellLine(options: TaskCommandOptions, task: string, raw: ReadonlySet<string> = new Set()): string {
  const words = [process.execPath, ...taskArguments(options, task)].map((w) => (raw.has(w) ? w : shellWord(w)));
  return `cd ${shellWord(REPOSITORY_ROOT)} && ${words.join(' ')}`;
}
