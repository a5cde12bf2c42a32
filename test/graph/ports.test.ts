import { describe, expect, it } from 'vitest';
import { PORT_TYPE_IDS, PORT_TYPES, canConnect, connectionError, isPortType } from '../../src/graph/ports';

describe('port types', () => {
  it('lists every port type, each with a title and a colour', () => {
    expect([...PORT_TYPE_IDS].sort()).toEqual(['any', 'figure', 'rbm', 'series', 'spins', 'table', 'tensor']);
    for (const id of PORT_TYPE_IDS) {
      expect(PORT_TYPES[id].title).not.toBe('');
      expect(PORT_TYPES[id].color).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('isPortType knows the port types and nothing inherited', () => {
    expect(isPortType('tensor')).toBe(true);
    expect(isPortType('any')).toBe(true);
    expect(isPortType('Tensor')).toBe(false);
    expect(isPortType('toString')).toBe(false);
    expect(isPortType('constructor')).toBe(false);
    expect(isPortType('')).toBe(false);
  });
});

describe('canConnect', () => {
  it('connects every type to itself and into an any input', () => {
    for (const type of PORT_TYPE_IDS) {
      expect(canConnect(type, type)).toBe(true);
      expect(canConnect(type, 'any')).toBe(true);
    }
  });

  it('lets spins feed a tensor input, but not the other way round', () => {
    expect(canConnect('spins', 'tensor')).toBe(true);
    expect(canConnect('tensor', 'spins')).toBe(false);
  });

  it.each([
    ['tensor', 'table'],
    ['table', 'tensor'],
    ['series', 'figure'],
    ['rbm', 'tensor'],
    ['spins', 'rbm'],
    ['figure', 'series'],
  ] as const)('refuses %s into %s', (from, to) => {
    expect(canConnect(from, to)).toBe(false);
  });
});

describe('connectionError', () => {
  it('is null for an allowed connection', () => {
    expect(connectionError('spins', 'tensor')).toBeNull();
    expect(connectionError('table', 'table')).toBeNull();
    expect(connectionError('rbm', 'any')).toBeNull();
  });

  it('says what the input accepts, widenings included', () => {
    expect(connectionError('table', 'tensor')).toBe(
      'a table output cannot feed a tensor input (it accepts tensor or spins)',
    );
    expect(connectionError('tensor', 'table')).toBe('a tensor output cannot feed a table input (it accepts table)');
    expect(connectionError('tensor', 'spins')).toBe('a tensor output cannot feed a spins input (it accepts spins)');
  });

  it('agrees with canConnect for every pair of types', () => {
    for (const from of PORT_TYPE_IDS) {
      for (const to of PORT_TYPE_IDS) {
        expect(connectionError(from, to) === null, `${from} -> ${to}`).toBe(canConnect(from, to));
      }
    }
  });
});
