/**
 * Import data in the CLI: files are read relative to the graph file, and only when they are the files the
 * graph recorded; a missing, changed or odd file fails the node with a message that names it. Tested through
 * loadGraphText and runGraph, as `graph run` calls them.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { directoryFileStore } from '../../src/cli/file-store';
import { loadGraphText, runGraph, type RunResult } from '../../src/cli/run-graph';
import { describeDataFile, type DataFileRecord } from '../../src/graph/data-file';
import { encodeNpy } from '../../src/graph/npy';
import { serializeGraph } from '../../src/graph/serialize';
import { cli } from '../helpers/cli';
import { edge, graph, node } from '../helpers/graphs';

const registry = appRegistry();
let root: string;
let graphFile: string;
let record: DataFileRecord;

const spins = Int8Array.from({ length: 60 * 4 * 4 }, (_, i) => ((i * 7919) % 5 < 2 ? 1 : -1));
const T = Float64Array.from({ length: 60 }, (_, i) => (i < 30 ? 2 : 3));

beforeEach(async () => {
  // graphs/ and data/ side by side, as a project keeps them: the graph names ../data/lattice.npy
  root = mkdtempSync(join(tmpdir(), 'blockspin-import-'));
  mkdirSync(join(root, 'graphs'));
  mkdirSync(join(root, 'data'));
  const bytes = encodeNpy(spins, [60, 4, 4]);
  const temperatures = encodeNpy(T, [60]);
  writeFileSync(join(root, 'data', 'lattice.npy'), bytes);
  writeFileSync(join(root, 'data', 'lattice.T.npy'), temperatures);
  record = await describeDataFile(
    { name: '../data/lattice.npy', bytes },
    { name: '../data/lattice.T.npy', bytes: temperatures },
  );
  graphFile = join(root, 'graphs', 'import.blockspin.json');
  writeGraph(record);
});

function writeGraph(file: unknown): void {
  const doc = graph(
    [node('data', 'data.import', { file }), node('obs', 'measure.observables')],
    [edge('data.spins', 'obs.spins')],
    'import',
  );
  writeFileSync(graphFile, serializeGraph(doc));
}

async function run(options: { graphFile?: string } = { graphFile }): Promise<RunResult> {
  const loaded = loadGraphText(readFileSync(graphFile, 'utf8'), registry);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return runGraph(loaded.graph, { registry, ...options });
}

describe('Import data in the CLI', () => {
  it('reads the spins and their temperatures relative to the graph file', async () => {
    const result = await run();
    expect(result.failed).toEqual([]);
    const data = result.summary.nodes.data.outputs.spins as { shape: number[]; temperatures: number[] };
    expect(data).toMatchObject({ type: 'spins', shape: [60, 4, 4], temperatures: [2, 3] });
    const table = result.summary.nodes.obs.outputs.table as { rows: number[][] };
    expect(table.rows.map((r) => r.slice(0, 3))).toEqual([
      [2, 4, 30],
      [3, 4, 30],
    ]);
    // written out again as the CLI writes every spins output
    const written = result.files.find((f) => f.name === 'data.spins.npy')!;
    expect(written.bytes).toEqual(new Uint8Array(readFileSync(join(root, 'data', 'lattice.npy'))));
  });

  it('fails with a message naming the file when it is missing, and the nodes below say where it came from', async () => {
    rmSync(join(root, 'data', 'lattice.T.npy'));
    const result = await run();
    expect(result.failed.sort()).toEqual(['data', 'obs']);
    expect(result.summary.nodes.data.error).toBe(
      `../data/lattice.T.npy: there is no such file (looked for ${join(root, 'data', 'lattice.T.npy')}, relative to the graph file)`,
    );
    expect(result.summary.nodes.obs.error).toBe("upstream node 'data' failed");
  });

  it('refuses a changed file, by its size before reading it and by its SHA-256 after', async () => {
    const path = join(root, 'data', 'lattice.npy');
    const bytes = readFileSync(path);
    writeFileSync(path, Buffer.concat([bytes, Buffer.from([1])]));
    expect((await run()).summary.nodes.data.error).toBe(
      `../data/lattice.npy is not the file this graph was made with (it has ${bytes.length + 1} bytes, the graph records ${bytes.length}): put the recorded file back, or import the new one`,
    );
    bytes[bytes.length - 1] = -bytes[bytes.length - 1] & 0xff;
    writeFileSync(path, bytes);
    expect((await run()).summary.nodes.data.error).toMatch(
      /^\.\.\/data\/lattice\.npy is not the file this graph was made with \(its SHA-256 is [0-9a-f]{12}…, the graph records [0-9a-f]{12}…\)/,
    );
  });

  it('refuses a path that is absolute or not a regular file, and a run with no graph file to read relative to', async () => {
    writeGraph({ ...record, name: join(root, 'data', 'lattice.npy') });
    expect((await run()).summary.nodes.data.error).toBe(
      `${join(root, 'data', 'lattice.npy')}: a file is named by its path relative to the graph file, not an absolute path`,
    );
    writeGraph({ ...record, name: '../data', temperatures: undefined });
    expect((await run()).summary.nodes.data.error).toMatch(/^\.\.\/data: it is not a regular file \(looked for /);
    writeGraph(record);
    expect((await run({})).summary.nodes.data.error).toBe(
      '../data/lattice.npy: this run has no graph file to read it relative to (RunOptions.graphFile)',
    );
    await expect(
      directoryFileStore(root).read({ name: '/dev/zero', sha256: 'a'.repeat(64), bytes: 10 }),
    ).rejects.toThrow('/dev/zero: a file is named by its path relative to the graph file');
    await expect(directoryFileStore('/dev').read({ name: 'zero', sha256: 'a'.repeat(64), bytes: 10 })).rejects.toThrow(
      'zero: it is not a regular file',
    );
  });

  it('refuses, before anything runs, a graph whose recorded file needs more memory than allowed', () => {
    const big = { ...record, shape: [1_000_000, 32, 32], temperatures: undefined };
    writeGraph(big);
    const loaded = loadGraphText(readFileSync(graphFile, 'utf8'), registry, [], 500e6);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    // the spins (1.03 GB) and Observables' copy of them in its worker
    expect(loaded.errors[0]).toMatch(/^this graph needs about 2\.1 GB of memory; the budget is 500 MB; largest: /);
  });

  it('refuses a graph whose record of the file is not a record, at its place', () => {
    writeGraph({ ...record, sha256: 'not a hash' });
    const loaded = loadGraphText(readFileSync(graphFile, 'utf8'), registry);
    expect(loaded).toEqual({
      ok: false,
      errors: ["nodes[0].params.file.sha256 (node 'data'): sha256 must be 64 lower-case hex digits (sha256sum FILE)"],
    });
  });
});

describe('RBM files in the CLI', () => {
  it('import as an rbm output, and leave again as the same bytes', async () => {
    const train = graph(
      [
        node('data', 'data.import', { file: record }),
        node('rbm', 'rbm.layer', { hidden: 5, epochs: 2, batchSize: 20 }),
      ],
      [edge('data.spins', 'rbm.data')],
    );
    const trained = await runGraph(train, { registry, graphFile });
    expect(trained.failed).toEqual([]);
    const npz = trained.files.find((f) => f.name === 'rbm.model.npz')!;
    writeFileSync(join(root, 'graphs', 'rbm.model.npz'), npz.bytes);
    const model = await describeDataFile({ name: 'rbm.model.npz', bytes: npz.bytes });
    expect(model).toMatchObject({ kind: 'model', layers: [[16, 5]], visibleShape: [4, 4] });
    const back = await runGraph(graph([node('again', 'data.import', { file: model })]), { registry, graphFile });
    expect(back.failed).toEqual([]);
    expect(back.files.find((f) => f.name === 'again.model.npz')!.bytes).toEqual(npz.bytes);
  }, 60_000);
});

describe('Import data through `graph run`', () => {
  it('reads the file relative to the graph file (not the working directory) and writes its outputs', () => {
    const out = join(root, 'out');
    const { code, stderr } = cli('run', graphFile, '--out', out);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.nodes.data.status).toBe('done');
    expect(summary.nodes.obs.outputs.table.rows).toHaveLength(2); // T = 2 and 3
    expect(readFileSync(join(out, 'data.spins.npy')).subarray(-spins.length)).toEqual(Buffer.from(spins.buffer));
  }, 60_000);
});

describe('Import data written by hand as a bare path', () => {
  it('is read relative to the graph file, with its .T.npy, as if the record were written', () => {
    writeGraph('../data/lattice.npy');
    const out = join(root, 'out-path');
    const { code, stderr } = cli('run', graphFile, '--out', out);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.nodes.obs.outputs.table.rows.map((r: number[]) => r[0])).toEqual([2, 3]);
  }, 60_000);

  it('names the node and the path when the file is not there', () => {
    writeGraph('../data/missing.npy');
    const { code, stderr } = cli('validate', graphFile);
    expect(code).toBe(1);
    expect(stderr).toContain(
      "nodes[0].params.file (node 'data'): there is no file ../data/missing.npy beside the graph",
    );
  }, 60_000);
});
