/** Figure PNGs: resvg at scale 2, decodable by fast-png, carrying the graph file byte for byte. */
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { decode } from 'fast-png';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { encodePng, graphFromPng, GRAPH_CHUNK_KEY, MAX_PNG_BYTES } from '../../src/figures/png-text';
import { svgToPng } from '../../src/figures/rasterize';
import { parseGraph } from '../../src/graph/parse';

const graphText = readFileSync('graphs/ising-basics.blockspin.json', 'utf8');

const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="50" viewBox="0 0 120 50">' +
  '<rect width="100%" height="100%" fill="white"/><rect x="10" y="10" width="30" height="30" fill="#ff0000"/>' +
  '<text x="60" y="30" font-size="12">32 × 32</text></svg>';

describe('svgToPng', () => {
  it('renders at twice the SVG size, as RGBA that fast-png decodes', () => {
    const png = decode(svgToPng(svg));
    expect([png.width, png.height]).toEqual([240, 100]);
    expect(png.channels).toBe(4);
    expect(png.depth).toBe(8);
    const pixel = (x: number, y: number) => Array.from(png.data.slice((y * 240 + x) * 4, (y * 240 + x) * 4 + 4));
    expect(pixel(50, 50)).toEqual([255, 0, 0, 255]); // inside the red square (10..40 at scale 2: 20..80)
    expect(pixel(5, 5)).toEqual([255, 255, 255, 255]);
    // The text drew something (the system's fonts are found).
    let dark = 0;
    for (let y = 0; y < 100; y++) for (let x = 120; x < 240; x++) if (pixel(x, y)[0] < 128) dark++;
    expect(dark).toBeGreaterThan(20);
    expect(decode(svgToPng(svg, undefined, 1)).width).toBe(120);
  });

  it('embeds a real graph file, which comes back byte-identical and still loads', () => {
    expect(graphText).toContain('×');
    expect(graphText).toContain('—');
    const bytes = svgToPng(svg, graphText);
    expect(decode(bytes).text).toHaveProperty(GRAPH_CHUNK_KEY);
    const back = graphFromPng(bytes);
    expect(back).toBe(graphText);
    expect(
      Buffer.from(new TextEncoder().encode(back!)).equals(readFileSync('graphs/ising-basics.blockspin.json')),
    ).toBe(true);
    const parsed = parseGraph(back!, appRegistry());
    expect(parsed.ok).toBe(true);
  });

  it('gives null for a PNG with no graph, and throws on bytes that are not a PNG', () => {
    expect(graphFromPng(svgToPng(svg))).toBeNull();
    expect(graphFromPng(encodePng(new Uint8Array(4).fill(255), 1, 1))).toBeNull();
    expect(() => graphFromPng(new TextEncoder().encode('{"format":"blockspin.graph"}'))).toThrow();
    expect(() => graphFromPng(new Uint8Array(0))).toThrow();
  });
});

describe('encodePng / graphFromPng', () => {
  it('keeps every UTF-8 byte value, including those in 0x80..0x9F', () => {
    // '—' is E2 80 94, '€' E2 82 AC, '×' C3 97, 'Ÿ' C5 B8, and a character outside the BMP.
    const text = 'all the bytes: — € × Ÿ ñ 😀 \u0000 \n\t"quoted"';
    const bytes = encodePng(Uint8Array.from([10, 20, 30, 255]), 1, 1, text);
    expect(graphFromPng(bytes)).toBe(text);
    expect(graphFromPng(encodePng(Uint8Array.from([10, 20, 30, 255]), 1, 1, ''))).toBe('');
  });

  describe('with a WHATWG latin1 decoder (windows-1252, as browsers have it)', () => {
    // What `new TextDecoder('latin1')` gives for bytes 0x80..0x9F in Chromium and Firefox.
    const WINDOWS_1252 =
      '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
      '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';
    const asWindows1252 = (latin1: string) =>
      Array.from(latin1, (c) => {
        const code = c.charCodeAt(0);
        return code >= 0x80 && code < 0xa0 ? WINDOWS_1252[code - 0x80] : c;
      }).join('');

    afterEach(() => {
      vi.doUnmock('fast-png');
      vi.resetModules();
    });

    it('still gives the graph text back byte for byte', async () => {
      vi.resetModules();
      vi.doMock('fast-png', async (importOriginal) => {
        const original = await importOriginal<typeof import('fast-png')>();
        return {
          ...original,
          decode: (...args: Parameters<typeof original.decode>) => {
            const png = original.decode(...args);
            const text = Object.fromEntries(Object.entries(png.text).map(([k, v]) => [k, asWindows1252(v)]));
            return { ...png, text };
          },
        };
      });
      const browserLike = await import('../../src/figures/png-text');
      const bytes = encodePng(Uint8Array.from([0, 0, 0, 255]), 1, 1, graphText);
      // The mock really decodes like a browser: '×' (C3 97) reads as 'Ã—'.
      const { decode: mockedDecode } = await import('fast-png');
      expect(mockedDecode(bytes).text[GRAPH_CHUNK_KEY]).toContain('\u00c3\u2014');
      expect(browserLike.graphFromPng(bytes)).toBe(graphText);
    });
  });
});

describe('graphFromPng on PNGs from elsewhere', () => {
  const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

  /** One chunk: length, type, data and the CRC of type and data (node:zlib's crc32, not the one under test). */
  function chunk(type: string, data: Uint8Array | string): Uint8Array {
    const body = new Uint8Array([
      ...latin1(type),
      ...(typeof data === 'string' ? new TextEncoder().encode(data) : data),
    ]);
    const out = new Uint8Array(body.length + 8);
    const view = new DataView(out.buffer);
    view.setUint32(0, body.length - 4);
    out.set(body, 4);
    view.setUint32(body.length + 4, crc32(body));
    return out;
  }
  const png = (...chunks: Uint8Array[]) => new Uint8Array([...SIGNATURE, ...chunks.flatMap((c) => [...c])]);
  /** An IHDR for 8-bit RGBA pixels. */
  function ihdr(width: number, height: number): Uint8Array {
    const data = new Uint8Array(13);
    const view = new DataView(data.buffer);
    view.setUint32(0, width);
    view.setUint32(4, height);
    data.set([8, 6, 0, 0, 0], 8);
    return chunk('IHDR', data);
  }
  const text = (keyword: string, value: string) => chunk('tEXt', `${keyword}\0${value}`);
  const IEND = chunk('IEND', new Uint8Array(0));

  it('reads the graph of a PNG that claims 2^31-1 x 2^31-1 pixels, without decoding any', () => {
    const huge = png(
      ihdr(2 ** 31 - 1, 2 ** 31 - 1),
      text('Software', 'elsewhere'),
      chunk(
        'IDAT',
        Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256),
      ), // not even zlib
      text(GRAPH_CHUNK_KEY, graphText),
      chunk('IDAT', deflateSync(new Uint8Array(4096))),
      IEND,
    );
    expect(() => decode(huge)).toThrow(); // what reading it as an image does
    expect(graphFromPng(huge)).toBe(graphText);
  });

  it('never decodes the image (a 65 KB PNG that fast-png turned into 128 MB)', async () => {
    // 4096 x 4096 RGBA, all zeros: 64 MB of pixels (inflated, then unfiltered into a copy) in 65 KB.
    const rows = new Uint8Array(4096 * (1 + 4096 * 4));
    const bomb = png(
      ihdr(4096, 4096),
      chunk('IDAT', deflateSync(rows, { level: 9 })),
      text(GRAPH_CHUNK_KEY, 'x'),
      IEND,
    );
    expect(bomb.length).toBeLessThan(70_000);
    vi.resetModules();
    vi.doMock('fast-png', async (importOriginal) => ({
      ...(await importOriginal<typeof import('fast-png')>()),
      decode: () => {
        throw new Error('decode called');
      },
    }));
    try {
      const fresh = await import('../../src/figures/png-text');
      expect(fresh.graphFromPng(bomb)).toBe('x');
    } finally {
      vi.doUnmock('fast-png');
      vi.resetModules();
    }
  });

  it('gives null when no tEXt chunk carries the graph keyword', () => {
    const other = png(
      ihdr(1, 1),
      text('Software', 'x'),
      text(`${GRAPH_CHUNK_KEY}X`, '{}'),
      text(GRAPH_CHUNK_KEY.slice(0, -1), '{}'),
      chunk('zTXt', `${GRAPH_CHUNK_KEY}\0\0`),
      IEND,
    );
    expect(graphFromPng(other)).toBeNull();
    expect(graphFromPng(png(ihdr(1, 1), IEND))).toBeNull();
  });

  it('keeps the last of several graph chunks, as fast-png did, and stops at IEND', () => {
    const two = png(ihdr(1, 1), text(GRAPH_CHUNK_KEY, 'first'), text(GRAPH_CHUNK_KEY, 'second'), IEND);
    expect(graphFromPng(two)).toBe('second');
    expect(graphFromPng(new Uint8Array([...two, ...latin1('garbage after IEND')]))).toBe('second');
    const after = png(ihdr(1, 1), text(GRAPH_CHUNK_KEY, 'before'), IEND, text(GRAPH_CHUNK_KEY, 'after'));
    expect(graphFromPng(after)).toBe('before');
  });

  it('refuses bytes that are not a PNG, and PNGs cut short or damaged, saying what is wrong', () => {
    const good = png(ihdr(1, 1), text(GRAPH_CHUNK_KEY, graphText), IEND);
    expect(graphFromPng(good)).toBe(graphText);
    const notPng = /this is not a PNG file: it does not begin with the PNG signature/;
    expect(() => graphFromPng(latin1('{"format":"blockspin.graph"}'))).toThrow(notPng);
    expect(() => graphFromPng(new Uint8Array([...good.subarray(0, 7), 0x0b, ...good.subarray(8)]))).toThrow(notPng);
    expect(() => graphFromPng(good.subarray(0, 5))).toThrow(notPng);

    const textAt = 8 + 25; // after the signature and IHDR's 12 + 13 bytes
    expect(() => graphFromPng(good.subarray(0, textAt + 100))).toThrow(
      new RegExp(`the PNG's tEXt chunk at byte ${textAt} says it holds \\d+ bytes, but only 88 follow`),
    );
    expect(() => graphFromPng(good.subarray(0, textAt + 6))).toThrow(`the PNG ends inside a chunk at byte ${textAt}`);
    expect(() => graphFromPng(good.subarray(0, good.length - IEND.length))).toThrow(
      'the PNG ends before its IEND chunk (it may have been cut short)',
    );
    expect(() => graphFromPng(good.subarray(0, 8))).toThrow('the PNG ends before its IEND chunk');

    const pastTheEnd = good.slice();
    new DataView(pastTheEnd.buffer).setUint32(textAt, 0xfffffff0);
    expect(() => graphFromPng(pastTheEnd)).toThrow(
      `the PNG's tEXt chunk at byte ${textAt} says it holds 4294967280 bytes, but only ${good.length - textAt - 12} follow`,
    );

    const badCrc = good.slice();
    badCrc[textAt + 30] ^= 1; // a bit of the graph text flipped
    expect(() => graphFromPng(badCrc)).toThrow("the graph in this PNG is damaged: its tEXt chunk's CRC does not match");

    const noType = good.slice();
    noType.set([0, 1, 2, 3], textAt + 4);
    expect(() => graphFromPng(noType)).toThrow(`the PNG is damaged: no chunk type at byte ${textAt + 4}`);
    expect(() => graphFromPng(png(text(GRAPH_CHUNK_KEY, '{}'), ihdr(1, 1), IEND))).toThrow(
      'the PNG is damaged: its first chunk is tEXt, not IHDR',
    );
  });

  it('refuses a PNG larger than MAX_PNG_BYTES before walking its chunks', () => {
    expect(MAX_PNG_BYTES).toBe(64 * 1024 * 1024);
    const good = png(ihdr(1, 1), text(GRAPH_CHUNK_KEY, '{}'), IEND);
    const big = new Uint8Array(MAX_PNG_BYTES + 1);
    big.set(good); // a valid PNG at the start: only the size is wrong
    expect(() => graphFromPng(big)).toThrow(
      'the PNG is 64.0 MB; figure PNGs are read up to 64 MB (graph files are limited to 20 MB)',
    );
    expect(graphFromPng(big.subarray(0, MAX_PNG_BYTES))).toBe('{}');
  });
});
