import { describe, expect, it } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { searchText } from '../../src/ui/QuickSearch';

const registry = appRegistry();
const find = (query: string) =>
  registry
    .all()
    .filter((d) => searchText(d).includes(query))
    .map((d) => d.type);

describe('quick search', () => {
  it('matches node docs and param names, not only titles', () => {
    expect(find('wolff')).toContain('ising.lattice');
    expect(find('binder')).toContain('measure.observables');
    expect(find('learningrate')).toContain('rbm.layer');
  });

  it('does not match a word no node mentions', () => {
    expect(find('zebrafish')).toEqual([]);
  });
});
