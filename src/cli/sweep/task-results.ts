/**
 * A task's results directory, DIR/task-<i>/: written whole or not at all (into task-<i>.partial, renamed at
 * the end), so a task killed half way (a Slurm time limit, a lost node) leaves no summary and counts as
 * missing. A task whose graph could not even start leaves error.txt instead.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputFile, Summary } from '../summary';

export type TaskState = { state: 'done' } | { state: 'failed'; reason: string } | { state: 'missing' };

export async function writeTaskResults(dir: string, summaryText: string, files: readonly OutputFile[]): Promise<void> {
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  for (const f of files) await writeFile(join(partial, f.name), f.bytes);
  await writeFile(join(partial, 'summary.json'), summaryText);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
}

export async function writeTaskError(dir: string, message: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'error.txt'), `${message}\n`);
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** Done: a summary with no node in error (as `graph run` exits 0). Failed: a summary with one, or error.txt. Missing: neither. */
export async function taskState(dir: string): Promise<TaskState> {
  const text = await readText(join(dir, 'summary.json'));
  if (text !== null) {
    let summary: Summary;
    try {
      summary = JSON.parse(text) as Summary;
    } catch {
      return { state: 'failed', reason: 'summary.json is not valid JSON' };
    }
    const failed = Object.entries(summary.nodes ?? {}).find(([, node]) => node.status === 'error');
    if (!failed) return { state: 'done' };
    const [id, node] = failed;
    return { state: 'failed', reason: `node '${id}' failed: ${node.error ?? 'no message'}` };
  }
  const error = await readText(join(dir, 'error.txt'));
  if (error !== null) return { state: 'failed', reason: error.trim().split('\n')[0] };
  return { state: 'missing' };
}

export async function readTaskSummary(dir: string): Promise<Summary> {
  return JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Summary;
}
