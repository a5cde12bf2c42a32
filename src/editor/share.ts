/**
 * Share URLs: the graph file, gzip-compressed (CompressionStream) and base64url-encoded, in the URL's
 * fragment (#graph=...), so it never reaches a server.
 */

const PREFIX = '#graph=';

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encodeShareFragment(graphText: string): Promise<string> {
  const compressed = await pipe(new TextEncoder().encode(graphText), new CompressionStream('gzip'));
  return PREFIX + toBase64Url(compressed);
}

/** The graph file in a share URL's fragment, or null when the fragment holds none. Throws on a damaged one. */
export async function decodeShareFragment(hash: string): Promise<string | null> {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const bytes = await pipe(fromBase64Url(hash.slice(PREFIX.length)), new DecompressionStream('gzip'));
    return new TextDecoder().decode(bytes);
  } catch (error) {
    throw new Error('this share link is damaged (it may have been cut short)', { cause: error });
  }
}
