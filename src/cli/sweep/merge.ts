/**
 * `graph merge DIR`: every table output of every finished task as one table, the task's grid values as
 * leading columns named `node.param`, written as CSV and as DIR/merged/summary.json (summary.json's format,
 * plus a `sweep` entry saying which tasks are in it). Tasks that are missing or failed are listed, and
 * what has finished is merged all the same.
 */
import type { TableValue } from '../../graph/values';
import type { NodeSummary, OutputFile, Summary } from '../summary';
import { summarizeValue } from '../summary';
import { axisName } from './grid';
import type { SweepManifest } from './manifest';
import { readTaskSummary, taskState, type TaskState } from './task-results';

interface TableSummary {
  type: 'table';
  columns: string[];
  rows: (number | string | null)[][];
  file: string;
}

export interface MergedTable {
  nodeId: string;
  port: string;
  /** The file's base name, as the tasks wrote it (`<node>.<port>`). */
  baseName: string;
  table: TableValue;
}

export interface SweepMerge {
  tables: MergedTable[];
  summary: Summary;
  files: OutputFile[];
  done: number[];
  failed: { index: number; reason: string }[];
  missing: number[];
}

/** A grid value as a table cell: numbers and text as they are, anything else (a list of T) as its JSON. */
function cell(value: unknown): number | string | null {
  if (typeof value === 'number' || typeof value === 'string' || value === null) return value;
  return JSON.stringify(value);
}

export async function mergeSweep(manifest: SweepManifest, taskDir: (index: number) => string): Promise<SweepMerge> {
  const gridColumns = manifest.grid.map(axisName);
  const states: TaskState[] = await Promise.all(manifest.tasks.map((task) => taskState(taskDir(task.index))));
  const done: number[] = [];
  const failed: { index: number; reason: string }[] = [];
  const missing: number[] = [];
  states.forEach((s, index) => {
    if (s.state === 'done') done.push(index);
    else if (s.state === 'failed') failed.push({ index, reason: s.reason });
    else missing.push(index);
  });
  const merged = new Map<string, MergedTable & { from: number }>();
  let title: string | null = null;
  let backend: string | null = null;
  const types = new Map<string, NodeSummary>();
  for (const index of done) {
    const summary = await readTaskSummary(taskDir(index));
    title ??= summary.graph?.title ?? null;
    backend ??= summary.backend ?? null;
    const lead = gridColumns.map((name) => cell(manifest.tasks[index].values[name]));
    for (const [nodeId, node] of Object.entries(summary.nodes)) {
      for (const [port, out] of Object.entries(node.outputs)) {
        if ((out as { type?: string }).type !== 'table') continue;
        const table = out as TableSummary;
        const key = JSON.stringify([nodeId, port]);
        let target = merged.get(key);
        if (!target) {
          const clash = table.columns.find((c) => gridColumns.includes(c));
          if (clash) throw new Error(`${nodeId}.${port} has a column '${clash}', the name of a grid axis`);
          target = {
            nodeId,
            port,
            baseName: table.file.replace(/\.csv$/, ''),
            table: { type: 'table', columns: [...gridColumns, ...table.columns], rows: [] },
            from: index,
          };
          merged.set(key, target);
          types.set(nodeId, node);
        } else if (JSON.stringify(target.table.columns.slice(gridColumns.length)) !== JSON.stringify(table.columns)) {
          throw new Error(
            `task ${index}'s ${nodeId}.${port} has the columns ${table.columns.join(', ')}, task ${target.from}'s ${target.table.columns.slice(gridColumns.length).join(', ')}: they cannot be merged`,
          );
        }
        for (const row of table.rows) target.table.rows.push([...lead, ...row]);
      }
    }
  }
  const tables = [...merged.values()].map(({ from: _, ...t }) => t);
  const files: OutputFile[] = [];
  const nodes = Object.create(null) as Record<string, NodeSummary>;
  for (const t of tables) {
    const { summary, files: written } = summarizeValue(t.table, t.baseName);
    files.push(...written);
    const node = types.get(t.nodeId)!;
    nodes[t.nodeId] ??= {
      type: node.type,
      ...(node.label ? { label: node.label } : {}),
      status: 'done',
      ms: null,
      cached: false,
      error: null,
      outputs: Object.create(null) as Record<string, unknown>,
    };
    nodes[t.nodeId].outputs[t.port] = summary;
  }
  const summary: Summary & { sweep: unknown } = {
    format: 'blockspin.summary',
    version: 1,
    graph: { title },
    backend,
    nodes,
    sweep: { grid: gridColumns, tasks: manifest.tasks.length, merged: done, failed, missing },
  };
  return { tables, summary, files, done, failed, missing };
}
