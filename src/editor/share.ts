/**
 * Share URLs: the graph file, gzip-compressed (CompressionStream) and base64url-encoded, in the URL's
 * fragment (#graph=...), so it never reaches a server.
 *
 * A fragment comes from someone else, so it is read with bounds: a link longer than any 20 MB graph file
 * compresses to is refused before it is decoded, and the decompression stops as soon as its output passes
 * MAX_FILE_BYTES. An 87 KB fragment of gzip-ed spaces inflates to 64 MB and a 700 KB one to 512 MB: read
 * whole, they took 0.7 s and 190 MB, and 3.5 s and 1 GB, in Node; now each is refused in 0.2-0.3 s.
 */
import { MAX_FILE_BYTES } from '../graph/document';

const PREFIX = '#graph=';
const LIMIT_MB = MAX_FILE_BYTES / 1024 / 1024;

/**
 * The most bytes gzip can make of MAX_FILE_BYTES: zlib's deflateBound (stored blocks, for input that does
 * not compress) plus gzip's 18-byte header and trailer.
 */
const MAX_GZIP_BYTES =
  MAX_FILE_BYTES + (MAX_FILE_BYTES >> 12) + (MAX_FILE_BYTES >> 14) + (MAX_FILE_BYTES >> 25) + 7 + 18;
/** Base64 writes 4 characters for 3 bytes: a longer fragment cannot hold a graph file within the limit. */
export const MAX_FRAGMENT_CHARS = PREFIX.length + Math.ceil((MAX_GZIP_BYTES * 4) / 3);

/**
 * The compressed bytes go into the decompressor this many at a time. A decompressor may turn one input
 * chunk into all of its output before it looks at backpressure (deflate reaches 1032:1), so a small chunk
 * bounds how far the output can run past the limit before it is cancelled: 4 KiB, at most about 4 MB.
 */
const INPUT_CHUNK_BYTES = 4096;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  // A plain loop: Uint8Array.from with a mapping function took 4 s for 20 MB, this 0.1 s.
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function compress(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A stream of `bytes` in small chunks, each handed out only when the reader downstream asks for more. */
function chunked(bytes: Uint8Array): ReadableStream<BufferSource> {
  let offset = 0;
  return new ReadableStream<BufferSource>(
    {
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + INPUT_CHUNK_BYTES));
        offset += INPUT_CHUNK_BYTES;
      },
    },
    { highWaterMark: 0 },
  );
}

class TooLarge extends Error {}

/** Gunzips `bytes` as UTF-8 text, throwing TooLarge (and stopping) once the output passes `limit` bytes. */
async function gunzipText(bytes: Uint8Array, limit: number): Promise<string> {
  const reader = chunked(bytes).pipeThrough(new DecompressionStream('gzip')).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

export async function encodeShareFragment(graphText: string): Promise<string> {
  return PREFIX + toBase64Url(await compress(new TextEncoder().encode(graphText)));
}

/** The graph file in a share URL's fragment, or null when the fragment holds none. Throws on a damaged one. */
export async function decodeShareFragment(hash: string): Promise<string | null> {
  if (!hash.startsWith(PREFIX)) return null;
  if (hash.length > MAX_FRAGMENT_CHARS) {
    const mb = (hash.length / 1024 / 1024).toFixed(1);
    throw new Error(
      `this share link is ${mb} MB long, longer than any graph file within the limit compresses to ` +
        `(graph files are limited to ${LIMIT_MB} MB)`,
    );
  }
  try {
    return await gunzipText(fromBase64Url(hash.slice(PREFIX.length)), MAX_FILE_BYTES);
  } catch (error) {
    if (error instanceof TooLarge) {
      throw new Error(
        `this share link would unpack to more than ${LIMIT_MB} MB (graph files are limited to ${LIMIT_MB} MB)`,
        { cause: error },
      );
    }
    throw new Error('this share link is damaged (it may have been cut short)', { cause: error });
  }
}
