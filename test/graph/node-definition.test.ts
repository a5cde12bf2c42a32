import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode, migrateParams, type NodeDefinition } from '../../src/graph/node-definition';
import { migratedNode } from '../helpers/test-nodes';

function definition(overrides: Partial<NodeDefinition> = {}): NodeDefinition {
  return {
    type: 'test.probe',
    version: 1,
    title: 'Probe',
    category: 'Test',
    doc: 'For defineNode tests.',
    inputs: { a: { type: 'tensor' }, rest: { type: 'tensor', many: true, optional: true } },
    outputs: { out: { type: 'tensor' } },
    params: z.strictObject({}),
    async run() {
      return {};
    },
    ...overrides,
  };
}

describe('defineNode', () => {
  it('returns a sound definition unchanged', () => {
    const def = definition();
    expect(defineNode(def)).toBe(def);
  });

  it.each(['a', 'rg.blockspin', 'test.table-sink', 'ml.rbm2', 'x1.y-2.z'])('accepts the type id %s', (type) => {
    expect(defineNode(definition({ type })).type).toBe(type);
  });

  it.each([
    '',
    'Test.source',
    'test..source',
    'test.',
    '.test',
    '1test',
    'test_source',
    'test source',
    'test.Add',
    'test/add',
  ])('rejects the type id %j', (type) => {
    expect(() => defineNode(definition({ type }))).toThrow(
      `node type '${type}': a type id is lower-case words joined by '.' or '-'`,
    );
  });

  it.each([0, -1, 1.5, NaN])('rejects version %s', (version) => {
    expect(() => defineNode(definition({ version }))).toThrow(
      "node type 'test.probe': version must be a positive integer",
    );
  });

  it.each(['1a', 'a-b', 'a b', '', 'a.b'])('rejects the input port name %j', (name) => {
    expect(() => defineNode(definition({ inputs: { [name]: { type: 'tensor' } } }))).toThrow(
      `node type 'test.probe': input port name '${name}' is not an identifier`,
    );
  });

  it('rejects a bad output port name', () => {
    expect(() => defineNode(definition({ outputs: { 'out-1': { type: 'tensor' } } }))).toThrow(
      "output port name 'out-1' is not an identifier",
    );
  });

  it('accepts identifier port names', () => {
    expect(() => defineNode(definition({ inputs: { _x: { type: 'any' }, Spins2: { type: 'spins' } } }))).not.toThrow();
  });

  it('rejects an output marked many or optional', () => {
    expect(() => defineNode(definition({ outputs: { out: { type: 'tensor', many: true } } }))).toThrow(
      "node type 'test.probe': output 'out' cannot be 'many' or 'optional'",
    );
    expect(() => defineNode(definition({ outputs: { out: { type: 'tensor', optional: true } } }))).toThrow(
      "output 'out' cannot be 'many' or 'optional'",
    );
  });

  it.each(['1', '4', '0', '2.5', 'two'])('rejects migration key %s for a version 3 type', (key) => {
    const migrations = { [key]: (p: Record<string, unknown>) => p };
    expect(() => defineNode(definition({ version: 3, migrations }))).toThrow(
      `node type 'test.probe': migration key ${key} must be a version in 2..3`,
    );
  });

  it('accepts migration keys 2..version', () => {
    const step = (p: Record<string, unknown>) => p;
    expect(() => defineNode(definition({ version: 3, migrations: { 2: step, 3: step } }))).not.toThrow();
  });
});

describe('migrateParams', () => {
  it('applies each step from the written version to the current one, in order', () => {
    expect(migrateParams(migratedNode, 1, { n: 5, keep: true })).toEqual({ size: 5, keep: true });
    expect(migrateParams(migratedNode, 2, { count: 6 })).toEqual({ size: 6 });
    expect(migrateParams(migratedNode, 3, { size: 7 })).toEqual({ size: 7 });
  });

  it('skips versions that changed nothing in the params', () => {
    const calls: number[] = [];
    const def = definition({
      version: 4,
      migrations: {
        2: (p) => (calls.push(2), { ...p, two: true }),
        4: (p) => (calls.push(4), { ...p, four: true }),
      },
    });
    expect(migrateParams(def, 1, {})).toEqual({ two: true, four: true });
    expect(calls).toEqual([2, 4]);
    expect(migrateParams(def, 2, {})).toEqual({ four: true });
  });
});
