/** Figure PNGs: resvg at scale 2, decodable by fast-png, carrying the graph file byte for byte. */
import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appRegistry } from '../../nodes/index';
import { encodePng, graphFromPng, GRAPH_CHUNK_KEY } from '../../src/figures/png-text';
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
