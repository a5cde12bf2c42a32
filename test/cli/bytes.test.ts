import { describe, expect, it } from 'vitest';
import { parseBytes } from '../../src/cli/bytes';

describe('parseBytes', () => {
  it('reads decimal and binary units, and plain bytes', () => {
    expect(parseBytes('8GB')).toBe(8e9);
    expect(parseBytes('512 MB')).toBe(512e6);
    expect(parseBytes('1.5gb')).toBe(1.5e9);
    expect(parseBytes('2GiB')).toBe(2 * 2 ** 30);
    expect(parseBytes('64KiB')).toBe(65536);
    expect(parseBytes('1000')).toBe(1000);
  });

  it('refuses what is not a size', () => {
    for (const text of ['', 'lots', '8 GBs', '-1GB', '0', 'GB'])
      expect(() => parseBytes(text), text).toThrow(/is not a size/);
  });
});
