import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_NODES } from '../../src/graph/document';
import { decodeGraph } from '../../src/graph/parse';
import { serializeGraph } from '../../src/graph/serialize';
import { doc, edge, issuesOf, loaded, node, onlyIssue, parse, registry } from './fixtures';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseGraph: the file as a whole', () => {
  it('loads a small valid file', () => {
    const graph = loaded(parse(doc([node('a'), node('b', 'test.add')], [edge('e1', 'a', 'out', 'b', 'a')])));
    expect(graph.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(graph.edges).toEqual([edge('e1', 'a', 'out', 'b', 'a')]);
    expect(graph.meta).toEqual({ title: 'Test' });
  });

  it('reports every truncated prefix of a file as ending too early', () => {
    const full = JSON.stringify(doc([node('a', 'test.source', { value: -1.5, tag: 'q"\u00e9' })], []), null, 2);
    for (let cut = 0; cut < full.length - 1; cut++) {
      const issue = onlyIssue(parse(full.slice(0, cut)));
      expect(issue.path, `cut at ${cut}`).toBe('');
      expect(issue.message, `cut at ${cut}`).toMatch(/ends too early \(truncated\?\)/);
    }
  });

  it.each([
    ['[]', 'an array'],
    ['[{"format": "blockspin.graph"}]', 'an array'],
    ['42', 'a number'],
    ['null', 'null'],
    ['"graph"', 'a string'],
    ['true', 'a boolean'],
  ])('refuses a file holding %s, saying it holds %s', (text, found) => {
    const issue = onlyIssue(parse(text));
    expect(issue.path).toBe('');
    expect(issue.message).toContain('a graph file is a JSON object');
    expect(issue.message).toContain(`this file holds ${found}`);
  });

  it('refuses a wrong format, naming what it found and what it expected', () => {
    const issue = onlyIssue(parse({ ...doc([]), format: 'blockspin.summary' }));
    expect(issue.path).toBe('format');
    expect(issue.message).toContain('not a Blockspin graph file');
    expect(issue.message).toContain('"blockspin.summary"');
    expect(issue.message).toContain('"blockspin.graph"');
  });

  it('refuses a file without a format', () => {
    const { format: _format, ...rest } = doc([]);
    expect(onlyIssue(parse(rest)).path).toBe('format');
  });

  it('says a version 999 file was written by a newer Blockspin', () => {
    const issue = onlyIssue(parse({ ...doc([]), version: 999 }));
    expect(issue.path).toBe('version');
    expect(issue.message).toContain('version 999');
    expect(issue.message).toContain('newer Blockspin');
    expect(issue.message).toContain('up to 2');
  });

  it.each([0, -1, 1.5, '1', null])('refuses version %j', (version) => {
    const issue = onlyIssue(parse({ ...doc([]), version }));
    expect(issue.path).toBe('version');
    expect(issue.message).toContain('positive integer');
  });

  it('says NaN is not a JSON number, with its line and column', () => {
    const lines = [
      '{',
      '  "format": "blockspin.graph",',
      '  "version": 1,',
      '  "nodes": [',
      '    {"id": "a", "params": {"value": NaN}}',
      '  ]',
      '}',
    ];
    const issue = onlyIssue(parse(lines.join('\n')));
    expect(issue.path).toBe('');
    expect(issue.message).toContain('NaN and Infinity are not JSON numbers');
    expect(issue.message).toContain(`line 5, column ${lines[4].indexOf('NaN') + 1}`);
  });

  it.each(['Infinity', '-Infinity'])('finds a bare %s after a string that contains the word', (token) => {
    const lines = ['{"meta": {"title": "NaN Infinity"},', ` "x": ${token}}`];
    const issue = onlyIssue(parse(lines.join('\n')));
    expect(issue.message).toContain('NaN and Infinity are not JSON numbers');
    // V8 points at the minus sign or just after it; either names the token's place.
    const column = lines[1].indexOf(token) + 1;
    expect(issue.message).toMatch(new RegExp(`line 2, column (${column}|${column + 1})\\b`));
  });

  it('refuses 1e999 (Infinity after JSON.parse) in a param, naming the param', () => {
    const text = JSON.stringify(doc([node('a'), node('b', 'test.source', { value: 1 })])).replace(
      '"value":1',
      '"value":1e999',
    );
    expect(text).toContain('1e999');
    const issue = onlyIssue(parse(text));
    expect(issue.path).toBe('nodes[1].params.value');
    expect(issue.nodeId).toBe('b');
    expect(issue.message).toContain('Infinity');
  });

  it('refuses 1e999 in a position', () => {
    const text = JSON.stringify(doc([node('a', 'test.source', {}, { position: { x: 1, y: 2 } })])).replace(
      '"y":2',
      '"y":-1e999',
    );
    expect(onlyIssue(parse(text)).path).toBe('nodes[0].position.y');
  });

  it('refuses a file over 20 MB without parsing it', () => {
    const parseSpy = vi.spyOn(JSON, 'parse');
    const text = JSON.stringify(doc([], [], { meta: { description: 'x'.repeat(25 * 1024 * 1024) } }));
    const issue = onlyIssue(parse(text));
    expect(parseSpy).not.toHaveBeenCalled();
    expect(issue.path).toBe('');
    expect(issue.message).toContain('the file is 25.0 MB');
    expect(issue.message).toContain('limited to 20 MB');
  });

  it('counts the size in UTF-8 bytes, not characters', () => {
    // 9 Mi characters of 3 bytes each: 27 MB, though the string is only 9 Mi long.
    const text = JSON.stringify(doc([], [], { meta: { description: '\u20ac'.repeat(9 * 1024 * 1024) } }));
    const issue = onlyIssue(parse(text));
    expect(issue.message).toContain('the file is 27.0 MB');
    expect(issue.message).toContain('limited to 20 MB');
  });

  it('refuses more than 5,000 nodes', () => {
    const nodes = Array.from({ length: MAX_NODES + 1 }, (_, i) => node(`n${i}`));
    const issue = onlyIssue(parse(doc(nodes)));
    expect(issue.path).toBe('nodes');
    expect(issue.message).toContain('5001 nodes');
    expect(issue.message).toContain('at most 5000');
  });

  it('accepts exactly 5,000 nodes', () => {
    const nodes = Array.from({ length: MAX_NODES }, (_, i) => node(`n${i}`));
    expect(loaded(parse(doc(nodes))).nodes).toHaveLength(MAX_NODES);
  });

  it('refuses an unknown top-level field in a version 1 file, naming it', () => {
    const issue = onlyIssue(parse(doc([], [], { nodez: [] })));
    expect(issue.path).toBe('nodez');
    expect(issue.message).toContain('"nodez"');
    expect(issue.message).toContain('version 1');
  });

  it('refuses a missing node list and a bad view, naming the fields', () => {
    const issues = issuesOf(parse({ format: 'blockspin.graph', version: 1, view: { x: 0, y: 0, zoom: 0 } }));
    expect(issues.map((i) => i.path).sort()).toEqual(['nodes', 'view.zoom']);
  });

  it('fills in a missing meta and edge list', () => {
    const graph = loaded(parse({ format: 'blockspin.graph', version: 1, nodes: [node('a')] }));
    expect(graph.meta).toEqual({});
    expect(graph.edges).toEqual([]);
    expect(graph).not.toHaveProperty('view');
  });

  it('decodeGraph takes an already-parsed value', () => {
    expect(loaded(decodeGraph(doc([node('a')]), registry)).nodes[0].id).toBe('a');
    expect(issuesOf(decodeGraph([], registry))[0].message).toContain('an array');
  });
});

describe('parseGraph: nodes', () => {
  it('refuses an unknown field in a node of a version 1 file, naming the field and the node', () => {
    const { params, ...rest } = node('a', 'test.source', { value: 2 });
    const issue = onlyIssue(parse(doc([node('ok'), { ...rest, parmas: params }])));
    expect(issue.path).toBe('nodes[1]');
    expect(issue.nodeId).toBe('a');
    expect(issue.message).toContain('"parmas"');
  });

  it('refuses a param of the wrong type, naming the param', () => {
    const issue = onlyIssue(parse(doc([node('a'), node('b', 'test.source', { value: 'two' })])));
    expect(issue.path).toBe('nodes[1].params.value');
    expect(issue.nodeId).toBe('b');
    expect(issue.message).toMatch(/expected number/);
  });

  it('refuses an unknown param of a known type, naming it', () => {
    const issue = onlyIssue(parse(doc([node('a', 'test.source', { vlaue: 1 })])));
    expect(issue.path).toBe('nodes[0].params');
    expect(issue.message).toContain('vlaue');
  });

  it('refuses a node without an id or a position', () => {
    const { id: _id, ...noId } = node('a');
    const { position: _position, ...noPosition } = node('b');
    const issues = issuesOf(parse(doc([noId, noPosition])));
    expect(issues.map((i) => i.path)).toEqual(['nodes[0].id', 'nodes[1].position']);
    expect(issues[1].nodeId).toBe('b');
  });

  it('fills in missing params, and the params missing from a partial list', () => {
    const { params: _params, ...noParams } = node('a');
    const graph = loaded(parse(doc([noParams, node('b', 'test.source', { size: 9 })])));
    expect(graph.nodes[0].params).toEqual({ value: 1, size: 4, tag: '' });
    expect(graph.nodes[1].params).toEqual({ value: 1, size: 9, tag: '' });
  });

  it('refuses a typeVersion newer than the node type knows', () => {
    const issue = onlyIssue(parse(doc([node('a', 'test.migrated', {}, { typeVersion: 4 })])));
    expect(issue.path).toBe('nodes[0].typeVersion');
    expect(issue.nodeId).toBe('a');
    expect(issue.message).toContain('test.migrated version 4');
    expect(issue.message).toContain('newer Blockspin');
    expect(issue.message).toContain('up to version 3');
  });

  it.each([0, 1.5, '1'])('refuses typeVersion %j', (typeVersion) => {
    expect(onlyIssue(parse(doc([node('a', 'test.source', {}, { typeVersion })]))).path).toBe('nodes[0].typeVersion');
  });

  it.each([
    [1, { n: 5 }, { size: 5 }],
    [2, { count: 7 }, { size: 7 }],
    [3, { size: 9 }, { size: 9 }],
    [1, {}, { size: 3 }],
  ])('migrates typeVersion %i params %j step by step to %j', (typeVersion, params, expected) => {
    const graph = loaded(parse(doc([node('m', 'test.migrated', params, { typeVersion })])));
    expect(graph.nodes[0].params).toEqual(expected);
    expect(graph.nodes[0].typeVersion).toBe(3);
  });

  it('checks migrated params against the current schema, under their new name', () => {
    const issue = onlyIssue(parse(doc([node('m', 'test.migrated', { n: 0 })])));
    expect(issue.path).toBe('nodes[0].params.size');
    expect(issue.nodeId).toBe('m');
  });

  it('reports every problem in one result, not just the first', () => {
    const { params, ...rest } = node('c');
    const { targetPort: _port, ...badEdge } = edge('e1', 'a', 'out', 'b', 'a');
    const result = parse(
      doc(
        [node('a', 'test.source', { value: 'x' }), node('b', 'test.add', { add: [] }), { ...rest, parmas: params }],
        [badEdge],
      ),
    );
    const issues = issuesOf(result);
    expect(issues.map((i) => i.path)).toEqual([
      'nodes[0].params.value',
      'nodes[1].params.add',
      'nodes[2]',
      'edges[0].targetPort',
    ]);
    expect(issues.map((i) => i.nodeId)).toEqual(['a', 'b', 'c', undefined]);
  });
});

describe('parseGraph: ids and nesting', () => {
  it('refuses every id outside [A-Za-z0-9_.-]{1,64}, listing each with its place', () => {
    const bad = ['a/b', 'a?b', 'say "hi"', '\u001b[2Jcleared', 'x'.repeat(65), ''];
    const nodes = [node('ok'), ...bad.map((id) => node(id))];
    const issues = issuesOf(parse(doc(nodes, [edge('e 1', 'ok', 'out', 'ok', 'a')])));
    expect(issues.map((i) => i.path)).toEqual([...bad.map((_, i) => `nodes[${i + 1}].id`), 'edges[0].id']);
    expect(issues[0].message).toBe(
      'the id "a/b" is not allowed: an id is 1 to 64 characters, each a letter, digit, underscore, dot or hyphen',
    );
    // A control character comes back escaped, never raw.
    expect(issues[3].message).toContain('"\\u001b[2Jcleared"');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(issues.some((i) => /[\u0000-\u001f]/.test(i.message + i.path))).toBe(false);
  });

  it('takes ids that are plain names, __proto__ and constructor included', () => {
    const ids = ['__proto__', 'constructor', 'lat.T-2_x', 'A', 'a', 'x'.repeat(64)];
    const graph = loaded(parse(doc(ids.map((id) => node(id)))));
    expect(graph.nodes.map((n) => n.id)).toEqual(ids);
  });

  it('refuses a node type that is not a type id, quoting nothing raw', () => {
    const issue = onlyIssue(parse(doc([node('a', 'Evil\u001b]0;title\u0007')])));
    expect(issue.path).toBe('nodes[0].type');
    expect(issue.message).toContain('must be a node type id');
  });

  it('refuses nesting deeper than 64 levels, naming the place, even a million levels deep', () => {
    let meta: unknown = 1;
    for (let i = 0; i < 70; i++) meta = { deeper: meta };
    const issue = onlyIssue(parse(doc([node('a')], [], { meta })));
    expect(issue.message).toContain('nest more than 64 deep');
    expect(issue.path).toBe(`meta${'.deeper'.repeat(63)}`);

    const text = `{"format":"blockspin.graph","version":2,"nodes":[],"meta":{"x":${'['.repeat(1e6)}${']'.repeat(1e6)}}}`;
    const started = performance.now();
    const deep = onlyIssue(parse(text));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(deep.path).toBe(`meta.x${'[0]'.repeat(62)}`);
  });

  it('quotes a path key that is not a plain name', () => {
    let params: unknown = 1;
    for (let i = 0; i < 70; i++) params = { 'a.b\u001b': params };
    const issue = onlyIssue(parse(doc([node('a', 'test.source', params as Record<string, unknown>)])));
    expect(issue.path.startsWith('nodes[0].params["a.b\\u001b"]["a.b\\u001b"]')).toBe(true);
  });
});

describe('parseGraph: fields named __proto__, and numbers past the double range', () => {
  const v2 = (extra: Record<string, unknown> = {}, nodeExtra = '') =>
    `{"format":"blockspin.graph","version":2,"meta":{"title":"t"${extra.meta ?? ''}},"nodes":[` +
    `{"id":"a","type":"test.source","typeVersion":1,"position":{"x":0,"y":0}${nodeExtra}},` +
    `{"id":"p","type":"zz.q","__proto__":{"k":1}}],` +
    `"edges":[{"id":"e","source":"a","sourcePort":"out","target":"p","targetPort":"x","__proto__":2}]}`;

  it('keeps a field named __proto__ on a node, a placeholder, an edge and in meta, and writes it back', () => {
    const graph = loaded(parse(v2({ meta: ',"__proto__":{"m":3}' }, ',"__proto__":{"n":4}')));
    const saved = serializeGraph(graph);
    expect(saved).toContain('"__proto__": {\n      "m": 3');
    expect(saved.match(/"__proto__"/g)).toHaveLength(4);
    expect(serializeGraph(loaded(parse(saved)))).toBe(saved);
  });

  it('refuses a field named __proto__ in a version 1 file, as any unknown field', () => {
    const text = v2({}, ',"__proto__":1')
      .replace('"version":2', '"version":1')
      .replace(/,\{"id":"p".*\]\}$/s, '],"edges":[]}');
    const issue = onlyIssue(parse(text));
    expect(issue).toMatchObject({ path: 'nodes[0]', nodeId: 'a' });
    expect(issue.message).toContain('"__proto__"');
  });

  it('refuses 1e400 where a value is kept as read (meta), naming the place', () => {
    const issue = onlyIssue(parse(v2({ meta: ',"x":1e400' })));
    expect(issue).toEqual({
      path: 'meta.x',
      message: 'this number is too large to be represented (it would read as Infinity); write a finite one',
    });
  });
});

describe('parseGraph: messages stay short, whatever the file holds', () => {
  it('cuts a long field name, lists at most ten unknown fields, and shortens a long cycle', () => {
    const long = 'f'.repeat(100_000);
    const [issue] = issuesOf(parse(doc([node('a', 'test.source', {}, { [long]: 1 })])));
    expect(issue.message.length).toBeLessThan(200);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`x${i}`, i]));
    expect(onlyIssue(parse(doc([node('a', 'test.source', {}, many)]))).message).toContain('and 40 more');
    const ids = Array.from({ length: 5000 }, (_, i) => `n${i}`);
    const nodes = ids.map((id) => node(id, 'test.add'));
    const edges = ids.map((id, i) => edge(`e${i}`, id, 'out', ids[(i + 1) % ids.length], 'a'));
    const cycle = issuesOf(parse(doc(nodes, edges))).find((i) => i.message.includes('cycle'))!;
    expect(cycle.message.length).toBeLessThan(200);
    expect(cycle.message).toMatch(
      /^the graph has a cycle: n0 → n1 → n2 → n3 → n4 → n5 → … \(4990 more\) … → n4996 → n4997 → n4998 → n4999 → n0$/,
    );
  });

  it('reads a file that starts with a byte order mark', () => {
    expect(loaded(parse(`\ufeff${JSON.stringify(doc([node('a')]))}`)).nodes).toHaveLength(1);
  });
});
