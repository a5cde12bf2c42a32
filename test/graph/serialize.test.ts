import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/document';
import { emptyGraph } from '../../src/graph/document';
import { serializeGraph } from '../../src/graph/serialize';
import { loaded, parse } from './fixtures';

/** A graph as the app holds it: known nodes only, params complete, typeVersions current. */
function knownGraph(): GraphDocument {
  return {
    format: 'blockspin.graph',
    version: 2,
    meta: { title: 'Round trip', description: 'two nodes', app: 'blockspin 0.1.0', extra: { b: 1, a: [2, 3] } },
    nodes: [
      {
        id: 'src',
        type: 'test.source',
        typeVersion: 1,
        position: { x: -10.5, y: 20 },
        label: 'T = Tc',
        params: { value: 2.269, size: 8, tag: 'x' },
      },
      { id: 'add', type: 'test.add', typeVersion: 1, position: { x: 100, y: 0 }, params: { add: -1, tag: '' } },
      { id: 'm', type: 'test.migrated', typeVersion: 3, position: { x: 0, y: 50 }, params: { size: 5 } },
    ],
    edges: [{ id: 'e1', source: 'src', sourcePort: 'out', target: 'add', targetPort: 'a' }],
    view: { x: 1, y: -2, zoom: 0.75 },
  };
}

describe('serializeGraph', () => {
  it('writes the documented layout: 2-space indent, fixed key order, sorted params, a final newline', () => {
    const graph: GraphDocument = {
      ...emptyGraph('Small'),
      nodes: [{ id: 'a', type: 'test.add', typeVersion: 1, position: { y: 2, x: 1 }, params: { tag: 't', add: 3 } }],
    };
    const expected = [
      '{',
      '  "format": "blockspin.graph",',
      '  "version": 2,',
      '  "meta": {',
      '    "title": "Small"',
      '  },',
      '  "nodes": [',
      '    {',
      '      "id": "a",',
      '      "type": "test.add",',
      '      "typeVersion": 1,',
      '      "position": {',
      '        "x": 1,',
      '        "y": 2',
      '      },',
      '      "params": {',
      '        "add": 3,',
      '        "tag": "t"',
      '      }',
      '    }',
      '  ],',
      '  "edges": []',
      '}',
      '',
    ].join('\n');
    expect(serializeGraph(graph)).toBe(expected);
  });

  it('gives the same bytes for the same graph, every time', () => {
    expect(serializeGraph(knownGraph())).toBe(serializeGraph(knownGraph()));
  });

  it('gives the same bytes whatever order params, meta and nested objects were built in', () => {
    const reordered = knownGraph();
    reordered.meta = {
      extra: { a: [2, 3], b: 1 },
      app: 'blockspin 0.1.0',
      description: 'two nodes',
      title: 'Round trip',
    };
    reordered.nodes[0] = {
      params: { tag: 'x', size: 8, value: 2.269 },
      label: 'T = Tc',
      position: { y: 20, x: -10.5 },
      typeVersion: 1,
      type: 'test.source',
      id: 'src',
    };
    reordered.edges[0] = { targetPort: 'a', target: 'add', sourcePort: 'out', source: 'src', id: 'e1' };
    reordered.view = { zoom: 0.75, y: -2, x: 1 };
    expect(serializeGraph(reordered)).toBe(serializeGraph(knownGraph()));
  });

  it('sorts keys inside nested param objects but keeps array order', () => {
    const graph: GraphDocument = {
      ...emptyGraph(),
      nodes: [
        {
          id: 'f',
          type: 'test.x',
          typeVersion: 1,
          position: { x: 0, y: 0 },
          params: { z: [{ d: 1, c: 2 }, 0], a: { y: 1, x: 2 } },
        },
      ],
    };
    const params = JSON.parse(serializeGraph(graph)).nodes[0].params;
    expect(JSON.stringify(params)).toBe('{"a":{"x":2,"y":1},"z":[{"c":2,"d":1},0]}');
  });

  it('leaves out fields that are not set', () => {
    const text = serializeGraph(emptyGraph('No view'));
    expect(text).not.toContain('"view"');
    expect(text).not.toContain('"description"');
    expect(text).not.toContain('"label"');
  });

  it('writes text that loads back to an equal graph', () => {
    const graph = knownGraph();
    const text = serializeGraph(graph);
    expect(loaded(parse(text))).toEqual(graph);
    expect(serializeGraph(loaded(parse(text)))).toBe(text);
  });

  it('normalises a hand-written compact file, and is then stable', () => {
    const compact =
      '{"version":1,"format":"blockspin.graph","nodes":[{"params":{"value":3},"position":{"y":1,"x":2},"typeVersion":1,"type":"test.source","id":"a"}]}';
    const once = serializeGraph(loaded(parse(compact)));
    expect(once).toMatch(/^\{\n {2}"format": "blockspin.graph",\n {2}"version": 2,\n/);
    expect(once.endsWith('}\n')).toBe(true);
    expect(JSON.parse(once).nodes[0].params).toEqual({ size: 4, tag: '', value: 3 });
    expect(serializeGraph(loaded(parse(once)))).toBe(once);
  });
});

describe('unknown node types round-trip unchanged', () => {
  // Written by hand in canonical form. The unknown node has fields of its own, and params whose keys
  // are out of order: a placeholder's params are kept verbatim, not sorted.
  const canonical = [
    '{',
    '  "format": "blockspin.graph",',
    '  "version": 2,',
    '  "meta": {',
    '    "title": "From the future",',
    '    "app": "blockspin 9.0.0",',
    '    "lab": {',
    '      "bench": 2,',
    '      "name": "A"',
    '    }',
    '  },',
    '  "nodes": [',
    '    {',
    '      "id": "src",',
    '      "type": "test.source",',
    '      "typeVersion": 1,',
    '      "position": {',
    '        "x": 0,',
    '        "y": 0',
    '      },',
    '      "params": {',
    '        "size": 4,',
    '        "tag": "",',
    '        "value": 1.5',
    '      }',
    '    },',
    '    {',
    '      "id": "qa",',
    '      "type": "quantum.annealer",',
    '      "typeVersion": 12,',
    '      "position": {',
    '        "x": -3.25,',
    '        "y": 5',
    '      },',
    '      "label": "Q",',
    '      "params": {',
    '        "zeta": [',
    '          1,',
    '          {',
    '            "y": null,',
    '            "x": "two"',
    '          },',
    '          []',
    '        ],',
    '        "alpha": {}',
    '      },',
    '      "ports": {',
    '        "in": "spins"',
    '      },',
    '      "flags": [',
    '        true,',
    '        false',
    '      ]',
    '    },',
    '    {',
    '      "id": "add",',
    '      "type": "test.add",',
    '      "typeVersion": 1,',
    '      "position": {',
    '        "x": 10,',
    '        "y": 0',
    '      },',
    '      "label": "after",',
    '      "params": {',
    '        "add": 1,',
    '        "tag": ""',
    '      }',
    '    }',
    '  ],',
    '  "edges": [',
    '    {',
    '      "id": "e1",',
    '      "source": "src",',
    '      "sourcePort": "out",',
    '      "target": "qa",',
    '      "targetPort": "in"',
    '    },',
    '    {',
    '      "id": "e2",',
    '      "source": "qa",',
    '      "sourcePort": "samples",',
    '      "target": "add",',
    '      "targetPort": "a"',
    '    }',
    '  ],',
    '  "view": {',
    '    "x": 0,',
    '    "y": 0,',
    '    "zoom": 1',
    '  }',
    '}',
    '',
  ].join('\n');

  it('loads with a warning that names the unknown type and node', () => {
    const result = parse(canonical);
    expect(result.ok && result.warnings.map((w) => [w.nodeId, w.path])).toEqual([['qa', 'nodes[1].type']]);
    expect(result.ok && result.warnings[0].message).toContain("'quantum.annealer'");
    const graph = loaded(result);
    const { id: _id, position: _position, label: _label, ...unknown } = JSON.parse(canonical).nodes[1];
    expect(graph.nodes[1].placeholder?.raw).toEqual(unknown);
    expect(graph.edges.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('writes the whole file back byte-identical', () => {
    expect(serializeGraph(loaded(parse(canonical)))).toBe(canonical);
  });

  it('keeps the unknown node unchanged when the rest of the graph is edited', () => {
    const graph = loaded(parse(canonical));
    graph.nodes[0].params.value = 2;
    const text = serializeGraph(graph);
    expect(text).toBe(canonical.replace('"value": 1.5', '"value": 2'));
  });

  it('writes a placeholder read with its fields in any order in the fixed layout, values unchanged', () => {
    const file = JSON.parse(canonical);
    const { id, type, typeVersion, params, position, label, ports, flags } = file.nodes[1];
    // Its own fields (ports, flags) keep the order they were read in, as the app cannot know a better one.
    file.nodes[1] = { label, ports, position: { y: position.y, x: position.x }, params, flags, typeVersion, type, id };
    const once = serializeGraph(loaded(parse(JSON.stringify(file))));
    expect(once).toBe(canonical);
  });
});
