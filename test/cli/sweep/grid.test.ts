import { describe, expect, it } from 'vitest';
import { gridTasks, parseGridAxis, splitTopLevel } from '../../../src/cli/sweep/grid';
import { applyOverrides, parseOverride } from '../../../src/cli/overrides';

describe('sweep grid', () => {
  it('splits values at top-level commas only', () => {
    expect(splitTopLevel('1,2,3')).toEqual(['1', '2', '3']);
    expect(splitTopLevel('[2.2,2.3],[2.4]')).toEqual(['[2.2,2.3]', '[2.4]']);
    expect(splitTopLevel('{"a":1,"b":2},"x,y",z')).toEqual(['{"a":1,"b":2}', '"x,y"', 'z']);
    expect(splitTopLevel('"a\\",b",c')).toEqual(['"a\\",b"', 'c']);
  });

  it('reads values as --set does: JSON when it is JSON, else text', () => {
    expect(parseGridAxis('lattice.L=8,16')).toEqual({ node: 'lattice', param: 'L', values: [8, 16] });
    expect(parseGridAxis('rg.rule=majority,decimation').values).toEqual(['majority', 'decimation']);
    expect(parseGridAxis('lattice.T=[2.2,2.3],[2.4]').values).toEqual([[2.2, 2.3], [2.4]]);
    expect(parseGridAxis('a.b="1",true').values).toEqual(['1', true]);
  });

  it('names the axis in every error', () => {
    expect(() => parseGridAxis('lattice.L')).toThrow('--grid lattice.L: expected node.param=value1,value2,...');
    expect(() => parseGridAxis('lattice.L=')).toThrow('expected node.param=value1');
    expect(() => parseGridAxis('lattice.L=8,,16')).toThrow('--grid lattice.L=8,,16: an empty value');
    expect(() => parseGridAxis('L=8')).toThrow('expected node.param=value');
    expect(() => gridTasks([parseGridAxis('a.b=1'), parseGridAxis('a.b=2')])).toThrow('--grid a.b is given twice');
  });

  it('is the Cartesian product, the first axis slowest, and its --set values round-trip', () => {
    const tasks = gridTasks([parseGridAxis('lattice.L=8,16,32'), parseGridAxis('lattice.T=2.2,"x,y"')]);
    expect(tasks.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tasks.map((t) => [t.values['lattice.L'], t.values['lattice.T']])).toEqual([
      [8, 2.2],
      [8, 'x,y'],
      [16, 2.2],
      [16, 'x,y'],
      [32, 2.2],
      [32, 'x,y'],
    ]);
    for (const task of tasks) {
      const json = { nodes: [{ id: 'lattice', params: {} }] };
      applyOverrides(json, task.set.map(parseOverride));
      expect(json.nodes[0].params).toEqual({ L: task.values['lattice.L'], T: task.values['lattice.T'] });
    }
    // a string that looks like a number stays a string through the manifest's --set form
    const [quoted] = gridTasks([parseGridAxis('a.b="1"')]);
    expect(parseOverride(quoted.set[0]).value).toBe('1');
  });
});
