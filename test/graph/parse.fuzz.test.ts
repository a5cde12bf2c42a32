/**
 * Property-based fuzzing of graph loading. Graph files come from other people (files, share links,
 * PNGs, pastes), so parseGraph must answer anything: random JSON, documents shaped like graph files
 * with near-valid fields, and every example in graphs/ mutated (truncated, retyped, ids swapped,
 * nested 100,000 deep, NaN and 1e400 written as bare tokens, `__proto__` as an id or a key, ...).
 *
 * What must hold for every input:
 * - parseGraph never throws, and answers either a graph (with well-formed warnings) or issues;
 * - every issue names a place: a well-formed path whose first steps exist in the file, or '' only for
 *   a problem with the whole file (not JSON, too big, not an object), and a message that is not blank;
 * - no input of up to about 1 MB takes more than 1 s;
 * - an accepted document is written in stable bytes: serialise → parse → serialise gives the same text,
 *   and the document parsed again equals the first one (with the same warnings);
 * - in a version-2 file, unknown fields are kept and written back with the values they had.
 *
 * `npm test` runs a modest number of cases with a fixed seed; `npm run fuzz` runs many more
 * (FUZZ_RUNS cases per property; FUZZ_SEED picks another seed).
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRegistry } from '../../nodes/index';
import { MAX_DEPTH, MAX_EDGES, MAX_FILE_BYTES, MAX_NODES, MAX_NOTE_CHARS } from '../../src/graph/document';
import type { GraphIssue } from '../../src/graph/errors';
import { formatPath } from '../../src/graph/errors';
import { parseGraph, type ParseResult } from '../../src/graph/parse';
import { serializeGraph } from '../../src/graph/serialize';

const RUNS = Number(process.env.FUZZ_RUNS) || 60;
const SEED = Number(process.env.FUZZ_SEED) || 20_240_611;
/** Room for FUZZ_RUNS: a case takes a few milliseconds, the slowest (100,000 levels deep) about 50. */
const TIMEOUT_MS = Math.max(30_000, RUNS * 60);
const fuzz = (scale = 1) => ({ seed: SEED, numRuns: Math.max(1, Math.round(RUNS * scale)) });

/**
 * Known bugs in the files this suite may not change (parse.ts, schema.ts). Each flag lets its case
 * pass; set it to false to see the property fail on it.
 */
const KNOWN = {
  /**
   * A number written beyond the double range (`1e400`) is read as Infinity and, in a field kept as read
   * (meta, unknown fields, a placeholder's raw JSON), accepted; it is then written back as `null`.
   * Minimal input: `{"format":"blockspin.graph","version":2,"meta":{"x":1e400},"nodes":[]}` loads, and
   * saves `"x": null`. parseGraph should refuse it with the place ("meta.x: 1e400 is beyond ...").
   */
  infinityAcceptedAndSavedAsNull: false,
  /**
   * zod's objects and records drop a key named `__proto__`, and the unknown fields are taken from
   * their output, so such a field is lost without a warning: on a node, an edge, a frame, a note, the
   * view, in meta and in a placeholder's raw JSON (it is kept at the top level only). In a version-1
   * file it is not refused either. Minimal input:
   * `{"format":"blockspin.graph","version":2,"nodes":[{"id":"a","type":"zz.q","__proto__":{"k":1}}]}`
   * loads, and saves the node without it.
   */
  protoFieldDropped: false,
  /**
   * An unknown top-level field is reported with the path '' (its name is only in the message):
   * `{"format":"blockspin.graph","version":1,"nodes":[],"parmas":1}` is refused with path '' and a
   * version-2 file gets a warning with path ''; the path could be the field, `parmas`.
   */
  topLevelUnknownFieldHasNoPath: false,
};

const registry = appRegistry();
const definitions = registry.all();
const TYPES = definitions.map((d) => d.type);
const EXAMPLES = readdirSync('graphs')
  .filter((f) => f.endsWith('.blockspin.json'))
  .sort()
  .map((file) => ({ file, text: readFileSync(`graphs/${file}`, 'utf8') }));

/** The values an arbitrary generates. */
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// ---------------------------------------------------------------------------------------------------
// Raw tokens: what JSON.stringify cannot write (bare NaN, 1e400, 100,000 levels of nesting) is
// generated as a marker string and replaced in the text afterwards.

const MARK = '\u0001RAW:';
const MARK_END = '\u0001';
const raw = (token: string): string => `${MARK}${token}${MARK_END}`;
const MARKED = /"\\u0001RAW:([^"\\]*)\\u0001"/g;

function nested(depth: number, shape: string): string {
  switch (shape) {
    case 'array':
      return '['.repeat(depth) + ']'.repeat(depth);
    case 'object':
      return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    case 'proto':
      return '{"__proto__":'.repeat(depth) + '{}' + '}'.repeat(depth);
    default:
      return '[{"x":'.repeat(depth) + '[]' + '}]'.repeat(depth);
  }
}

function expandMarkers(text: string): string {
  return text.replace(MARKED, (_, token: string) => {
    const deep = /^DEEP:(\d+):(\w+)$/.exec(token);
    return deep ? nested(Number(deep[1]), deep[2]) : token;
  });
}

/** JSON text with the markers replaced: the file as some other program wrote it. */
function writeText(value: unknown, indent: number | string): string {
  return expandMarkers(JSON.stringify(value, null, indent));
}

const RAW_TOKENS = [
  'NaN',
  '-NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '-1e400',
  '1e-400',
  '123456789012345678901234567890',
  '-123456789012345678901234567890',
  '9007199254740993',
  '-0',
  '1E3',
  '0.1e1',
  'undefined',
  'None',
  '01',
  '.5',
  '+1',
  '0x10',
];
const rawToken = fc.constantFrom(...RAW_TOKENS).map(raw);
/** Numbers JSON.parse reads, but not as written: beyond the double range, or past 2^53. */
const rawNumber = fc
  .constantFrom('1e400', '-1e400', '1e-400', '123456789012345678901234567890', '9007199254740993', '-0', '1E3')
  .map(raw);
/** A value as another program may write it in a field this app keeps as read. */
const keptValue = fc.oneof(
  { weight: 8, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: rawNumber },
  { weight: 1, arbitrary: fc.array(rawNumber, { maxLength: 2 }) },
);
const deepValue = fc
  .tuple(
    fc.constantFrom(10, MAX_DEPTH - 5, MAX_DEPTH, MAX_DEPTH + 1, 100, 1000, 100_000),
    fc.constantFrom('array', 'object', 'proto', 'mixed'),
  )
  .map(([depth, shape]) => raw(`DEEP:${depth}:${shape}`));

// ---------------------------------------------------------------------------------------------------
// Building blocks: strings, ids, keys and values, each mostly near-valid.

const oddText = fc.constantFrom(
  '',
  ' ',
  'é',
  'ñode',
  'Ω≈ç√',
  '日本語',
  '😀',
  '\u0000',
  '\u0007',
  '\u001b[31mred\u001b[0m',
  '\u009b2J',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\t\n\r',
  '"',
  '\\',
  '</script>',
  '${x}',
  '%s',
);
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: oddText },
);

const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const validId = fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);
const idPool = fc.constantFrom('a', 'b', 'c', 'n1', 'e1', 'lattice', 'rbm1', 'plot', ...SPECIAL_KEYS);
const badId = fc.oneof(
  oddText,
  fc.constantFrom('x'.repeat(65), 'a b', 'a/b', 'a:b', 'ß', 'x\u0000y', '-', '.', '..'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
);
const anyId: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: idPool },
  { weight: 3, arbitrary: validId },
  { weight: 2, arbitrary: badId },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, 1, true, [], {}) },
);

const UNKNOWN_TYPES = ['future.node', 'zz.q', 'ising.lattice-3d', 'x'];
const anyType: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...TYPES) },
  { weight: 2, arbitrary: fc.constantFrom(...UNKNOWN_TYPES) },
  { weight: 1, arbitrary: fc.constantFrom('Ising.Lattice', 'ising..lattice', '', 'a'.repeat(101), ...SPECIAL_KEYS) },
  { weight: 1, arbitrary: fc.oneof(text, fc.constantFrom<Json>(null, 3, [])) },
);

const key = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_KEYS, 'parmas', 'Id', 'x-new', 'label2') },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: oddText },
);

const hugeNumber = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 53 + 1,
  -(2 ** 53 + 1),
  2 ** 53,
  2 ** 31,
  2 ** 32,
  -0,
  0.1 + 0.2,
);

/** Something of the wrong type or out of every range: the value a typo or another program puts in a field. */
const wildValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 0.5, '', 'x', 'NaN', 'Infinity', [], {}) },
  { weight: 3, arbitrary: hugeNumber },
  { weight: 3, arbitrary: rawToken },
  { weight: 1, arbitrary: deepValue },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: text },
);

const coordinate = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -2000, max: 2000 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: hugeNumber },
);
const position = fc.record({ x: coordinate, y: coordinate });
const extentOf = (wild: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 2000 }) },
    { weight: 1, arbitrary: fc.constantFrom(...(wild ? [0, -1, 1e-300, 1e308] : [1e-300, 1e308])) },
  );

/** `value` most of the time, else a wild value (how often: `wild` in 20). */
function nearly<T>(value: fc.Arbitrary<T>, wild: number): fc.Arbitrary<unknown> {
  const weight = Math.round(2 * wild);
  return weight ? fc.oneof({ weight: 40 - weight, arbitrary: value }, { weight, arbitrary: wildValue }) : value;
}

/**
 * An object from generated entries, with some fields dropped and unknown ones added. Built with
 * Object.fromEntries so that a `__proto__` key is a field, as JSON.parse makes it.
 */
function item(
  fields: Record<string, fc.Arbitrary<unknown>>,
  wild: number,
  optional: readonly string[] = [],
): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(fields);
  const extra = fc.tuple(key, keptValue);
  // Unknown fields: a version-2 file keeps them, a version-1 file refuses them, so a clean one rarely has any.
  const extras = wild
    ? fc.array(extra, { maxLength: 2 })
    : fc.oneof({ weight: 9, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.tuple(extra) });
  const dropped = wild
    ? fc.option(fc.subarray(names, { maxLength: Math.min(2, names.length) }), { freq: 6 })
    : fc.constant(null);
  return fc
    .tuple(fc.record(fields, { requiredKeys: names.filter((n) => !optional.includes(n)) }), dropped, extras)
    .map(([record, drop, unknown]) => {
      const entries = Object.entries(record).filter(([name]) => !drop?.includes(name));
      return Object.fromEntries([...entries, ...unknown]);
    });
}

// ---------------------------------------------------------------------------------------------------
// Params near the schema of each node type, from its JSON Schema (zod's own description of it).

interface Schema {
  type?: string;
  const?: Json;
  enum?: Json[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: Schema | false;
  prefixItems?: Schema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
}

function numberNear(schema: Schema, wild: number): fc.Arbitrary<number> {
  const integer = schema.type === 'integer';
  const bounded = schema.minimum ?? schema.exclusiveMinimum ?? schema.maximum ?? schema.exclusiveMaximum;
  if (bounded === undefined && !wild)
    return fc.oneof(fc.constantFrom(0, 1), fc.double({ min: -2, max: 2, noNaN: true }));
  const lo = schema.minimum ?? schema.exclusiveMinimum ?? -1000;
  const hi = schema.maximum ?? schema.exclusiveMaximum ?? lo + 1000;
  const edges = [lo, hi, lo - 1, hi + 1, integer ? lo + 0.5 : lo - 1e-9].filter(Number.isFinite);
  const small = integer
    ? fc.integer({ min: Math.ceil(lo), max: Math.min(hi, Math.ceil(lo) + 64) })
    : fc.double({ min: lo, max: Math.min(hi, lo + 10), noNaN: true });
  return wild ? fc.oneof({ weight: 6, arbitrary: small }, { weight: 1, arbitrary: fc.constantFrom(...edges) }) : small;
}

function fromSchema(schema: Schema, wild: number): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fromSchema(s, wild)));
  if (schema.const !== undefined) return nearly(fc.constant(schema.const), wild);
  if (schema.enum) {
    const words = schema.enum.map(String);
    const near = fc.constantFrom(...words.map((w) => w.toUpperCase()), ...words.map((w) => ` ${w}`));
    const valid = fc.constantFrom(...schema.enum);
    return wild ? nearly(fc.oneof({ weight: 8, arbitrary: valid }, near), wild) : valid;
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return nearly(numberNear(schema, wild), wild);
    case 'boolean':
      return nearly(fc.boolean(), wild);
    case 'string':
      return nearly(fc.string({ minLength: schema.minLength ?? 0, maxLength: 12 }), wild);
    case 'array': {
      if (schema.prefixItems) return nearly(fc.tuple(...schema.prefixItems.map((s) => fromSchema(s, wild))), wild);
      const items = schema.items ? fromSchema(schema.items, wild) : wildValue;
      const minLength = schema.minItems ?? 0;
      return nearly(fc.array(items, { minLength, maxLength: Math.min(schema.maxItems ?? 6, minLength + 6) }), wild);
    }
    case 'object':
      return nearly(
        item(
          Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, fromSchema(s, wild)])),
          wild,
          Object.keys(schema.properties ?? {}).filter((k) => !schema.required?.includes(k)),
        ),
        wild,
      );
    default:
      return wildValue;
  }
}

const PARAM_SCHEMAS = new Map(
  definitions.map((d) => [d.type, z.toJSONSchema(d.params, { io: 'input', unrepresentable: 'any' }) as Schema]),
);

function paramsFor(type: unknown, wild: number): fc.Arbitrary<unknown> {
  const schema = typeof type === 'string' ? PARAM_SCHEMAS.get(type) : undefined;
  const props = schema?.properties ?? { value: { type: 'number' }, mode: { enum: ['a', 'b'] } };
  return item(
    Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, wild)])),
    wild,
    Object.keys(props),
  );
}

// ---------------------------------------------------------------------------------------------------
// Structured documents: objects shaped like graph files.

const validType = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TYPES) }, fc.constantFrom(...UNKNOWN_TYPES));

function nodeArb(wild: number): fc.Arbitrary<Record<string, unknown>> {
  return (wild ? anyType : validType).chain((type) =>
    item(
      {
        id: wild ? anyId : idPool,
        type: fc.constant(type),
        typeVersion: nearly(fc.constant(1), wild),
        position: nearly(position, wild),
        label: nearly(text, wild),
        params: paramsFor(type, wild),
      },
      wild,
      ['label', 'params'],
    ),
  );
}

/** An edge between two nodes of the list (by index, mostly downstream), on their own or made-up ports. */
const edgeSpecOf = (wild: number) =>
  fc.record({
    id: wild ? anyId : idPool,
    source: fc.nat(),
    target: fc.nat(),
    sourcePort: wild ? fc.oneof({ weight: 6, arbitrary: fc.nat() }, { weight: 1, arbitrary: anyId }) : fc.nat(),
    targetPort: wild ? fc.oneof({ weight: 6, arbitrary: fc.nat() }, { weight: 1, arbitrary: anyId }) : fc.nat(),
    forward: fc.nat({ max: 9 }),
    missing: fc.nat({ max: wild ? 19 : 99 }),
  });
const edgeSpec = edgeSpecOf(1);

function portOf(node: Record<string, unknown> | undefined, side: 'inputs' | 'outputs', pick: unknown): unknown {
  if (typeof pick !== 'number') return pick;
  const definition = typeof node?.type === 'string' ? registry.get(node.type) : undefined;
  const names = definition ? Object.keys(definition[side]) : ['out', 'in'];
  return names.length ? names[pick % names.length] : 'none';
}

function wireEdges(nodes: Record<string, unknown>[], specs: ValueOf<typeof edgeSpec>[]): Record<string, unknown>[] {
  if (!nodes.length) return [];
  return specs.map((spec) => {
    let [s, t] = [spec.source % nodes.length, spec.target % nodes.length];
    if (spec.forward > 0 && s > t) [s, t] = [t, s];
    if (spec.forward > 0 && s === t && t + 1 < nodes.length) t++;
    const source = nodes[s];
    const target = nodes[t];
    return {
      id: spec.id,
      source: spec.missing === 0 ? 'missing-node' : source.id,
      sourcePort: portOf(source, 'outputs', spec.sourcePort),
      target: target.id,
      targetPort: portOf(target, 'inputs', spec.targetPort),
    };
  });
}

/** Ids made unique across `items` (a second 'a', third in its list, becomes 'a-2'), so that clean documents mostly load. */
function uniqueIds(items: Record<string, unknown>[], taken: Set<unknown>): void {
  items.forEach((it, i) => {
    if (taken.has(it.id)) it.id = `${String(it.id)}-${i}`;
    taken.add(it.id);
  });
}

const HEX = fc.constantFrom('#dbeafe', '#abc', '#ABCD', '#dbeafe80', 'red', '#ggg', '#12345', '', 'rgb(0,0,0)');

function frameArb(wild: number) {
  return item(
    {
      id: wild ? anyId : idPool,
      title: nearly(wild ? fc.oneof(text, fc.constantFrom('x'.repeat(200), 'x'.repeat(201))) : text, wild),
      color: nearly(wild ? HEX : fc.constantFrom('#dbeafe', '#abc', '#dbeafe80'), wild),
      position: nearly(position, wild),
      size: nearly(fc.record({ width: extentOf(wild), height: extentOf(wild) }), wild),
    },
    wild,
  );
}

function noteArb(wild: number) {
  const lengths = [MAX_NOTE_CHARS - 1, MAX_NOTE_CHARS, ...(wild ? [MAX_NOTE_CHARS + 1] : [])];
  const long = fc.constantFrom(...lengths).map((n) => 'n'.repeat(n));
  return item(
    {
      id: wild ? anyId : idPool,
      text: nearly(fc.oneof({ weight: 6, arbitrary: text }, { weight: 1, arbitrary: long }), wild),
      position: nearly(position, wild),
      width: nearly(extentOf(wild), wild),
    },
    wild,
    ['width'],
  );
}

const metaArb = (wild: number) =>
  item({ title: nearly(text, wild), description: nearly(text, wild), app: nearly(text, wild) }, wild, [
    'title',
    'description',
    'app',
  ]);

const viewArb = (wild: number) =>
  item(
    {
      x: nearly(coordinate, wild),
      y: nearly(coordinate, wild),
      zoom: nearly(fc.constantFrom(...(wild ? [1, 0.5, 2, 0, -1] : [1, 0.5, 2])), wild),
    },
    wild,
  );

function documentArb(wild: number): fc.Arbitrary<Record<string, unknown>> {
  const fields = fc.record(
    {
      format: nearly(fc.constant('blockspin.graph'), wild / 4),
      version: nearly(fc.constantFrom(2, 2, 1), wild / 2),
      meta: metaArb(wild),
      nodes: fc.array(nodeArb(wild), { maxLength: 7 }),
      edges: fc.array(edgeSpecOf(wild), { maxLength: 6 }),
      frames: fc.array(frameArb(wild), { maxLength: 2 }),
      notes: fc.array(noteArb(wild), { maxLength: 2 }),
      view: viewArb(wild),
    },
    { requiredKeys: ['format', 'version', 'nodes'] },
  );
  return fc.tuple(fields, item({}, wild)).map(([doc, extra]) => {
    const nodes = doc.nodes;
    if (!wild) {
      const canvas = new Set();
      for (const list of [nodes, doc.frames ?? [], doc.notes ?? []]) uniqueIds(list, canvas);
    }
    const edges = doc.edges && wireEdges(nodes, doc.edges);
    if (edges && !wild) uniqueIds(edges, new Set());
    return Object.fromEntries([...Object.entries({ ...doc, edges }), ...Object.entries(extra)]);
  });
}

const structuredText = fc
  .tuple(fc.oneof(documentArb(0), documentArb(1), documentArb(4)), fc.constantFrom<number | string>(2, 0, '\t'))
  .map(([doc, indent]) => writeText(doc, indent));

// ---------------------------------------------------------------------------------------------------
// Mutations of the example graphs, as data (so a failure shrinks to the mutations that matter).

type Step = string | number;

/** Every place in a JSON value, containers and leaves, as paths from the root. */
function placesIn(value: Json): Step[][] {
  const out: Step[][] = [];
  const walk = (v: Json, path: Step[]) => {
    const children: [Step, Json][] = Array.isArray(v)
      ? v.map((x, i) => [i, x])
      : v !== null && typeof v === 'object'
        ? Object.entries(v)
        : [];
    for (const [step, child] of children) {
      out.push([...path, step]);
      walk(child, [...path, step]);
    }
  };
  walk(value, []);
  return out;
}

function parentOf(root: Json, path: Step[]): Json {
  let at: Json = root;
  for (const step of path.slice(0, -1)) at = (at as JsonObject)[step as string];
  return at;
}

/** Assigns as JSON.parse would: a `__proto__` key becomes a field, not a prototype. */
function setField(target: Json, step: Step, value: unknown): void {
  Object.defineProperty(target, step, { value, writable: true, enumerable: true, configurable: true });
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: wildValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), key }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), key }),
  fc.record({ kind: fc.constant('type' as const), at: fc.nat(), type: anyType }),
  fc.record({ kind: fc.constant('swapIds' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('id' as const), at: fc.nat(), id: anyId }),
  fc.record({ kind: fc.constant('copyItem' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('edge' as const), edge: edgeSpec }),
  fc.record({ kind: fc.constant('frame' as const), frame: frameArb(1), asNode: fc.option(fc.nat(), { freq: 3 }) }),
  fc.record({ kind: fc.constant('note' as const), note: noteArb(1), asNode: fc.option(fc.nat(), { freq: 3 }) }),
  fc.record({ kind: fc.constant('deep' as const), at: fc.nat(), value: deepValue }),
  fc.record({
    kind: fc.constant('params' as const),
    at: fc.nat(),
    params: fc.nat().chain((n) => paramsFor(TYPES[n % TYPES.length], 2)),
  }),
  fc.record({ kind: fc.constant('version' as const), value: nearly(fc.constantFrom(1, 2), 10) }),
);
type Mutation = ValueOf<typeof mutation>;

const LISTS = ['nodes', 'edges', 'frames', 'notes'] as const;

function itemsWithIds(doc: JsonObject): JsonObject[] {
  return LISTS.flatMap((list) => (Array.isArray(doc[list]) ? (doc[list] as Json[]) : [])).filter(
    (x): x is JsonObject => x !== null && typeof x === 'object' && !Array.isArray(x),
  );
}

function nodesOf(doc: JsonObject): JsonObject[] {
  return (Array.isArray(doc.nodes) ? doc.nodes : []).filter(
    (x): x is JsonObject => x !== null && typeof x === 'object' && !Array.isArray(x),
  );
}

function pushTo(doc: JsonObject, list: string, value: unknown): void {
  if (!Array.isArray(doc[list])) setField(doc, list, []);
  (doc[list] as unknown[]).push(value);
}

function mutate(doc: JsonObject, m: Mutation): void {
  const places = placesIn(doc);
  const place = 'at' in m && places.length ? places[m.at % places.length] : null;
  const parent = place && (parentOf(doc, place) as JsonObject & Json[]);
  const step = place?.[place.length - 1];
  const nodes = nodesOf(doc);
  const pickNode = (n: number) => (nodes.length ? nodes[n % nodes.length] : undefined);
  switch (m.kind) {
    case 'set':
    case 'deep':
      if (parent && step !== undefined) setField(parent, step, m.value);
      return;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(step as number, 1);
      else if (parent && step !== undefined) delete parent[step];
      return;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(step as number, 0, structuredClone(parent[step as number]));
      else if (parent && step !== undefined) setField(parent, m.key, structuredClone(parent[step]));
      return;
    case 'rename':
      if (parent && !Array.isArray(parent) && step !== undefined && m.key !== step) {
        setField(parent, m.key, parent[step]);
        delete parent[step];
      }
      return;
    case 'type': {
      const node = pickNode(m.at);
      if (node) setField(node, 'type', m.type);
      return;
    }
    case 'swapIds': {
      const items = itemsWithIds(doc);
      if (items.length < 2) return;
      const [a, b] = [items[m.a % items.length], items[m.b % items.length]];
      [a.id, b.id] = [b.id, a.id];
      return;
    }
    case 'id': {
      const items = itemsWithIds(doc);
      if (items.length) setField(items[m.at % items.length], 'id', m.id);
      return;
    }
    case 'copyItem': {
      const items = itemsWithIds(doc);
      const list = LISTS.find((l) => Array.isArray(doc[l]) && (doc[l] as Json[]).includes(items[m.at % items.length]));
      if (list) pushTo(doc, list, structuredClone(items[m.at % items.length]));
      return;
    }
    case 'edge':
      for (const edge of wireEdges(nodes, [m.edge])) pushTo(doc, 'edges', edge);
      return;
    case 'frame':
    case 'note': {
      const furniture = m.kind === 'frame' ? m.frame : m.note;
      const node = m.asNode === null ? undefined : pickNode(m.asNode);
      pushTo(doc, `${m.kind}s`, node ? { ...furniture, id: node.id } : furniture);
      return;
    }
    case 'params': {
      const node = pickNode(m.at);
      if (node) setField(node, 'params', m.params);
      return;
    }
    case 'version':
      setField(doc, 'version', m.value);
      return;
  }
}

/** A change to the text itself, after the JSON is written: a cut-off download, a stray keystroke. */
const textEdit = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text }),
  fc.record({
    kind: fc.constant('cut' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    at: fc.nat(),
    token: fc.constantFrom(...RAW_TOKENS, '1e308', '-1e308', '4294967296', '2.5'),
  }),
);
type TextEdit = ValueOf<typeof textEdit>;

function editText(source: string, edit: TextEdit): string {
  if (edit.kind === 'number') {
    const numbers = [...source.matchAll(/(?<=[:[,]\s*)-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?=\s*[,\]}])/g)];
    if (!numbers.length) return source;
    const match = numbers[edit.at % numbers.length];
    return source.slice(0, match.index) + edit.token + source.slice(match.index + match[0].length);
  }
  const at = Math.floor(edit.at * source.length);
  if (edit.kind === 'truncate') return source.slice(0, at);
  if (edit.kind === 'insert') return source.slice(0, at) + edit.text + source.slice(at);
  return source.slice(0, at) + source.slice(at + edit.length);
}

const exampleText = fc
  .record({
    example: fc.nat({ max: EXAMPLES.length - 1 }),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    // Most edits of the text make it invalid JSON, so most cases keep the text as written.
    edits: fc.oneof(
      { weight: 7, arbitrary: fc.constant<TextEdit[]>([]) },
      { weight: 3, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 2 }) },
    ),
    indent: fc.constantFrom<number | string>(2, 2, 0, '\t'),
  })
  .map(({ example, mutations, edits, indent }) => {
    const doc = JSON.parse(EXAMPLES[example].text) as JsonObject;
    for (const m of mutations) mutate(doc, m);
    return edits.reduce(editText, writeText(doc, indent));
  });

// ---------------------------------------------------------------------------------------------------
// The properties.

/** The top-level fields of a graph file; a path may also start at any top-level key of the file. */
const TOP_FIELDS = new Set(['format', 'version', 'meta', 'nodes', 'edges', 'frames', 'notes', 'view']);

/**
 * The problems that concern the whole file, and only they, have the path ''. Everything else names the
 * field or the item it is about.
 */
const WHOLE_FILE: RegExp[] = [
  /^the file is not valid JSON\b/,
  /^the file is [\d.]+ MB; graph files are limited to \d+ MB$/,
  /^a graph file is a JSON object, but this file holds /,
  ...(KNOWN.topLevelUnknownFieldHasNoPath
    ? [/^unknown fields? .*; a version 1 graph file has no such fields?/s, /^unknown top-level field /]
    : []),
];

/** The steps of a path as formatPath writes it, or null when it is not one. */
function stepsOf(path: string): Step[] | null {
  const steps: Step[] = [];
  const token = /^(?:\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
  for (let rest = path; rest;) {
    const match = token.exec(rest);
    if (!match) return null;
    steps.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3]) as string)));
    rest = rest.slice(match[0].length);
  }
  return formatPath(steps) === path ? steps : null;
}

/** How many leading steps of `steps` exist in `json`. */
function resolved(json: unknown, steps: Step[]): number {
  let at = json;
  for (let i = 0; i < steps.length; i++) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, steps[i])) return i;
    at = (at as Record<Step, unknown>)[steps[i]];
  }
  return steps.length;
}

/** Throws `message` unless `ok`: cheaper than expect() for the 60,000 warnings of a big file. */
function demand(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message());
}

function checkIssue(issue: GraphIssue, json: unknown, kind: string): void {
  const where = () => `${kind} ${JSON.stringify(issue).slice(0, 400)}`;
  demand(typeof issue.path === 'string', () => `${where()}: the path is not a string`);
  demand(typeof issue.message === 'string' && issue.message.trim() !== '', () => `${where()}: no message`);
  for (const id of [issue.nodeId, issue.edgeId]) {
    demand(id === undefined || typeof id === 'string', () => `${where()}: an id that is not a string`);
  }
  if (issue.path === '') {
    demand(
      WHOLE_FILE.some((re) => re.test(issue.message)),
      () => `${where()}: only a problem with the whole file has the path ''`,
    );
    return;
  }
  const steps = stepsOf(issue.path);
  demand(steps !== null, () => `${where()}: the path is not one formatPath writes`);
  const root = json as Record<string, unknown>;
  demand(TOP_FIELDS.has(String(steps![0])) || Object.hasOwn(root, steps![0]), () => `${where()}: no such field`);
  // The item (nodes[3]) or field an issue is about exists in the file; the last steps may be missing ones.
  demand(
    resolved(json, steps!) >= Math.min(steps!.length - 1, 2),
    () => `${where()}: the path leads nowhere in the file`,
  );
}

/** The file as JSON, or undefined when it is not JSON. */
function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Loads `text`, checking what every answer must be; returns the result and how long parseGraph took. */
function load(text: string): { result: ParseResult; ms: number } {
  const start = performance.now();
  const result = parseGraph(text, registry);
  const ms = performance.now() - start;
  const json = jsonOf(text);
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  if (result.ok) {
    demand(isObject, () => 'loaded a file that is not a JSON object');
    demand(Array.isArray(result.warnings), () => 'warnings is not a list');
    for (const warning of result.warnings) checkIssue(warning, json, 'warning');
  } else {
    demand(result.ok === false && !('graph' in result), () => `neither loaded nor refused: ${JSON.stringify(result)}`);
    demand(Array.isArray(result.issues) && result.issues.length > 0, () => 'refused without a reason');
    if (!isObject) expect(result.issues.map((i) => i.path)).toEqual(['']);
    for (const issue of result.issues) checkIssue(issue, json, 'issue');
  }
  return { result, ms };
}

/** load(), for the generated inputs (at most a few hundred KB): each is answered in under a second. */
function loadQuickly(text: string): ParseResult {
  const { result, ms } = load(text);
  expect(ms, `parseGraph took ${ms.toFixed(0)} ms`).toBeLessThan(1000);
  return result;
}

/** A copy to compare documents by: -0 is written as 0, the same number for every purpose here. */
function comparable(value: unknown): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
}

function holdsNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(holdsNonFinite);
}

/** An accepted document is written in stable bytes, and reads back as the same document. */
function checkRoundTrip(first: Extract<ParseResult, { ok: true }>): void {
  const text = serializeGraph(first.graph);
  const again = parseGraph(text, registry);
  if (!again.ok) throw new Error(`the saved file does not load:\n${JSON.stringify(again.issues)}\n${text}`);
  expect(serializeGraph(again.graph)).toBe(text);
  // While the bug stands, a document holding Infinity is only held to stable bytes: it changes on save.
  if (KNOWN.infinityAcceptedAndSavedAsNull && holdsNonFinite(first.graph)) return;
  expect(comparable(again.graph)).toEqual(comparable(first.graph));
  // The same warnings, in the order of the fields as saved (unknown fields are written sorted by name).
  const sorted = (issues: GraphIssue[]) =>
    issues
      .map((i) => JSON.stringify(i))
      .sort()
      .join('\n');
  expect(sorted(again.warnings)).toBe(sorted(first.warnings));
}

/**
 * The check of a generated file: loaded quickly, and saved in stable bytes when accepted. It counts the
 * accepted ones, since a property that never gets a valid document tests little.
 */
function loadAndSave(): { check: (text: string) => void; accepted: () => number } {
  let accepted = 0;
  return {
    check: (text) => {
      const result = loadQuickly(text);
      if (result.ok) {
        accepted++;
        checkRoundTrip(result);
      }
    },
    accepted: () => accepted,
  };
}

describe('parseGraph under fuzzing', () => {
  it(
    'answers any JSON value, and any text, with a graph or issues that name their place',
    () => {
      const anyText = fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc
          .array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '1', 'NaN', 'null', '"format"', ' ', '"\\'), {
            maxLength: 30,
          })
          .map((parts) => parts.join('')),
        fc.tuple(fc.jsonValue(), rawToken).map(([v, t]) => writeText([v, t], 0)),
      );
      fc.assert(
        fc.property(anyText, (input) => void loadQuickly(input)),
        fuzz(2),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'answers documents shaped like graph files, and saves every accepted one in stable bytes',
    () => {
      const run = loadAndSave();
      fc.assert(fc.property(structuredText, run.check), fuzz(3));
      // Some must load (about one in ten do), or the round trip is barely tested.
      expect(run.accepted()).toBeGreaterThan(fuzz(3).numRuns / 25);
    },
    TIMEOUT_MS,
  );

  it(
    'answers every example graph mutated, and saves every accepted one in stable bytes',
    () => {
      const run = loadAndSave();
      fc.assert(fc.property(exampleText, run.check), fuzz(4));
      expect(run.accepted()).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );

  it.each(EXAMPLES)('truncates $file at every 97th place and refuses each as ending too early', ({ text }) => {
    for (let at = 0; at < text.trimEnd().length; at += 97) {
      const result = loadQuickly(text.slice(0, at));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues[0].message, `cut at ${at}`).toMatch(/ends too early/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Unknown fields in a version-2 file survive open → save; in a version-1 file they are refused.

/** The fields each kind of item owns; an unknown field is any other name. */
const OWN_FIELDS: Record<string, readonly string[]> = {
  top: [...TOP_FIELDS],
  meta: ['title', 'description', 'app'],
  nodes: ['id', 'type', 'typeVersion', 'position', 'label', 'params'],
  edges: ['id', 'source', 'sourcePort', 'target', 'targetPort'],
  frames: ['id', 'title', 'color', 'position', 'size'],
  notes: ['id', 'text', 'position', 'width'],
  view: ['x', 'y', 'zoom'],
};

const unknownField = fc.record({
  where: fc.constantFrom('top', 'meta', 'nodes', 'edges', 'frames', 'notes', 'view'),
  at: fc.nat(),
  key,
  value: keptValue,
});

function holderOf(doc: JsonObject, where: string, at: number): JsonObject | undefined {
  if (where === 'top') return doc;
  const value = doc[where];
  if (!Array.isArray(value)) return value as JsonObject | undefined;
  return value.length ? (value[at % value.length] as JsonObject) : undefined;
}

describe('unknown fields under fuzzing', () => {
  it(
    'keeps every unknown field of a version-2 file, and refuses each in a version-1 file',
    () => {
      const input = fc.record({
        example: fc.nat({ max: EXAMPLES.length - 1 }),
        placeholders: fc.array(fc.nat(), { maxLength: 2 }),
        fields: fc.array(unknownField, { minLength: 1, maxLength: 4 }),
        version: fc.constantFrom(2, 2, 1),
      });
      fc.assert(
        fc.property(input, ({ example, placeholders, fields, version }) => {
          const doc = JSON.parse(EXAMPLES[example].text) as JsonObject;
          doc.version = version;
          const nodes = nodesOf(doc);
          for (const n of placeholders) nodes[n % nodes.length].type = UNKNOWN_TYPES[n % UNKNOWN_TYPES.length];
          doc.frames = [
            { id: 'frame', title: 'F', color: '#abc', position: { x: 0, y: 0 }, size: { width: 9, height: 9 } },
          ];
          doc.notes = [{ id: 'note', text: 'N', position: { x: 0, y: 0 } }];
          const added: { holder: JsonObject; where: string; key: string }[] = [];
          for (const f of fields) {
            const holder = holderOf(doc, f.where, f.at);
            if (!holder || OWN_FIELDS[f.where].includes(f.key)) continue;
            setField(holder, f.key, f.value);
            added.push({ holder, where: f.where, key: f.key });
          }
          const result = loadQuickly(writeText(doc, 2));
          const checked = added.filter((a) => !(KNOWN.protoFieldDropped && a.key === '__proto__'));
          // Unknown fields of a placeholder, and meta's extra fields, are kept in a version-1 file too.
          const refusable = checked.filter(
            (a) => a.where !== 'meta' && !(a.where === 'nodes' && !registry.has(String(a.holder.type))),
          );
          if (version === 1 && refusable.length) {
            expect(result.ok, 'a version-1 file with an unknown field is refused').toBe(false);
            return;
          }
          const nonFinite = added.some(({ holder, key }) =>
            holdsNonFinite((JSON.parse(writeText(holder, 0)) as JsonObject)[key]),
          );
          if (!KNOWN.infinityAcceptedAndSavedAsNull && nonFinite) {
            expect(result.ok, 'a number beyond the double range is refused').toBe(false);
            if (!result.ok) expect(result.issues.some((i) => /too large to be represented/.test(i.message))).toBe(true);
            return;
          }
          if (!result.ok) {
            if (KNOWN.protoFieldDropped && added.length > checked.length) return;
            throw new Error(`refused: ${JSON.stringify(result.issues)}`);
          }
          checkRoundTrip(result);
          const saved = JSON.parse(serializeGraph(result.graph)) as JsonObject;
          for (const { holder, where, key: name } of checked) {
            const index = Array.isArray(doc[where]) ? (doc[where] as Json[]).indexOf(holder) : -1;
            const copy = where === 'top' ? saved : index >= 0 ? (saved[where] as Json[])[index] : saved[where];
            const written = JSON.parse(writeText(holder, 0)) as JsonObject;
            expect(Object.hasOwn(copy as object, name), `${where}[${index}] keeps "${name}"`).toBe(true);
            const value = written[name];
            // While the bug stands, Infinity (from 1e400) is saved as null.
            const expected =
              KNOWN.infinityAcceptedAndSavedAsNull && holdsNonFinite(value) ? JSON.parse(JSON.stringify(value)) : value;
            expect(comparable((copy as JsonObject)[name])).toEqual(comparable(expected));
          }
        }),
        fuzz(2),
      );
    },
    TIMEOUT_MS,
  );
});

// ---------------------------------------------------------------------------------------------------
// About 1 MB each: big files must be answered in well under a second.

const MB = 1024 * 1024;

function file(nodes: unknown[], edges: unknown[] = [], extra: Record<string, unknown> = {}, indent = 0): string {
  const doc = { format: 'blockspin.graph', version: 2, meta: { title: 'big' }, nodes, edges, ...extra };
  return JSON.stringify(doc, null, indent);
}

const latticeNode = (id: string, params: Record<string, unknown> = { L: 16, T: [2, 2.269, 2.5] }) => ({
  id,
  type: 'ising.lattice',
  typeVersion: 1,
  position: { x: 0, y: 0 },
  params,
});
const blockNode = (id: string) => ({ id, type: 'rg.blockspin', typeVersion: 1, position: { x: 0, y: 0 } });
const edgeOf = (i: number, source: string, target: string) => ({
  id: `e${i}`,
  source,
  sourcePort: 'spins',
  target,
  targetPort: 'spins',
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const chain = range(MAX_NODES).map((i) => (i === 0 ? latticeNode('n0') : blockNode(`n${i}`)));
const chainEdges = range(MAX_NODES - 1).map((i) => edgeOf(i, `n${i}`, `n${i + 1}`));
const padded = (n: number) => 'p'.repeat(n);

/** The fastest of `n` runs, in ms: what the input costs, less the JIT's warm-up and the GC's pauses. */
function bestOf(n: number, run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const BIG: [string, () => string, boolean][] = [
  [
    '5000 lattice nodes, as the app writes them (1.2 MB)',
    () =>
      file(
        range(MAX_NODES).map((i) => latticeNode(`lattice-${i}`)),
        [],
        {},
        2,
      ),
    true,
  ],
  ['a chain of 5000 nodes and 4999 edges', () => file(chain, chainEdges), true],
  [
    'a cycle through 5000 nodes',
    () => file(chain, [...chainEdges, edgeOf(MAX_NODES, `n${MAX_NODES - 1}`, 'n1')]),
    false,
  ],
  [
    '5000 nodes with bad params',
    () => file(range(MAX_NODES).map((i) => latticeNode(`n${i}`, { L: -1, T: 'x', dim: 3 }))),
    false,
  ],
  ['5000 bad ids', () => file(range(MAX_NODES).map((i) => latticeNode(`\u0000${i}\u001b[2J`))), false],
  ['5000 duplicate ids', () => file(range(MAX_NODES).map(() => latticeNode('same'))), false],
  [
    '5000 placeholders',
    () => file(range(MAX_NODES).map((i) => ({ ...latticeNode(`n${i}`), type: `future.t${i % 7}` }))),
    true,
  ],
  [
    '5000 nodes with an unknown field each',
    () => file(range(MAX_NODES).map((i) => ({ ...latticeNode(`n${i}`), [`x${i}`]: i }))),
    true,
  ],
  [
    'one node with 60,000 unknown fields',
    () => file([Object.fromEntries([...Object.entries(latticeNode('n')), ...range(60_000).map((i) => [`f${i}`, i])])]),
    true,
  ],
  [
    '10,000 edges to missing nodes',
    () =>
      file(
        [latticeNode('a')],
        range(10_000).map((i) => edgeOf(i, 'a', `missing${i}`)),
      ),
    false,
  ],
  [
    '5000 edges into one plot',
    () =>
      file(
        [...range(MAX_NODES - 1).map((i) => latticeNode(`n${i}`)), { ...blockNode('p'), type: 'plot' }],
        range(MAX_NODES - 1).map((i) => ({ ...edgeOf(i, `n${i}`, 'p'), targetPort: 'values' })),
      ),
    true,
  ],
  [
    'MAX_EDGES + 1 edges',
    () =>
      file(
        [latticeNode('a')],
        range(MAX_EDGES + 1).map((i) => edgeOf(i, 'a', 'a')),
      ),
    false,
  ],
  ['a 1 MB label', () => file([{ ...latticeNode('a'), label: padded(MB) }]), true],
  ['a 1 MB note', () => file([], [], { notes: [{ id: 'n', text: padded(MB), position: { x: 0, y: 0 } }] }), false],
  ['a 1 MB unknown field', () => file([{ ...latticeNode('a'), future: padded(MB) }]), true],
  ['a 1 MB unknown field name', () => file([{ ...latticeNode('a'), [padded(MB)]: 1 }]), true],
  ['a 1 MB id', () => file([latticeNode(padded(MB))]), false],
  ['1 MB of escapes', () => file([{ ...latticeNode('a'), label: '\\"\u0001é😀'.repeat(MB / 12) }]), true],
  ['100,000 temperatures', () => file([latticeNode('a', { T: range(100_000).map((i) => 1 + i / 1e5) })]), false],
  ['500,000 levels of arrays', () => expandMarkers(file([], [], { meta: { deep: raw('DEEP:250000:array') } })), false],
  [
    '100,000 levels of objects',
    () => expandMarkers(file([], [], { meta: { deep: raw('DEEP:100000:object') } })),
    false,
  ],
  ['a truncated 1 MB file', () => file(range(MAX_NODES).map((i) => latticeNode(`n${i}`))).slice(0, MB / 2), false],
  ['1 MB of strings, then a bad token', () => `[${'"a\\"b",'.repeat(MB / 7)}x]`, false],
  [
    '1 MB of strings, then NaN',
    () => file([{ ...latticeNode('a'), label: padded(MB) }]).replace('"L":16', '"L":NaN'),
    false,
  ],
  ['1 MB of spaces', () => ' '.repeat(MB), false],
  ['just over 20 MB', () => padded(MAX_FILE_BYTES + 1), false],
];

describe('parseGraph on big files', () => {
  it.each(BIG)('answers %s in under a second', (_, make, ok) => {
    const input = make();
    const { result, ms } = load(input);
    // A slow first run is timed twice more: the JIT's warm-up and a GC pause are not the input's cost.
    const fastest =
      ms < 1000
        ? ms
        : Math.min(
            ms,
            bestOf(2, () => parseGraph(input, registry)),
          );
    expect(fastest, 'ms, the fastest of up to 3 runs').toBeLessThan(1000);
    expect(result.ok, result.ok ? '' : JSON.stringify(result.issues.slice(0, 3)).slice(0, 500)).toBe(ok);
    if (result.ok) checkRoundTrip(result);
  });
});
