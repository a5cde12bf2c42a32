import { describe, expect, it } from 'vitest';
import { NodeRegistry } from '../../src/graph/registry';
import { addNode, sourceNode, testNodes } from '../helpers/test-nodes';

describe('NodeRegistry', () => {
  it('finds node types by id', () => {
    const registry = new NodeRegistry([sourceNode, addNode]);
    expect(registry.get('test.add')).toBe(addNode);
    expect(registry.has('test.source')).toBe(true);
    expect(registry.has('test.sum')).toBe(false);
    expect(registry.get('test.sum')).toBeUndefined();
    expect(registry.all()).toEqual([sourceNode, addNode]);
  });

  it('does not find inherited names', () => {
    const registry = new NodeRegistry(testNodes);
    expect(registry.get('constructor')).toBeUndefined();
    expect(registry.has('toString')).toBe(false);
  });

  it('rejects a type registered twice, naming it', () => {
    expect(() => new NodeRegistry([sourceNode, addNode, { ...sourceNode }])).toThrow(
      "node type 'test.source' is registered twice",
    );
  });
});
