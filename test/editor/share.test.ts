import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeShareFragment, encodeShareFragment } from '../../src/editor/share';

describe('share links', () => {
  const text = readFileSync('graphs/ising-basics.blockspin.json', 'utf8');

  it('round-trips a graph file byte for byte, compressed well below its size', async () => {
    const fragment = await encodeShareFragment(text);
    expect(fragment.startsWith('#graph=')).toBe(true);
    expect(fragment).toMatch(/^#graph=[A-Za-z0-9_-]+$/); // URL-safe, no padding
    expect(fragment.length).toBeLessThan(text.length / 2);
    expect(await decodeShareFragment(fragment)).toBe(text);
  });

  it('ignores fragments that carry no graph and refuses damaged ones clearly', async () => {
    expect(await decodeShareFragment('')).toBeNull();
    expect(await decodeShareFragment('#section-2')).toBeNull();
    const fragment = await encodeShareFragment(text);
    await expect(decodeShareFragment(fragment.slice(0, fragment.length / 2))).rejects.toThrow('share link is damaged');
  });
});
