/**
 * Graphs from elsewhere (a file, a PNG, a share link, a paste) open paused when they are heavy, and a graph
 * over the memory budget never runs: the editor says so, and refuses edits that take it further over.
 */
import { describe, expect, it } from 'vitest';
import { encodeShareFragment } from '../../src/editor/share';
import { serializeGraph } from '../../src/graph/serialize';
import { TestEditor, examples } from '../helpers/test-editor';

const example = (name: string) => examples.find((e) => e.name === name)!.text;

/** A runner that logs what it is told, in order. */
function logged(t: TestEditor): string[] {
  const log: string[] = [];
  const { setGraph, setPaused } = t.runner;
  t.runner.setGraph = (graph) => (log.push(`graph ${graph.meta.title}`), setGraph.call(t.runner, graph));
  t.runner.setPaused = (paused) => (log.push(`paused ${paused}`), setPaused.call(t.runner, paused));
  return log;
}

describe('a graph from elsewhere', () => {
  it('opens paused when it trains an RBM, says what it will do, and Run starts it', () => {
    const t = new TestEditor();
    const log = logged(t);
    expect(t.editor.openText(example('rbm-basics'), 'rbm-basics.blockspin.json')).toBe(true);
    // Paused before the runner sees the graph, so nothing of it starts.
    expect(log.slice(-2)).toEqual(['paused true', expect.stringMatching(/^graph /)]);
    expect(t.snapshot.paused).toBe(true);
    const notice = t.snapshot.notice!;
    expect(notice.text).toMatch(/It is paused: it trains an RBM, needs about [\d.]+ MB of memory\. Run starts it\./);
    expect(notice.actions.map((a) => a.label)).toEqual(['Run', 'Undo']);
    notice.actions[0].run();
    expect(t.snapshot.paused).toBe(false);
    expect(t.runner.paused.at(-1)).toBe(false);
  });

  it('opens paused when it needs more than about 256 MB, even without training', () => {
    const t = new TestEditor();
    t.editor.openText(example('binder-crossing'), 'binder.blockspin.json');
    expect(t.snapshot.paused).toBe(true);
    expect(t.snapshot.notice!.text).toMatch(/it needs about 336 MB of memory/);
  });

  it('stays paused after a reload until Run, and a reload after Run runs it', () => {
    const t = new TestEditor();
    t.editor.openText(example('rbm-basics'), 'rbm-basics.blockspin.json');
    const reloaded = t.reload();
    expect(reloaded.snapshot.paused).toBe(true);
    expect(reloaded.runner.paused).toEqual([true]);
    const notice = reloaded.snapshot.notice!;
    expect(notice.text).toBe('The graph is paused, as it was when this tab last showed it. Run starts it.');
    notice.actions[0].run();
    expect(reloaded.reload().snapshot.paused).toBe(false);
  });

  it('runs at once when it is light', () => {
    const t = new TestEditor();
    t.editor.openText(example('ising-basics'), 'ising-basics.blockspin.json');
    expect(t.snapshot.paused).toBe(false);
    expect(t.snapshot.notice!.tone).toBe('info');
  });

  it('from a share link is foreign too', async () => {
    const t = new TestEditor();
    expect(await t.editor.openShareFragment(await encodeShareFragment(example('rbm-flow')))).toBe(true);
    expect(t.snapshot.paused).toBe(true);
    expect(t.snapshot.notice!.text).toContain('trains an RBM');
  });

  it('but a bundled example runs at once, as before', () => {
    const t = new TestEditor();
    t.editor.openExample('rbm-basics');
    expect(t.snapshot.paused).toBe(false);
  });

  it('pasted from elsewhere pauses the graph when the pasted nodes train; pasting one’s own copy does not', () => {
    const t = new TestEditor();
    t.editor.openExample('rbm-basics');
    const other = new TestEditor();
    other.editor.openExample('rbm-flow');
    other.editor.selectAll();
    const foreign = other.editor.copySelection()!;
    t.editor.selectAll();
    const own = t.editor.copySelection()!;
    expect(t.editor.paste(own)).toBe(true);
    expect(t.snapshot.paused).toBe(false);
    expect(t.editor.paste(foreign)).toBe(true);
    expect(t.snapshot.paused).toBe(true);
    const count = other.doc.nodes.length;
    expect(t.snapshot.notice!.text).toMatch(
      new RegExp(`^Pasted ${count} nodes from elsewhere \\(the graph now trains 3 RBMs, needs about`),
    );
  });
});

describe('the memory budget', () => {
  it('marks a graph over budget, whatever its origin, and clears the mark when an edit brings it under', () => {
    const t = new TestEditor({ memoryBudget: 5e6 });
    t.editor.openExample('rbm-basics');
    expect(t.snapshot.overBudget).toMatch(
      /^this graph needs about 7.\d+ MB of memory; the budget is 5 MB; largest: '.+' \(rbm, RBM Layer\), [\d.]+ MB$/,
    );
    const rbm = t.doc.nodes.find((n) => n.id === 'rbm')!;
    expect(t.editor.setParams('rbm', { ...rbm.params, hidden: 4 })).toEqual([]);
    const lattice = t.doc.nodes.find((n) => n.id === 'lattice')!;
    expect(t.editor.setParams('lattice', { ...lattice.params, samples: 200 })).toEqual([]);
    expect(t.snapshot.overBudget).toBeNull();
  });

  it('a graph from elsewhere over the budget opens paused, and its notice says to edit it first', () => {
    const t = new TestEditor({ memoryBudget: 5e6 });
    t.editor.openText(example('rbm-basics'), 'rbm-basics.blockspin.json');
    expect(t.snapshot.paused).toBe(true);
    expect(t.snapshot.overBudget).not.toBeNull();
    expect(t.snapshot.notice!.text).toMatch(/more than the budget: edit it to need less, then Run\./);
  });

  it('refuses a param edit that takes the graph over budget, naming the figure, and keeps the document', () => {
    const t = new TestEditor({ memoryBudget: 50e6 });
    t.editor.openExample('ising-basics');
    const before = serializeGraph(t.doc);
    const lattice = t.doc.nodes.find((n) => n.id === 'lattice')!;
    const problems = t.editor.setParams('lattice', { ...lattice.params, samples: 100_000 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /needs about 2.04 GB of memory; the budget is 50 MB; largest: '.+' \(lattice, Lattice Generator\)/,
    );
    expect(serializeGraph(t.doc)).toBe(before);
    expect(t.snapshot.overBudget).toBeNull();
  });

  it('has no limit unless one is given', () => {
    const t = new TestEditor();
    t.editor.openExample('mehta-schwab-2014');
    expect(t.snapshot.overBudget).toBeNull();
  });
});
