/**
 * A dropped or opened file, read as a graph file: its size is checked before any of it is read, so a
 * 2 GB file is refused at once instead of being loaded whole first.
 */
import { checkPngSize, graphFromPng } from '../figures/png-text';
import { MAX_FILE_BYTES } from '../graph/document';

/**
 * The graph file's text: a figure PNG's embedded graph (null when it has none) or the file's text. Throws,
 * with the file's size and the limit, on a file larger than a graph file (or a figure PNG) may be.
 */
export async function readGraphFile(file: Blob & { name: string; type?: string }): Promise<string | null> {
  if (file.type === 'image/png' || file.name.toLowerCase().endsWith('.png')) {
    checkPngSize(file.size);
    return graphFromPng(new Uint8Array(await file.arrayBuffer()));
  }
  if (file.size > MAX_FILE_BYTES) {
    const mb = (file.size / 1024 / 1024).toFixed(1);
    throw new Error(`the file is ${mb} MB; graph files are limited to ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  }
  return file.text();
}
