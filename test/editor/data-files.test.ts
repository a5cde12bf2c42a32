/**
 * Data files dropped on the canvas or chosen in the inspector: a .npy (with its .T.npy) or an RBM's .npz
 * becomes an Import data node in one undo step, its bytes kept in the file store by content; a file that
 * cannot be imported is named with the reason; and a node given a file of another kind loses the wires its
 * new file cannot feed.
 */
import { describe, expect, it } from 'vitest';
import { pairDataFiles } from '../../src/editor/data-files';
import { MemoryFileStore } from '../../src/editor/file-store';
import type { DataFileRecord } from '../../src/graph/data-file';
import { encodeNpy } from '../../src/graph/npy';
import { rbmToNpz } from '../../src/graph/rbm-npz';
import { randomModel } from '../helpers/rbm-models';
import { TestEditor } from '../helpers/test-editor';

const spinsNpy = () =>
  new File(
    [
      encodeNpy(
        Int8Array.from({ length: 32 }, (_, i) => (i % 3 ? 1 : -1)),
        [2, 4, 4],
      ),
    ],
    'run.npy',
  );
const temperaturesNpy = () => new File([encodeNpy(new Float64Array([2.1, 2.4]), [2])], 'run.T.npy');
const modelNpz = () => new File([rbmToNpz({ ...randomModel(16, 4, 1), visibleShape: [4, 4] })], 'rbm.npz');

function editor(options: { memoryBudget?: number } = {}): { t: TestEditor; store: MemoryFileStore } {
  const store = new MemoryFileStore();
  const t = new TestEditor({ files: store, search: '', ...options });
  t.editor.newGraph();
  return { t, store };
}

const fileOf = (t: TestEditor, id: string) => t.doc.nodes.find((n) => n.id === id)!.params.file as DataFileRecord;

describe('pairDataFiles', () => {
  it('takes a .T.npy as the temperatures of the spins file it is named after, and names what it cannot import', () => {
    const files = [
      spinsNpy(),
      temperaturesNpy(),
      new File(['x'], 'lonely.T.npy'),
      new File(['x'], 'notes.txt'),
      modelNpz(),
    ];
    const { pairs, problems } = pairDataFiles(files);
    expect(pairs.map((p) => [p.file.name, p.temperatures?.name])).toEqual([
      ['run.npy', 'run.T.npy'],
      ['rbm.npz', undefined],
    ]);
    expect(problems).toEqual([
      'notes.txt: Import data reads a .npy (spins, or values in [0, 1]) or the .npz of an RBM',
      'lonely.T.npy holds temperatures: drop it together with lonely.npy, the spins they belong to',
    ]);
  });
});

describe('Editor.importDataFiles', () => {
  it('makes a dropped .npy and its .T.npy one Import data node where they fell, in one undo step', async () => {
    const { t, store } = editor();
    const before = t.text();
    const ids = await t.editor.importDataFiles([spinsNpy(), temperaturesNpy()], { x: 300, y: 120 });
    expect(ids).toHaveLength(1);
    const added = t.doc.nodes.find((n) => n.id === ids[0])!;
    expect(added).toMatchObject({ type: 'data.import', position: { x: 300, y: 120 }, params: { J: 1, h: 0 } });
    const record = fileOf(t, ids[0]);
    expect(record).toMatchObject({
      kind: 'spins',
      name: 'run.npy',
      shape: [2, 4, 4],
      temperatures: { name: 'run.T.npy' },
    });
    // kept by content, and the runner told, so a node that waited for these files runs
    expect([...store.files.keys()].sort()).toEqual(
      [record.sha256, record.kind === 'spins' ? record.temperatures!.sha256 : ''].sort(),
    );
    expect(t.runner.filesAdded.sort()).toEqual([...store.files.keys()].sort());
    expect(t.snapshot.selection).toEqual(ids);
    expect(t.snapshot.notice?.text).toBe('Imported run.npy (spins [2, 4, 4], temperatures from run.T.npy)');
    t.editor.undo();
    expect(t.text()).toBe(before);
  });

  it('makes several dropped files as many nodes, one below the other, and names the ones it refuses', async () => {
    const { t } = editor();
    const bad = new File([new Uint8Array([1, 2, 3])], 'broken.npy');
    const ids = await t.editor.importDataFiles([spinsNpy(), modelNpz(), bad], { x: 0, y: 0 });
    expect(ids.map((id) => fileOf(t, id).kind)).toEqual(['spins', 'model']);
    expect(t.doc.nodes.map((n) => n.position.y)).toEqual([0, 140]);
    expect(t.snapshot.problems).toEqual({
      title: '1 of the files could not be imported',
      lines: ['broken.npy: it is not a .npy file (3 bytes, too short for the header)'],
    });
  });

  it('replaces the file of a node, and drops the wires its new file cannot feed', async () => {
    const { t } = editor();
    const [id] = await t.editor.importDataFiles([spinsNpy()], { x: 0, y: 0 });
    const observables = t.add('measure.observables', { x: 400, y: 0 });
    expect(t.wire(id, 'spins', observables, 'spins')).toBe(true);
    expect(await t.editor.importDataFiles([modelNpz()], { x: 0, y: 0 }, id)).toEqual([id]);
    expect(fileOf(t, id).kind).toBe('model');
    expect(t.doc.nodes).toHaveLength(2);
    expect(t.doc.edges).toEqual([]);
  });

  it('keeps a file a node records already (missing in this browser) and runs that node, adding none', async () => {
    const { t, store } = editor();
    const [id] = await t.editor.importDataFiles([spinsNpy(), temperaturesNpy()], { x: 0, y: 0 });
    store.files.clear(); // as in another browser, where the graph came by a share link
    t.runner.filesAdded = [];
    const steps = t.text();
    expect(await t.editor.importDataFiles([spinsNpy(), temperaturesNpy()], { x: 300, y: 300 })).toEqual([id]);
    expect(t.doc.nodes).toHaveLength(1);
    expect(store.files.size).toBe(2);
    expect(t.runner.filesAdded).toHaveLength(2);
    expect(t.snapshot.notice?.text).toBe(
      "run.npy is already the file of 'import': kept in this browser, and the node runs with it",
    );
    // chosen again in its inspector: nothing to undo either
    expect(await t.editor.importDataFiles([spinsNpy(), temperaturesNpy()], { x: 0, y: 0 }, id)).toEqual([id]);
    expect(t.text()).toBe(steps);
    t.editor.undo();
    expect(t.doc.nodes).toHaveLength(0);
  });

  it('refuses a file whose node would take the graph over its memory budget', async () => {
    const { t } = editor({ memoryBudget: 100 });
    expect(await t.editor.importDataFiles([spinsNpy()], { x: 0, y: 0 })).toEqual([]);
    expect(t.doc.nodes).toEqual([]);
    expect(t.snapshot.problems?.lines[0]).toMatch(
      /^this graph needs about .* the budget is 100 bytes; largest: import/,
    );
  });

  it('says so when the page has no store to keep files in', async () => {
    const t = new TestEditor();
    expect(await t.editor.importDataFiles([spinsNpy()], { x: 0, y: 0 })).toEqual([]);
    expect(t.snapshot.problems?.lines).toEqual(['this page has no storage to keep data files in']);
  });
});

describe('the download-model command', () => {
  it('is offered for one selected node with a model output, and asks the view to download it', async () => {
    const { t } = editor();
    const [spins, model] = await t.editor.importDataFiles([spinsNpy(), modelNpz()], { x: 0, y: 0 });
    t.select(spins);
    expect(t.run('download-model')).toBe(false);
    const rbm = t.add('rbm.layer', { x: 500, y: 500 });
    t.select(model, rbm);
    expect(t.run('download-model')).toBe(false);
    t.select(model);
    expect(t.run('download-model')).toBe(true);
    t.select(rbm);
    expect(t.run('download-model')).toBe(true);
    expect(t.viewCalls).toEqual([`downloadModel:${model}`, `downloadModel:${rbm}`]);
  });
});

describe('MemoryFileStore', () => {
  it('names a missing file and says how to bring it back', async () => {
    await expect(new MemoryFileStore().read({ name: 'run.npy', sha256: 'ab'.repeat(32), bytes: 10 })).rejects.toThrow(
      "run.npy is not in this browser's storage (files are kept by content; this one's SHA-256 is abababababab…): drop the file on the canvas, or choose it in the node's inspector",
    );
  });
});
