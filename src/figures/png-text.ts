/**
 * Graph files inside figure PNGs (as ComfyUI does): a tEXt chunk 'blockspin.graph' holding the graph
 * file's UTF-8 bytes, one Latin-1 character per byte when written (fast-png's encoder takes text), read
 * back as those raw bytes, so the text comes back byte for byte.
 *
 * A PNG to read comes from someone else, so it is walked chunk by chunk and its image is never decoded:
 * fast-png's decode inflated every pixel to reach the text (a 64 KB PNG allocated 128 MB, and IHDR allows
 * 2^31-1 x 2^31-1 pixels).
 */
import { encode } from 'fast-png';
import { MAX_FILE_BYTES } from '../graph/document';

export const GRAPH_CHUNK_KEY = 'blockspin.graph';

/**
 * The largest PNG read for its graph: a graph file of up to 20 MB (MAX_FILE_BYTES) plus 44 MB for the
 * figure's pixels, more than a compressed 4000 x 3000 RGBA figure takes. The whole file is in memory
 * (File.arrayBuffer), so this bounds what opening one costs.
 */
export const MAX_PNG_BYTES = 64 * 1024 * 1024;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const GRAPH_KEYWORD = Uint8Array.from(GRAPH_CHUNK_KEY, (c) => c.charCodeAt(0));

function bytesAsLatin1(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
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

/** Throws, with the size and the limit, when a PNG of `bytes` is too large to read for its graph. */
export function checkPngSize(bytes: number): void {
  if (bytes <= MAX_PNG_BYTES) return;
  throw new Error(
    `the PNG is ${(bytes / 1024 / 1024).toFixed(1)} MB; figure PNGs are read up to ${MAX_PNG_BYTES / 1024 / 1024} MB ` +
      `(graph files are limited to ${MAX_FILE_BYTES / 1024 / 1024} MB)`,
  );
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** The CRC-32 of a chunk's type and data, as PNG stores it after them (0.1 s for a 20 MB graph). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function isGraphText(data: Uint8Array): boolean {
  return (
    data.length > GRAPH_KEYWORD.length &&
    data[GRAPH_KEYWORD.length] === 0 &&
    GRAPH_KEYWORD.every((b, i) => data[i] === b)
  );
}

/**
 * The graph file embedded in a PNG, or null when it has none. Throws, saying what is wrong, on bytes that are
 * not a PNG, on a PNG cut short or damaged before its IEND chunk, and on one larger than MAX_PNG_BYTES.
 * Only tEXt chunks are read, as Blockspin writes them (zTXt and iTXt are skipped); when several carry the
 * graph, the last one counts.
 */
export function graphFromPng(bytes: Uint8Array): string | null {
  checkPngSize(bytes.length);
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new Error('this is not a PNG file: it does not begin with the PNG signature');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let graph: Uint8Array | null = null;
  for (let offset = SIGNATURE.length; ;) {
    const left = bytes.length - offset;
    if (left === 0) throw new Error('the PNG ends before its IEND chunk (it may have been cut short)');
    if (left < 12) throw new Error(`the PNG ends inside a chunk at byte ${offset} (it may have been cut short)`);
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`the PNG is damaged: no chunk type at byte ${offset + 4}`);
    if (offset === SIGNATURE.length && type !== 'IHDR') {
      throw new Error(`the PNG is damaged: its first chunk is ${type}, not IHDR`);
    }
    if (length > left - 12) {
      throw new Error(
        `the PNG's ${type} chunk at byte ${offset} says it holds ${length} bytes, but only ${left - 12} follow ` +
          '(it may have been cut short)',
      );
    }
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IEND') return graph && new TextDecoder().decode(graph);
    if (type === 'tEXt' && isGraphText(data)) {
      if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length)) {
        throw new Error(`the graph in this PNG is damaged: its ${type} chunk's CRC does not match`);
      }
      graph = data.subarray(GRAPH_KEYWORD.length + 1);
    }
    offset += 12 + length;
  }
}
