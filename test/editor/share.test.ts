import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeShareFragment, encodeShareFragment, MAX_FRAGMENT_CHARS } from '../../src/editor/share';
import { MAX_FILE_BYTES } from '../../src/graph/document';

const MB = 1024 * 1024;
const fragmentOf = (bytes: Uint8Array) => '#graph=' + Buffer.from(gzipSync(bytes)).toString('base64url');

/** Puts a DecompressionStream in place of the global one that counts the bytes it lets out. */
function countDecompressedBytes(): { total: number } {
  const count = { total: 0 };
  const Real = globalThis.DecompressionStream;
  vi.stubGlobal(
    'DecompressionStream',
    class {
      readonly writable: WritableStream<BufferSource>;
      readonly readable: ReadableStream<Uint8Array>;
      constructor(format: CompressionFormat) {
        const real = new Real(format);
        this.writable = real.writable;
        this.readable = real.readable.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              count.total += chunk.byteLength;
              controller.enqueue(chunk);
            },
          }),
        );
      }
    },
  );
  return count;
}

describe('share links', () => {
  const text = readFileSync('graphs/ising-basics.blockspin.json', 'utf8');

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('round-trips a graph file byte for byte, compressed well below its size', async () => {
    const fragment = await encodeShareFragment(text);
    expect(fragment.startsWith('#graph=')).toBe(true);
    expect(fragment).toMatch(/^#graph=[A-Za-z0-9_-]+$/); // URL-safe, no padding
    expect(fragment.length).toBeLessThan(text.length / 2);
    expect(await decodeShareFragment(fragment)).toBe(text);
    expect(await decodeShareFragment(fragmentOf(new TextEncoder().encode(text)))).toBe(text); // another gzip
  });

  it('ignores fragments that carry no graph and refuses damaged ones clearly', async () => {
    expect(await decodeShareFragment('')).toBeNull();
    expect(await decodeShareFragment('#section-2')).toBeNull();
    const fragment = await encodeShareFragment(text);
    await expect(decodeShareFragment(fragment.slice(0, fragment.length / 2))).rejects.toThrow('share link is damaged');
    await expect(decodeShareFragment('#graph=not*base64')).rejects.toThrow('share link is damaged');
  });

  it('refuses a gzip bomb quickly, without inflating it all', async () => {
    // 64 MB of spaces in an 87 KB link: read whole, this took 0.7 s and about 190 MB.
    const bomb = fragmentOf(new Uint8Array(64 * MB).fill(0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const count = countDecompressedBytes();
    const start = performance.now();
    await expect(decodeShareFragment(bomb)).rejects.toThrow(
      'this share link would unpack to more than 20 MB (graph files are limited to 20 MB)',
    );
    expect(performance.now() - start).toBeLessThan(3000); // about 0.2 s
    // It stopped soon after the limit: one 4 KiB input chunk inflates to at most about 4 MB.
    expect(count.total).toBeGreaterThan(MAX_FILE_BYTES);
    expect(count.total).toBeLessThan(MAX_FILE_BYTES + 5 * MB);
  });

  it('opens a link that unpacks to exactly the limit, and refuses one byte more', async () => {
    const json = (size: number) => {
      const bytes = new Uint8Array(size).fill(0x20);
      bytes.set(new TextEncoder().encode('{"a": "€"}'));
      return bytes;
    };
    const opened = await decodeShareFragment(fragmentOf(json(MAX_FILE_BYTES)));
    expect(opened?.length).toBe(MAX_FILE_BYTES - 2); // '€' is 3 bytes and 1 character
    expect(opened?.startsWith('{"a": "€"}  ')).toBe(true);
    await expect(decodeShareFragment(fragmentOf(json(MAX_FILE_BYTES + 1)))).rejects.toThrow('more than 20 MB');
  });

  it('refuses a link longer than any graph file within the limit compresses to, before decoding it', async () => {
    // 20 MB of bytes that do not compress still fit in a link: the bound is not too tight.
    expect(fragmentOf(randomBytes(MAX_FILE_BYTES)).length).toBeLessThanOrEqual(MAX_FRAGMENT_CHARS);

    const count = countDecompressedBytes();
    const atob = vi.spyOn(globalThis, 'atob');
    const long = '#graph=' + 'A'.repeat(MAX_FRAGMENT_CHARS);
    await expect(decodeShareFragment(long)).rejects.toThrow(
      /this share link is 26\.\d MB long, longer than any graph file within the limit compresses to \(graph files are limited to 20 MB\)/,
    );
    expect(atob).not.toHaveBeenCalled();
    expect(count.total).toBe(0);
  });
});
