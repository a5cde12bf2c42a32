/**
 * Random command sequences through the headless editor (fast-check), checking what must hold after any
 * of them: undo restores the previous document byte for byte and redo re-applies it, a reload restores
 * exactly the last document, every autosave written re-opens, and placeholders round-trip unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/editor/storage';
import { parseGraph } from '../../src/graph/parse';
import { serializeGraph } from '../../src/graph/serialize';
import { TestEditor, examples, registry } from '../helpers/test-editor';

/** Command sequences per run; each is up to MAX_STEPS commands long. */
export const SEQUENCES = 300;
const MAX_STEPS = 30;

const TYPES = registry.all().map((d) => d.type);

const withPlaceholder = JSON.stringify({
  format: 'blockspin.graph',
  version: 1,
  meta: { title: 'with a node from the future' },
  nodes: [
    { id: 'lattice', type: 'ising.lattice', typeVersion: 1, position: { x: 0, y: 0 }, params: { L: 8 } },
    {
      id: 'future',
      type: 'future.thing',
      typeVersion: 7,
      position: { x: 300, y: 0 },
      params: { z: [1, 2] },
      more: 'kept',
    },
  ],
  edges: [],
});

/** A store that remembers every value written, to check that each autosave re-opens. */
class RecordingStore extends MemoryStore {
  written: string[] = [];
  override setItem(key: string, value: string): void {
    super.setItem(key, value);
    this.written.push(value);
  }
}

type Step =
  | { kind: 'add'; type: number; x: number; y: number }
  | { kind: 'wire'; a: number; b: number; out: number; in: number }
  | { kind: 'select'; picks: number[]; edges: number[] }
  | { kind: 'command'; id: string }
  | { kind: 'move'; pick: number; x: number; y: number }
  | { kind: 'param'; pick: number; value: number; gesture: boolean }
  | { kind: 'label'; pick: number; label: string }
  | { kind: 'title'; title: string }
  | { kind: 'example'; index: number }
  | { kind: 'open-placeholder' }
  | { kind: 'note'; text: string }
  | { kind: 'end-gesture' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    type: fc.nat(),
    x: fc.integer({ min: -500, max: 2000 }),
    y: fc.integer({ min: -500, max: 2000 }),
  }),
  fc.record({ kind: fc.constant('wire' as const), a: fc.nat(), b: fc.nat(), out: fc.nat(), in: fc.nat() }),
  fc.record({
    kind: fc.constant('select' as const),
    picks: fc.array(fc.nat(), { maxLength: 3 }),
    edges: fc.array(fc.nat(), { maxLength: 2 }),
  }),
  fc.record({
    kind: fc.constant('command' as const),
    id: fc.constantFrom(
      'delete',
      'duplicate',
      'copy',
      'paste',
      'undo',
      'redo',
      'new',
      'add-frame',
      'align-left',
      'distribute-y',
      'snap',
      'select-all',
    ),
  }),
  fc.record({
    kind: fc.constant('move' as const),
    pick: fc.nat(),
    x: fc.integer({ min: -500, max: 2000 }),
    y: fc.integer({ min: -500, max: 2000 }),
  }),
  fc.record({
    kind: fc.constant('param' as const),
    pick: fc.nat(),
    value: fc.integer({ min: 2, max: 64 }),
    gesture: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('label' as const), pick: fc.nat(), label: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('title' as const), title: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant('example' as const), index: fc.nat() }),
  fc.constant({ kind: 'open-placeholder' as const }),
  fc.record({ kind: fc.constant('note' as const), text: fc.string({ maxLength: 40 }) }),
  fc.constant({ kind: 'end-gesture' as const }),
);

function pick<T>(items: readonly T[], i: number): T | undefined {
  return items.length ? items[i % items.length] : undefined;
}

function perform(t: TestEditor, s: Step): void {
  const doc = t.doc;
  switch (s.kind) {
    case 'add':
      t.add(TYPES[s.type % TYPES.length], { x: s.x, y: s.y });
      return;
    case 'wire': {
      const a = pick(doc.nodes, s.a);
      const b = pick(doc.nodes, s.b);
      const outs = a && !a.placeholder ? Object.keys(registry.get(a.type)!.outputs) : [];
      const ins = b && !b.placeholder ? Object.keys(registry.get(b.type)!.inputs) : [];
      if (a && b && outs.length && ins.length) t.wire(a.id, pick(outs, s.out)!, b.id, pick(ins, s.in)!);
      return;
    }
    case 'select':
      t.editor.select(
        s.picks.flatMap((i) => (doc.nodes.length ? [pick(doc.nodes, i)!.id] : [])),
        s.edges.flatMap((i) => (doc.edges.length ? [pick(doc.edges, i)!.id] : [])),
      );
      return;
    case 'command':
      t.run(s.id, { x: 100, y: 100 });
      return;
    case 'move': {
      const node = pick(doc.nodes, s.pick);
      if (node) t.drag({ [node.id]: { x: s.x, y: s.y } });
      return;
    }
    case 'param': {
      const lattices = doc.nodes.filter((n) => n.type === 'ising.lattice');
      const node = pick(lattices, s.pick);
      if (node) t.editor.setParams(node.id, { ...node.params, L: s.value }, s.gesture ? 'slider' : undefined);
      return;
    }
    case 'label': {
      const node = pick(doc.nodes, s.pick);
      if (node) t.editor.setLabel(node.id, s.label);
      return;
    }
    case 'title':
      t.editor.setTitle(s.title);
      return;
    case 'example':
      t.editor.openExample(pick(examples, s.index)!.name);
      return;
    case 'open-placeholder':
      t.editor.openText(withPlaceholder, 'future.json');
      return;
    case 'note':
      t.editor.addNote({ x: 0, y: 0 }, s.text);
      return;
    case 'end-gesture':
      t.editor.endGesture();
      return;
  }
}

describe('Editor properties over random command sequences', () => {
  it(`hold for ${SEQUENCES} sequences of up to ${MAX_STEPS} commands`, () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: MAX_STEPS }), (steps) => {
        const storage = new RecordingStore();
        let t = new TestEditor({ storage });
        t.editor.openText(withPlaceholder, 'future.json');
        for (const s of steps) {
          const before = t.text();
          const canUndoBefore = t.snapshot.canUndo;
          perform(t, s);
          const after = t.text();
          const isHistoryStep = s.kind === 'command' && (s.id === 'undo' || s.id === 'redo');
          if (after !== before && !isHistoryStep && !(s.kind === 'param' && s.gesture)) {
            // undo after any command restores the previous document byte for byte, and redo re-applies it
            t.editor.undo();
            expect(t.text()).toBe(before);
            t.editor.redo();
            expect(t.text()).toBe(after);
          }
          if (after === before && !isHistoryStep) expect(t.snapshot.canUndo).toBe(canUndoBefore);
        }
        // a simulated reload restores exactly the last document
        const last = t.text();
        t = t.reload();
        expect(t.text()).toBe(last);
        // every autosave written re-opens
        for (const value of storage.written) {
          const record = JSON.parse(value);
          const reopened = parseGraph(record.graph, registry);
          expect(reopened.ok).toBe(true);
          if (reopened.ok) expect(serializeGraph(reopened.graph)).toBe(record.graph);
        }
        // a placeholder round-trips unchanged
        for (const node of t.doc.nodes.filter((n) => n.placeholder)) {
          expect(node.placeholder!.raw).toMatchObject({
            type: 'future.thing',
            typeVersion: 7,
            params: { z: [1, 2] },
            more: 'kept',
          });
        }
      }),
      { numRuns: SEQUENCES },
    );
  }, 120_000);
});
