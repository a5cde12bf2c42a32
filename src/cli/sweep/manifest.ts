/**
 * DIR/sweep.json: what a sweep runs. The graph (its absolute path and the sha256 of its text, so a task
 * never runs a graph that changed under it), the grid, and every task's index and `--set` values. The
 * local runner, Slurm's array tasks and GNU parallel's jobs all run `graph run GRAPH --manifest
 * DIR/sweep.json --task I`, which reads the task's overrides from here.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { GridAxis, GridTask } from './grid';

export const SWEEP_FILE = 'sweep.json';

const manifestSchema = z.object({
  format: z.literal('blockspin.sweep'),
  version: z.literal(1),
  graph: z.object({ file: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  grid: z.array(z.object({ node: z.string(), param: z.string(), values: z.array(z.unknown()).min(1) })).min(1),
  tasks: z
    .array(
      z.object({
        index: z.number().int().min(0),
        values: z.record(z.string(), z.unknown()),
        set: z.array(z.string()),
      }),
    )
    .min(1),
});

export interface SweepManifest {
  format: 'blockspin.sweep';
  version: 1;
  graph: { file: string; sha256: string };
  grid: GridAxis[];
  tasks: GridTask[];
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

export function createManifest(
  graphFile: string,
  graphText: string,
  grid: GridAxis[],
  tasks: GridTask[],
): SweepManifest {
  return { format: 'blockspin.sweep', version: 1, graph: { file: graphFile, sha256: sha256(graphText) }, grid, tasks };
}

export function manifestJson(manifest: SweepManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export async function readManifest(path: string): Promise<SweepManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the sweep manifest ${path}: ${(error as NodeJS.ErrnoException).code}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path} is not a sweep manifest: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const manifest = parsed.data as SweepManifest;
  manifest.tasks.forEach((task, i) => {
    if (task.index !== i) throw new Error(`${path}: tasks[${i}] has index ${task.index}, expected ${i}`);
  });
  return manifest;
}

/** The directory of a task's results, beside the manifest. */
export function taskDir(manifestPath: string, index: number): string {
  return join(dirname(manifestPath), `task-${index}`);
}

/** The task's overrides, after checking that the graph is the one the sweep was made from. */
export function taskOverrides(
  manifest: SweepManifest,
  manifestPath: string,
  graphText: string,
  index: number,
): string[] {
  const hash = sha256(graphText);
  if (hash !== manifest.graph.sha256) {
    throw new Error(
      `the graph file changed since the sweep ${manifestPath} was written (its sha256 is ${hash}, the sweep's ${manifest.graph.sha256}): write the sweep again`,
    );
  }
  const task = manifest.tasks[index];
  if (!task) throw new Error(`--task ${index}: the sweep ${manifestPath} has tasks 0 to ${manifest.tasks.length - 1}`);
  return task.set;
}
