/**
 * Graph files inside figure PNGs (as ComfyUI does): a tEXt chunk 'blockspin.graph' holding the graph
 * file's UTF-8 bytes, one Latin-1 character per byte, so the text comes back byte for byte.
 */
import { decode, encode } from 'fast-png';

export const GRAPH_CHUNK_KEY = 'blockspin.graph';

function bytesAsLatin1(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}

/**
 * Bytes 0x80-0x9F as a WHATWG 'latin1' TextDecoder (really windows-1252, as browsers and fast-png's
 * decoder use it) returns them; every other byte comes back as the character with its code.
 */
const WINDOWS_1252_80_9F =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

function latin1AsUtf8(text: string): string {
  const byte = (c: string) => (c.charCodeAt(0) < 0x100 ? c.charCodeAt(0) : 0x80 + WINDOWS_1252_80_9F.indexOf(c));
  return new TextDecoder().decode(Uint8Array.from(text, byte));
}

/** Encodes RGBA pixels as a PNG, with the graph file in a tEXt chunk when one is given. */
export function encodePng(rgba: Uint8Array, width: number, height: number, graphText?: string): Uint8Array {
  return encode({
    width,
    height,
    data: rgba,
    channels: 4,
    depth: 8,
    ...(graphText !== undefined ? { text: { [GRAPH_CHUNK_KEY]: bytesAsLatin1(graphText) } } : {}),
  });
}

/** The graph file embedded in a PNG, or null when it has none. Throws on bytes that are not a PNG. */
export function graphFromPng(bytes: Uint8Array): string | null {
  const { text } = decode(bytes);
  const embedded = text?.[GRAPH_CHUNK_KEY];
  return embedded === undefined ? null : latin1AsUtf8(embedded);
}
