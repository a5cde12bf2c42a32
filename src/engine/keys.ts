import stringify from 'safe-stable-stringify';

/** cyrb53: a fast 53-bit string hash (public domain, by bryc). Two seeds give 106 bits. */
function cyrb53(text: string, seed: number): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** A short key for a JSON-like value; equal content (in any key order) gives an equal key. */
export function contentKey(value: unknown): string {
  const text = stringify(value) ?? 'undefined';
  return `${cyrb53(text, 1)}${cyrb53(text, 2)}`;
}
