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

function latin1AsUtf8(text: string): string {
  return new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
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
