/** Graph format version 2: frames and notes, unknown fields kept, and version 1 files migrated. */
import { describe, expect, it } from 'vitest';
import { GRAPH_VERSION, type GraphDocument } from '../../src/graph/document';
import { serializeGraph } from '../../src/graph/serialize';
import { doc, edge, issuesOf, loaded, node, onlyIssue, parse } from './fixtures';

/** A version 2 file's JSON object. */
function doc2<E extends Record<string, unknown>>(nodes: unknown[], edges: unknown[] = [], extra?: E) {
  return { ...doc(nodes, edges), version: 2, ...(extra as E) };
}

const text = (json: unknown) => JSON.stringify(json, null, 2) + '\n';

const frame = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: 'RG branch',
  color: '#dbeafe',
  position: { x: -20, y: -40 },
  size: { width: 400, height: 300 },
  ...extra,
});

const note = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  text: 'Majority rule, b = 2.\nTies go to +1.',
  position: { x: 10, y: 280 },
  ...extra,
});

describe('version 1 files', () => {
  const v1 = doc([node('a'), node('b', 'test.add')], [edge('e1', 'a', 'out', 'b', 'a')], {
    view: { x: 1, y: 2, zoom: 0.5 },
  });

  it('load, migrated to the current version, with nothing else changed', () => {
    const result = parse(v1);
    const graph = loaded(result);
    expect(result.ok && result.warnings).toEqual([]);
    expect(graph.version).toBe(GRAPH_VERSION);
    expect(graph.version).toBe(2);
    expect(graph.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(graph).not.toHaveProperty('frames');
    expect(graph).not.toHaveProperty('notes');
    expect(graph).not.toHaveProperty('extra');
  });

  it('are written back as version 2, the same bytes apart from the version line', () => {
    const once = serializeGraph(loaded(parse(v1)));
    const asV1 = once.replace('"version": 2,', '"version": 1,');
    expect(once).toContain('"version": 2,');
    expect(serializeGraph(loaded(parse(asV1)))).toBe(once);
    expect(serializeGraph(loaded(parse(once)))).toBe(once);
  });

  it('may hold frames and notes (this app knows them), which then load as in version 2', () => {
    const graph = loaded(parse(doc([node('a')], [], { frames: [frame('f')], notes: [note('n')] })));
    expect(graph.frames?.map((f) => f.id)).toEqual(['f']);
    expect(graph.notes?.map((n) => n.id)).toEqual(['n']);
  });

  it('still refuse an unknown field on an edge, naming it and the edge', () => {
    const issue = onlyIssue(
      parse(doc([node('a'), node('b', 'test.add')], [{ ...edge('e1', 'a', 'out', 'b', 'a'), w: 1 }])),
    );
    expect(issue.path).toBe('edges[0]');
    expect(issue.message).toContain('"w"');
  });
});

describe('a version newer than 2', () => {
  it('is refused as written by a newer Blockspin', () => {
    const issue = onlyIssue(parse(doc2([], [], { version: 3 })));
    expect(issue.path).toBe('version');
    expect(issue.message).toContain('version 3, written by a newer Blockspin');
    expect(issue.message).toContain('up to 2');
  });
});

describe('frames and notes', () => {
  const file = doc2(
    [node('lattice'), node('rg', 'test.add', {}, { position: { x: 100, y: 50 } })],
    [edge('e1', 'lattice', 'out', 'rg', 'a')],
    {
      frames: [frame('rg-branch'), frame('rbm-branch', { color: '#FEE', title: '' })],
      notes: [note('n1'), note('n2', { width: 240 })],
    },
  );
  // Built in canonical order, so the text below is what serializeGraph must write.
  const canonical = text({
    format: 'blockspin.graph',
    version: 2,
    meta: { title: 'Test' },
    nodes: [
      {
        id: 'lattice',
        type: 'test.source',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: { size: 4, tag: '', value: 1 },
      },
      { id: 'rg', type: 'test.add', typeVersion: 1, position: { x: 100, y: 50 }, params: { add: 1, tag: '' } },
    ],
    edges: file.edges,
    frames: file.frames,
    notes: file.notes,
  });

  it('load as they were written', () => {
    const graph = loaded(parse(file));
    expect(graph.frames).toEqual(file.frames);
    expect(graph.notes).toEqual(file.notes);
    expect(graph.frames?.[0]).not.toHaveProperty('extra');
  });

  it('round-trip byte for byte', () => {
    expect(serializeGraph(loaded(parse(canonical)))).toBe(canonical);
    expect(serializeGraph(loaded(parse(file)))).toBe(canonical);
  });

  it('give the same bytes whatever order their fields were built in', () => {
    const graph = loaded(parse(canonical));
    const [f] = graph.frames ?? [];
    graph.frames![0] = {
      size: { height: f.size.height, width: f.size.width },
      position: { y: -40, x: -20 },
      color: f.color,
      title: f.title,
      id: f.id,
    };
    const [n] = graph.notes ?? [];
    graph.notes![0] = { position: { y: n.position.y, x: n.position.x }, text: n.text, id: n.id };
    expect(serializeGraph(graph)).toBe(canonical);
  });

  it('are left out of the file when there are none, even as empty lists', () => {
    const graph: GraphDocument = { ...loaded(parse(doc2([node('a')]))), frames: [], notes: [] };
    const written = serializeGraph(graph);
    expect(written).not.toContain('"frames"');
    expect(written).not.toContain('"notes"');
    expect(loaded(parse(doc2([node('a')], [], { frames: [], notes: [] })))).not.toHaveProperty('frames');
  });

  it.each([
    [{ color: 'blue' }, 'frames[0].color', 'CSS hex colour'],
    [{ color: '#12345' }, 'frames[0].color', 'CSS hex colour'],
    [{ title: 7 }, 'frames[0].title', 'expected string'],
    [{ size: { width: 0, height: 10 } }, 'frames[0].size.width', 'positive'],
    [{ size: { width: 10 } }, 'frames[0].size.height', ''],
    [{ position: { x: 0 } }, 'frames[0].position.y', ''],
    [{ id: '' }, 'frames[0].id', 'an id is 1 to 64 characters'],
    [{ id: 'x'.repeat(65) }, 'frames[0].id', 'an id is 1 to 64 characters'],
    [{ id: 'a b' }, 'frames[0].id', 'the id "a b" is not allowed'],
  ])('refuse a frame with %j, naming %s', (change, path, message) => {
    const issue = onlyIssue(parse(doc2([node('a')], [], { frames: [frame('f', change)] })));
    expect(issue.path).toBe(path);
    expect(issue.message).toContain(message);
  });

  it.each([
    [{ text: 'x'.repeat(2001) }, 'notes[0].text', 'at most 2000'],
    [{ text: null }, 'notes[0].text', 'expected string'],
    [{ width: -1 }, 'notes[0].width', 'positive'],
    [{ width: '200' }, 'notes[0].width', 'expected number'],
  ])('refuse a note with %j, naming %s', (change, path, message) => {
    const issue = onlyIssue(parse(doc2([node('a')], [], { notes: [note('n', change)] })));
    expect(issue.path).toBe(path);
    expect(issue.message).toContain(message);
  });

  it('accept a note of exactly 2000 characters and colours of 3, 4, 6 and 8 digits', () => {
    const frames = ['#abc', '#abcd', '#aabbcc', '#AABBCC80'].map((color, i) => frame(`f${i}`, { color }));
    const graph = loaded(parse(doc2([node('a')], [], { frames, notes: [note('n', { text: 'é'.repeat(2000) })] })));
    expect(graph.frames).toHaveLength(4);
  });

  it('refuse a frames entry that is not an object', () => {
    expect(onlyIssue(parse(doc2([], [], { frames: [3] }))).path).toBe('frames[0]');
    expect(onlyIssue(parse(doc2([], [], { notes: {} }))).path).toBe('notes');
  });
});

describe('ids are unique across nodes, frames and notes', () => {
  it('refuses a frame with a node id, in the documented words', () => {
    const issue = onlyIssue(parse(doc2([node('rg')], [], { frames: [frame('a'), frame('rg')] })));
    expect(issue).toEqual({ path: 'frames[1].id', message: "duplicate id 'rg' (also a node)" });
  });

  it('refuses a note with a frame or note id, and names each one', () => {
    const issues = issuesOf(
      parse(doc2([node('a')], [], { frames: [frame('f')], notes: [note('f'), note('n'), note('n'), note('a')] })),
    );
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "notes[0].id: duplicate id 'f' (also a frame)",
      "notes[2].id: duplicate id 'n' (also a note)",
      "notes[3].id: duplicate id 'a' (also a node)",
    ]);
  });

  it('refuses two frames with one id', () => {
    expect(onlyIssue(parse(doc2([], [], { frames: [frame('f'), frame('f')] }))).message).toBe(
      "duplicate id 'f' (also a frame)",
    );
  });

  it('lets an edge share an id with a frame (edges have ids of their own)', () => {
    const file = doc2([node('a'), node('b', 'test.add')], [edge('x', 'a', 'out', 'b', 'a')], { frames: [frame('x')] });
    expect(loaded(parse(file)).frames?.[0].id).toBe('x');
  });
});

describe('unknown fields in a version 2 file', () => {
  // What a slightly newer Blockspin might write: new fields at the top, on nodes, edges, frames,
  // notes and the view. Built in the order this app writes (known fields, then unknown ones sorted).
  const newer = {
    format: 'blockspin.graph',
    version: 2,
    meta: { title: 'Newer', app: 'blockspin 0.3.0' },
    nodes: [
      {
        id: 'a',
        type: 'test.source',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: { size: 4, tag: '', value: 1 },
        collapsed: true,
        style: { a: [2, { c: 4, d: 3 }], b: 1 },
      },
      {
        id: 'b',
        type: 'test.add',
        typeVersion: 1,
        position: { x: 1, y: 1 },
        params: { add: 1, tag: '' },
        collapsed: false,
      },
    ],
    edges: [{ id: 'e1', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'a', animated: true }],
    frames: [{ ...frame('f'), locked: true }],
    notes: [{ ...note('n'), color: '#fef3c7' }],
    view: { x: 0, y: 0, zoom: 1, grid: 20 },
    groups: [{ id: 'g', members: ['a', 'b'] }],
    theme: 'dark',
  };
  const canonical = text(newer);

  it('are kept on their item, and the file loads', () => {
    const graph = loaded(parse(canonical));
    expect(graph.extra).toEqual({ groups: newer.groups, theme: 'dark' });
    expect(graph.nodes[0].extra).toEqual({ collapsed: true, style: newer.nodes[0].style });
    expect(graph.nodes[0].params).toEqual({ size: 4, tag: '', value: 1 });
    expect(graph.edges[0]).toEqual({ ...edge('e1', 'a', 'out', 'b', 'a'), extra: { animated: true } });
    expect(graph.frames?.[0].extra).toEqual({ locked: true });
    expect(graph.notes?.[0].extra).toEqual({ color: '#fef3c7' });
    expect(graph.view).toEqual({ x: 0, y: 0, zoom: 1, extra: { grid: 20 } });
  });

  it('are written back unchanged: open -> save gives the same bytes', () => {
    expect(serializeGraph(loaded(parse(canonical)))).toBe(canonical);
  });

  it('survive an edit of the item they are on', () => {
    const graph = loaded(parse(canonical));
    graph.nodes[0] = { ...graph.nodes[0], position: { x: 5, y: 6 }, params: { ...graph.nodes[0].params, value: 2 } };
    const written = JSON.parse(serializeGraph(graph));
    expect(written.nodes[0]).toMatchObject({ position: { x: 5, y: 6 }, collapsed: true, style: newer.nodes[0].style });
    expect(written.theme).toBe('dark');
  });

  it('are written after the known fields, sorted (nested keys too), whatever order they were read in', () => {
    const reversed = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const [first, second] = newer.nodes;
    const shuffled = reversed({
      ...newer,
      nodes: [reversed({ ...first, style: { b: 1, a: [2, { d: 3, c: 4 }] } }), second],
    });
    expect(serializeGraph(loaded(parse(shuffled)))).toBe(canonical);
  });

  it('give one warning per field and list, saying they are kept', () => {
    const result = parse(canonical);
    const warnings = result.ok ? result.warnings : [];
    expect(warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      'theme' in newer &&
        'groups: unknown top-level field "groups", kept and written back unchanged (from a newer Blockspin?)',
      'theme: unknown top-level field "theme", kept and written back unchanged (from a newer Blockspin?)',
      'nodes[0]: unknown field "collapsed" on 2 nodes, kept and written back unchanged (from a newer Blockspin?)',
      'nodes[0]: unknown field "style" on node nodes[0], kept and written back unchanged (from a newer Blockspin?)',
      'edges[0]: unknown field "animated" on edge edges[0], kept and written back unchanged (from a newer Blockspin?)',
      'frames[0]: unknown field "locked" on frame frames[0], kept and written back unchanged (from a newer Blockspin?)',
      'notes[0]: unknown field "color" on note notes[0], kept and written back unchanged (from a newer Blockspin?)',
      'view: unknown field "grid" in the view, kept and written back unchanged (from a newer Blockspin?)',
    ]);
    expect(warnings[3].nodeId).toBe('a');
    expect(warnings[2]).not.toHaveProperty('nodeId');
  });

  it('never let a known field of the wrong type through', () => {
    const bad = { ...newer, nodes: [{ ...newer.nodes[0], position: { x: '0', y: 0 } }, newer.nodes[1]] };
    const issue = onlyIssue(parse(bad));
    expect(issue.path).toBe('nodes[0].position.x');
    expect(issue.nodeId).toBe('a');
    expect(onlyIssue(parse({ ...newer, view: { ...newer.view, zoom: 0 } })).path).toBe('view.zoom');
    expect(onlyIssue(parse({ ...newer, edges: [{ ...newer.edges[0], target: 7 }] })).path).toBe('edges[0].target');
  });

  it('keep a field named __proto__ as a plain field, on the way in and out', () => {
    const withProto = canonical.replace(
      '"theme": "dark"',
      '"theme": "dark",\n  "__proto__": {\n    "polluted": true\n  }',
    );
    const graph = loaded(parse(withProto));
    expect(Object.hasOwn(graph.extra ?? {}, '__proto__')).toBe(true);
    const written = serializeGraph(graph);
    expect(Object.hasOwn(JSON.parse(written), '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(serializeGraph(loaded(parse(written)))).toBe(written);
  });
});
