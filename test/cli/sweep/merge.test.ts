import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gridTasks, parseGridAxis } from '../../../src/cli/sweep/grid';
import { createManifest } from '../../../src/cli/sweep/manifest';
import { mergeSweep } from '../../../src/cli/sweep/merge';

function taskFolder(root: string, index: number, columns: string[], rows: unknown[][], status = 'done'): void {
  const dir = join(root, `task-${index}`);
  mkdirSync(dir, { recursive: true });
  const summary = {
    format: 'blockspin.summary',
    version: 1,
    graph: { title: 't' },
    backend: null,
    nodes: {
      obs: {
        type: 'measure.observables',
        status,
        error: status === 'error' ? 'boom' : null,
        outputs: { table: { type: 'table', columns, rows, file: 'obs.table.csv' } },
      },
    },
  };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
}

const axes = [parseGridAxis('lattice.L=4,8,16')];
const manifest = createManifest('/g.json', '{}', axes, gridTasks(axes));

describe('merging a sweep', () => {
  it('puts the grid values first, keeps task order, and sorts tasks into done, failed and missing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'blockspin-merge-'));
    taskFolder(root, 0, ['T', 'e'], [[2, -1.5]]);
    taskFolder(root, 1, ['T', 'e'], [[2, NaN]], 'error');
    const merge = await mergeSweep(manifest, (i) => join(root, `task-${i}`));
    expect(merge.done).toEqual([0]);
    expect(merge.failed).toEqual([{ index: 1, reason: "node 'obs' failed: boom" }]);
    expect(merge.missing).toEqual([2]);
    expect(merge.tables[0].table).toEqual({ type: 'table', columns: ['lattice.L', 'T', 'e'], rows: [[4, 2, -1.5]] });
    expect(merge.files.map((f) => f.name)).toEqual(['obs.table.csv']);
  });

  it('refuses tables whose columns differ between tasks, naming both', async () => {
    const root = mkdtempSync(join(tmpdir(), 'blockspin-merge-'));
    taskFolder(root, 0, ['T', 'e'], [[2, -1.5]]);
    taskFolder(root, 2, ['T', 'm'], [[2, 0.1]]);
    await expect(mergeSweep(manifest, (i) => join(root, `task-${i}`))).rejects.toThrow(
      "task 2's obs.table has the columns T, m, task 0's T, e: they cannot be merged",
    );
  });

  it('refuses a table column with the name of a grid axis', async () => {
    const root = mkdtempSync(join(tmpdir(), 'blockspin-merge-'));
    taskFolder(root, 0, ['lattice.L', 'e'], [[2, -1.5]]);
    await expect(mergeSweep(manifest, (i) => join(root, `task-${i}`))).rejects.toThrow(
      "obs.table has a column 'lattice.L', the name of a grid axis",
    );
  });
});
