import { describe, expect, it } from 'vitest';
import { AUTOSAVE_PREFIX, MAX_AUTOSAVES, releaseTabId } from '../../src/editor/autosave';
import { COMMANDS } from '../../src/editor/commands';
import { MemoryStore } from '../../src/editor/storage';
import { parseGraph } from '../../src/graph/parse';
import { serializeGraph } from '../../src/graph/serialize';
import { TestEditor, examples, registry } from '../helpers/test-editor';

const example = (name: string) => examples.find((e) => e.name === name)!.text;

function withBasics(): TestEditor {
  const t = new TestEditor();
  t.editor.openExample('ising-basics');
  return t;
}

describe('Editor: one action, one undo step', () => {
  it('deletes a connected node with all its edges, and one undo restores every edge', () => {
    const t = withBasics();
    const before = t.text();
    const [nodes, edges] = [t.doc.nodes.length, t.doc.edges.length];
    const target = t.doc.nodes.find((n) => n.type === 'measure.correlation')!.id;
    const wires = t.edgesAt(target).length;
    expect(wires).toBeGreaterThan(1);
    t.select(target);
    expect(t.run('delete')).toBe(true);
    expect(t.doc.nodes).toHaveLength(nodes - 1);
    expect(t.doc.edges).toHaveLength(edges - wires);
    t.run('undo');
    expect(t.text()).toBe(before);
    t.run('redo');
    expect(t.doc.edges).toHaveLength(edges - wires);
  });

  it('deletes selected edges and nodes together', () => {
    const t = withBasics();
    const edge = t.doc.edges[0];
    const node = t.doc.nodes.find((n) => n.id !== edge.source && n.id !== edge.target && t.edgesAt(n.id).length)!;
    t.editor.select([node.id], [edge.id]);
    const before = t.text();
    t.run('delete');
    expect(t.doc.edges.some((e) => e.id === edge.id)).toBe(false);
    expect(t.doc.nodes.some((n) => n.id === node.id)).toBe(false);
    t.run('undo');
    expect(t.text()).toBe(before);
  });

  it('adds, wires, moves and relabels, each one step, and tells the runner of every document', () => {
    const t = new TestEditor();
    t.run('new');
    const lattice = t.add('ising.lattice', { x: 0, y: 0 });
    const obs = t.add('measure.observables', { x: 300, y: 0 });
    expect(t.wire(lattice, 'spins', obs, 'spins')).toBe(true);
    t.drag({ [obs]: { x: 420.4, y: 80 } });
    t.editor.setLabel(obs, 'measured');
    const states = [t.text()];
    for (let i = 0; i < 5; i++) {
      t.run('undo');
      states.push(t.text());
    }
    expect(new Set(states).size).toBe(6);
    expect(t.nodeIds()).toEqual([]);
    expect(t.runner.graphs.at(-1)).toBe(t.doc);
  });

  it('refuses a wire with the reason and changes nothing', () => {
    const t = new TestEditor();
    t.run('new');
    const a = t.add('ising.lattice');
    const b = t.add('measure.observables', { x: 300, y: 0 });
    const before = t.text();
    expect(t.wire(b, 'table', a, 'constructor')).toBe(false);
    expect(t.snapshot.notice?.text).toMatch(/Cannot connect/);
    expect(t.text()).toBe(before);
    expect(t.snapshot.canUndo).toBe(true); // the two adds, and nothing else
    t.run('undo');
    t.run('undo');
    expect(t.snapshot.canUndo).toBe(true); // the 'new' step
  });

  it('makes a slider drag one step, and a later edit of the same param another', () => {
    const t = withBasics();
    const lattice = t.doc.nodes.find((n) => n.type === 'ising.lattice')!;
    const start = t.text();
    for (const L of [10, 12, 14, 16])
      expect(t.editor.setParams(lattice.id, { ...lattice.params, L }, 'slider')).toEqual([]);
    t.editor.endGesture();
    t.editor.setParams(lattice.id, { ...lattice.params, L: 20 }, 'slider');
    t.run('undo');
    expect(t.doc.nodes.find((n) => n.id === lattice.id)!.params.L).toBe(16);
    t.run('undo');
    expect(t.text()).toBe(start);
  });

  it('rejects params that do not fit the schema, naming the field, and changes nothing', () => {
    const t = withBasics();
    const lattice = t.doc.nodes.find((n) => n.type === 'ising.lattice')!;
    const before = t.text();
    const problems = t.editor.setParams(lattice.id, { ...lattice.params, L: -3 });
    expect(problems.join()).toMatch(/^L:/);
    expect(t.text()).toBe(before);
  });

  it('duplicates and pastes with fresh ids, as one step each', () => {
    const t = withBasics();
    const ids = t.doc.edges.slice(0, 1).flatMap((e) => [e.source, e.target]);
    t.select(...ids);
    const before = t.text();
    t.run('duplicate');
    expect(t.doc.nodes.length).toBe(parseGraph(before, registry).ok && JSON.parse(before).nodes.length + 2);
    expect(t.snapshot.selection).toHaveLength(2);
    expect(t.snapshot.selection.some((id) => ids.includes(id))).toBe(false);
    t.run('undo');
    expect(t.text()).toBe(before);
    t.select(...ids);
    t.run('copy');
    t.run('paste');
    expect(t.doc.edges.length).toBe(JSON.parse(before).edges.length + 1);
    t.run('undo');
    expect(t.text()).toBe(before);
  });

  it('opens New, an example, a file and a share link as undoable steps', async () => {
    const t = withBasics();
    const work = t.text();
    t.run('new');
    expect(t.doc.nodes).toHaveLength(0);
    expect(t.snapshot.notice?.actions.map((a) => a.label)).toEqual(['Undo']);
    t.snapshot.notice!.actions[0].run();
    expect(t.text()).toBe(work);
    t.editor.openText(example('rbm-basics'), 'rbm.blockspin.json');
    t.run('undo');
    expect(t.text()).toBe(work);
    const other = new TestEditor();
    other.editor.openExample('binder-crossing');
    const hash = await other.editor.shareFragment();
    expect(await t.editor.openShareFragment(hash)).toBe(true);
    expect(t.text()).toBe(other.text());
    expect(t.snapshot.notice?.text).toMatch(/Undo brings back/);
    t.run('undo');
    expect(t.text()).toBe(work);
  });

  it('drops the Undo notice of an opened graph at the next edit, so it never undoes something else', () => {
    const t = withBasics();
    t.editor.openExample('rbm-basics');
    expect(t.snapshot.notice?.actions.map((a) => a.label)).toEqual(['Undo']);
    t.editor.setTitle('edited');
    expect(t.snapshot.notice).toBeNull();
  });

  it('keeps the graph and says why when a file cannot be opened', () => {
    const t = withBasics();
    const before = t.text();
    expect(t.editor.openText('{"format": "blockspin.graph", "version": 1, "nodes": [', 'bad.json')).toBe(false);
    expect(t.snapshot.problems?.title).toMatch(/bad\.json could not be opened; the current graph is unchanged/);
    expect(t.text()).toBe(before);
  });

  it('edits the title, which names the saved file', () => {
    const t = withBasics();
    t.editor.setTitle('  My RG run ');
    t.run('save');
    expect(t.downloads.at(-1)!.name).toBe('My-RG-run.blockspin.json');
    expect(t.downloads.at(-1)!.text).toBe(t.text());
    t.run('undo');
    expect(t.doc.meta.title).not.toBe('My RG run');
  });

  it('pauses the runner and resumes it', () => {
    const t = withBasics();
    t.run('pause');
    expect(t.snapshot.paused).toBe(true);
    t.run('pause');
    expect(t.runner.paused).toEqual([true, false]);
  });

  it('pins and collapses nodes, and forgets pins of deleted nodes (ids are reused)', () => {
    const t = withBasics();
    const plot = t.doc.nodes.find((n) => n.type === 'plot')!.id;
    t.editor.togglePin(plot);
    t.editor.toggleCollapsed(plot);
    expect(t.snapshot.pins).toEqual([plot]);
    t.select(plot);
    t.run('delete');
    expect(t.snapshot.pins).toEqual([]);
    expect(t.snapshot.collapsed).toEqual([]);
  });

  it('aligns and distributes the selection', () => {
    const t = new TestEditor();
    t.run('new');
    const ids = [
      t.add('ising.lattice', { x: 0, y: 0 }),
      t.add('ising.lattice', { x: 500, y: 37 }),
      t.add('ising.lattice', { x: 100, y: 400 }),
    ];
    t.select(...ids);
    t.run('align-top');
    expect(t.doc.nodes.map((n) => n.position.y)).toEqual([0, 0, 0]);
    t.run('distribute-x');
    const xs = t.doc.nodes.map((n) => n.position.x).sort((a, b) => a - b);
    expect(xs[1] - xs[0]).toBe(xs[2] - xs[1]);
    t.run('undo');
    t.run('undo');
    expect(t.doc.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 500, y: 37 },
      { x: 100, y: 400 },
    ]);
    t.select(ids[0]);
    expect(t.run('align-left')).toBe(false);
  });

  it('snaps added and dragged nodes to the grid when asked', () => {
    const t = new TestEditor();
    t.run('new');
    t.run('snap');
    const id = t.add('ising.lattice', { x: 33, y: 47 });
    expect(t.doc.nodes[0].position).toEqual({ x: 40, y: 40 });
    t.drag({ [id]: { x: 71, y: 9 } });
    expect(t.doc.nodes[0].position).toEqual({ x: 80, y: 0 });
  });

  it('frames the selection; moving the frame moves what it holds; notes are added and edited', () => {
    const t = new TestEditor();
    t.run('new');
    const a = t.add('ising.lattice', { x: 100, y: 100 });
    const b = t.add('measure.observables', { x: 400, y: 100 });
    const outside = t.add('ising.lattice', { x: 2000, y: 2000 });
    t.select(a, b);
    t.run('add-frame');
    const frame = t.doc.frames![0];
    expect(t.snapshot.selection).toEqual([frame.id]);
    t.editor.updateFrame(frame.id, { title: 'RG branch' });
    t.drag({ [frame.id]: { x: frame.position.x + 50, y: frame.position.y + 10 } });
    const at = (id: string) => t.doc.nodes.find((n) => n.id === id)!.position;
    expect(at(a)).toEqual({ x: 150, y: 110 });
    expect(at(b)).toEqual({ x: 450, y: 110 });
    expect(at(outside)).toEqual({ x: 2000, y: 2000 });
    const note = t.editor.addNote({ x: 10, y: 500 });
    t.editor.setNoteText(note, 'Tc = 2.269');
    const reopened = parseGraph(t.text(), registry);
    expect(reopened.ok && reopened.graph.frames?.[0].title).toBe('RG branch');
    expect(reopened.ok && reopened.graph.notes?.[0].text).toBe('Tc = 2.269');
    t.select(frame.id, note);
    t.run('delete');
    expect(t.doc.frames).toEqual([]);
    expect(t.doc.nodes).toHaveLength(3);
  });

  it('Escape closes an overlay first, then clears the selection', () => {
    const t = withBasics();
    t.select(t.doc.nodes[0].id);
    t.run('help');
    t.run('close');
    expect(t.overlays).toBe(0);
    expect(t.snapshot.selection).toHaveLength(1);
    t.run('close');
    expect(t.snapshot.selection).toEqual([]);
  });

  it('select all selects every node, frame and note', () => {
    const t = withBasics();
    t.run('select-all');
    expect(t.snapshot.selection).toHaveLength(t.doc.nodes.length);
  });
});

describe('Editor: the command list', () => {
  it('has unique ids and no key bound to two commands', () => {
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
    const keys = COMMANDS.flatMap((c) => c.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('each command does what it says', () => {
    const checks: Record<string, (t: TestEditor, before: string) => void> = {
      new: (t) => expect(t.doc.nodes).toEqual([]),
      open: (t) => expect(t.viewCalls).toEqual(['openFileDialog']),
      save: (t) => expect(t.downloads.map((d) => d.text)).toEqual([t.text()]),
      // three nodes selected, none of them a model: nothing to download
      'download-model': (t) => expect(t.viewCalls).toEqual([]),
      share: (t) => expect(t.viewCalls).toEqual(['share']),
      pause: (t) => expect(t.snapshot.paused).toBe(true),
      undo: (t, before) => expect(t.text()).not.toBe(before),
      redo: (t, before) => expect(t.text()).toBe(before), // nothing to redo after a fresh open
      delete: (t) => expect(t.doc.nodes.length).toBe(JSON.parse(example('ising-basics')).nodes.length - 3),
      duplicate: (t) => expect(t.doc.nodes.length).toBe(JSON.parse(example('ising-basics')).nodes.length + 3),
      copy: (t) => expect(JSON.parse(t.clipboard.text).nodes).toHaveLength(3),
      paste: (t, before) => expect(t.text()).toBe(before), // an empty clipboard pastes nothing
      'select-all': (t) => expect(t.snapshot.selection).toHaveLength(t.doc.nodes.length),
      'add-node': (t) => expect(t.overlays).toBe(1),
      'add-note': (t) => expect(t.doc.notes).toHaveLength(1),
      'add-frame': (t) => expect(t.doc.frames).toHaveLength(1),
      'align-left': (t) => expect(new Set(t.selectedPositions().map((p) => p.x)).size).toBe(1),
      'align-top': (t) => expect(new Set(t.selectedPositions().map((p) => p.y)).size).toBe(1),
      'align-center-x': (t) => expect(new Set(t.selectedPositions().map((p) => p.x)).size).toBe(1),
      'align-center-y': (t) => expect(new Set(t.selectedPositions().map((p) => p.y)).size).toBe(1),
      'distribute-x': (t) => {
        const xs = t
          .selectedPositions()
          .map((p) => p.x)
          .sort((a, b) => a - b);
        expect(Math.abs(xs[1] - xs[0] - (xs[2] - xs[1]))).toBeLessThanOrEqual(1);
      },
      'distribute-y': (t) => {
        const ys = t
          .selectedPositions()
          .map((p) => p.y)
          .sort((a, b) => a - b);
        expect(Math.abs(ys[1] - ys[0] - (ys[2] - ys[1]))).toBeLessThanOrEqual(1);
      },
      snap: (t) => expect(t.snapshot.snapToGrid).toBe(true),
      fit: (t) => expect(t.viewCalls).toEqual(['fitView']),
      close: (t) => expect(t.snapshot.selection).toEqual([]),
      help: (t) => expect(t.overlays).toBe(1),
    };
    expect(Object.keys(checks).sort()).toEqual(COMMANDS.map((c) => c.id).sort());
    for (const command of COMMANDS) {
      const t = withBasics();
      t.select(t.doc.nodes[0].id, t.doc.nodes[3].id, t.doc.nodes[6].id);
      const before = t.text();
      t.run(command.id, { x: 50, y: 50 });
      checks[command.id](t, before);
    }
  });

  it('runs every command on a fresh editor without throwing', () => {
    for (const command of COMMANDS) {
      const t = withBasics();
      t.select(t.doc.nodes[0].id, t.doc.nodes[1].id, t.doc.nodes[2].id);
      expect(() => t.run(command.id, { x: 50, y: 50 })).not.toThrow();
    }
  });
});

describe('Editor: persistence', () => {
  it('restores exactly the last document after a reload, with pins and collapsed nodes', () => {
    const t = withBasics();
    const plot = t.doc.nodes.find((n) => n.type === 'plot')!.id;
    t.editor.togglePin(plot);
    t.editor.toggleCollapsed(plot);
    t.drag({ [plot]: { x: 999, y: 111 } });
    const reloaded = t.reload();
    expect(reloaded.text()).toBe(t.text());
    expect(reloaded.snapshot.pins).toEqual([plot]);
    expect(reloaded.snapshot.collapsed).toEqual([plot]);
    expect(reloaded.editor.tabId).toBe(t.editor.tabId);
  });

  it('opens a new tab on the newest autosave of any tab; a duplicated tab gets its own key', () => {
    const t = withBasics();
    const copy = t.duplicateTab();
    expect(copy.editor.tabId).not.toBe(t.editor.tabId);
    expect(copy.text()).toBe(t.text());
    copy.run('new');
    t.editor.setTitle('still mine');
    // neither overwrote the other
    expect(t.reload().doc.meta.title).toBe('still mine');
    expect(copy.reload().doc.nodes).toHaveLength(0);
    const fresh = t.newTab();
    expect([t.text(), copy.text()]).toContain(fresh.text());
  });

  it('two tabs edit side by side and each reload finds its own work', () => {
    const storage = new MemoryStore();
    const a = new TestEditor({ storage });
    a.editor.openExample('rbm-basics');
    const b = a.newTab();
    b.editor.openExample('decimation-1d');
    a.editor.setTitle('A');
    b.editor.setTitle('B');
    expect(a.reload().doc.meta.title).toBe('A');
    expect(b.reload().doc.meta.title).toBe('B');
  });

  it('keeps a corrupt autosave, offers it for download, and never overwrites it', () => {
    const t = withBasics();
    const key = AUTOSAVE_PREFIX + t.editor.tabId;
    const record = JSON.parse(t.storage!.getItem(key)!);
    record.graph = record.graph.slice(0, 200); // cut short
    t.storage!.setItem(key, JSON.stringify(record));
    const damaged = t.storage!.getItem(key);
    const reloaded = t.reload();
    expect(reloaded.snapshot.notice?.tone).toBe('warning');
    expect(reloaded.snapshot.notice?.text).toMatch(/could not be opened/);
    reloaded.snapshot.notice!.actions[0].run();
    expect(reloaded.downloads.at(-1)!.text).toBe(record.graph);
    reloaded.run('new');
    reloaded.add('ising.lattice');
    expect(reloaded.editor.tabId).not.toBe(t.editor.tabId);
    expect(t.storage!.getItem(key)).toBe(damaged);
  });

  it('keeps an autosave from a newer Blockspin instead of replacing it with the example', () => {
    const t = withBasics();
    const key = AUTOSAVE_PREFIX + t.editor.tabId;
    const record = JSON.parse(t.storage!.getItem(key)!);
    record.graph = record.graph.replace(/"version": \d+/, '"version": 99');
    t.storage!.setItem(key, JSON.stringify(record));
    const reloaded = t.reload();
    expect(reloaded.snapshot.notice?.text).toMatch(/newer Blockspin/);
    reloaded.add('ising.lattice');
    expect(JSON.parse(t.storage!.getItem(key)!).graph).toMatch(/"version": 99/);
  });

  it('says when the storage is full, offers a download, and recovers when it can write again', () => {
    const storage = new MemoryStore(60_000);
    const t = new TestEditor({ storage });
    t.editor.openExample('ising-basics');
    expect(t.snapshot.autosave).toBe('on');
    t.editor.setNoteText(t.editor.addNote({ x: 0, y: 0 }), 'x'.repeat(2000));
    for (let i = 0; i < 40 && t.snapshot.autosave === 'on'; i++) t.editor.addNote({ x: i, y: 0 });
    // big notes until the quota is hit
    for (let i = 0; i < 40 && t.snapshot.autosave === 'on'; i++)
      t.editor.setNoteText(t.doc.notes![i].id, 'y'.repeat(2000));
    expect(t.snapshot.autosave).toBe('failing');
    expect(t.snapshot.notice?.text).toMatch(/Autosave failed \(the browser storage is full\)/);
    t.snapshot.notice!.actions[0].run();
    expect(t.downloads.at(-1)!.text).toBe(t.text());
    t.run('new');
    expect(t.snapshot.autosave).toBe('on');
  });

  it('removes other tabs’ oldest autosaves first when the store is full', () => {
    const storage = new MemoryStore(120_000);
    const old = new TestEditor({ storage });
    old.editor.openExample('mehta-schwab-2014');
    const oldKey = AUTOSAVE_PREFIX + old.editor.tabId;
    const tabs = [1, 2].map(() => old.newTab());
    for (const tab of tabs) tab.editor.openExample('binder-crossing');
    const current = old.newTab();
    current.editor.openExample('ising-basics');
    const others = tabs.map((tab) => AUTOSAVE_PREFIX + tab.editor.tabId);
    for (let i = 0; i < 100 && storage.getItem(oldKey) !== null; i++)
      current.editor.setNoteText(current.editor.addNote({ x: i, y: 0 }), 'z'.repeat(1800));
    expect(storage.getItem(oldKey)).toBeNull();
    expect(current.snapshot.autosave).toBe('on');
    // the oldest went first: the newer tabs' autosaves are all still there
    for (const key of others) expect(storage.getItem(key)).not.toBeNull();
  });

  it(`keeps at most ${MAX_AUTOSAVES} autosaves, removing the oldest`, () => {
    const storage = new MemoryStore();
    const first = new TestEditor({ storage });
    for (let i = 0; i < MAX_AUTOSAVES + 5; i++) first.newTab();
    const keys = [...storage.items.keys()].filter((k) => k.startsWith(AUTOSAVE_PREFIX));
    expect(keys).toHaveLength(MAX_AUTOSAVES);
    expect(keys).not.toContain(AUTOSAVE_PREFIX + first.editor.tabId);
  });

  it('works without storage and says it cannot autosave', () => {
    const t = new TestEditor({ storage: null, session: null });
    expect(t.snapshot.autosave).toBe('unavailable');
    expect(t.snapshot.notice?.text).toMatch(/cannot autosave/);
    expect(t.doc.nodes.length).toBeGreaterThan(0); // the first example
    const id = t.add('ising.lattice');
    t.select(id);
    t.run('delete');
    t.run('undo');
    expect(t.nodeIds()).toContain(id);
  });

  it('reads an autosave of the first scheme once and moves it to the versioned key', () => {
    const storage = new MemoryStore();
    const session = new MemoryStore();
    const text = example('rbm-basics');
    storage.setItem('blockspin.autosave.abc12345', text);
    storage.setItem('blockspin.autosave.latest', 'blockspin.autosave.abc12345');
    session.setItem('blockspin.tab', 'abc12345');
    const t = new TestEditor({ storage, session });
    expect(t.text()).toBe(
      serializeGraph((parseGraph(text, registry) as Extract<ReturnType<typeof parseGraph>, { ok: true }>).graph),
    );
    expect(storage.getItem('blockspin.autosave.latest')).toBeNull();
    expect(storage.getItem(AUTOSAVE_PREFIX + t.editor.tabId)).not.toBeNull();
  });

  it('opens ?example=NAME over the restored work as an undoable step, and a reload keeps later edits', () => {
    const t = withBasics();
    const work = t.text();
    releaseTabId(t.session, t.editor.tabId);
    const opened = new TestEditor({ storage: t.storage, session: t.session, search: '?example=rbm-flow' });
    expect(opened.doc.meta.title).toBe(JSON.parse(example('rbm-flow')).meta.title);
    expect(opened.snapshot.notice?.text).toMatch(/Undo brings back/);
    opened.editor.setTitle('edited after the example');
    // the page removed ?example= from the address bar: the reload has no search
    expect(opened.reload().doc.meta.title).toBe('edited after the example');
    opened.run('undo');
    opened.run('undo');
    expect(opened.text()).toBe(work);
  });
});

describe('Editor: placeholders', () => {
  const unknown = JSON.stringify({
    format: 'blockspin.graph',
    version: 1,
    meta: { title: 'future' },
    nodes: [
      {
        id: 'x',
        type: 'future.node',
        typeVersion: 3,
        position: { x: 5, y: 6 },
        params: { a: 1 },
        extra: { keep: true },
      },
      { id: 'lattice', type: 'ising.lattice', typeVersion: 1, position: { x: 0, y: 0 }, params: {} },
    ],
    edges: [],
  });

  it('duplicated, pasted and moved placeholders write a file that reopens with the new ids and places', () => {
    const t = new TestEditor();
    expect(t.editor.openText(unknown, 'future.json')).toBe(true);
    t.select('x');
    t.run('duplicate');
    t.select('x');
    t.run('copy');
    t.run('paste');
    t.drag({ x: { x: 100, y: 200 } });
    const reopened = parseGraph(t.text(), registry);
    expect(reopened.ok).toBe(true);
    if (!reopened.ok) return;
    const placeholders = reopened.graph.nodes.filter((n) => n.placeholder);
    expect(placeholders.map((n) => n.id)).toEqual(['x', 'x-2', 'x-3']);
    expect(placeholders[0].position).toEqual({ x: 100, y: 200 });
    for (const node of placeholders)
      expect(node.placeholder!.raw).toMatchObject({ type: 'future.node', params: { a: 1 }, extra: { keep: true } });
  });
});
