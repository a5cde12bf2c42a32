import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { readGraphFile } from '../../src/editor/read-file';
import { encodePng, MAX_PNG_BYTES } from '../../src/figures/png-text';
import { MAX_FILE_BYTES } from '../../src/graph/document';

const graphText = readFileSync('graphs/ising-basics.blockspin.json', 'utf8');
const MB = 1024 * 1024;

/** A file whose reads are spied on. */
function spiedFile(parts: BlobPart[], name: string, type = '') {
  const file = new File(parts, name, { type });
  return { file, text: vi.spyOn(file, 'text'), arrayBuffer: vi.spyOn(file, 'arrayBuffer') };
}

describe('readGraphFile', () => {
  it('reads a graph file and the graph in a figure PNG', async () => {
    expect(await readGraphFile(new File([graphText], 'ising.blockspin.json', { type: 'application/json' }))).toBe(
      graphText,
    );
    const png = encodePng(Uint8Array.from([0, 0, 0, 255]), 1, 1, graphText);
    expect(await readGraphFile(new File([png as BlobPart], 'figure.png'))).toBe(graphText);
    expect(await readGraphFile(new File([png as BlobPart], 'FIGURE.PNG'))).toBe(graphText);
    expect(await readGraphFile(new File([png as BlobPart], 'figure', { type: 'image/png' }))).toBe(graphText);
    // a plain Blob with a name will do
    expect(await readGraphFile(Object.assign(new Blob([graphText]), { name: 'pasted.json' }))).toBe(graphText);
  });

  it('gives null for a PNG with no graph, and refuses one that is no PNG', async () => {
    expect(await readGraphFile(new File([encodePng(new Uint8Array(4), 1, 1) as BlobPart], 'plain.png'))).toBeNull();
    await expect(readGraphFile(new File([graphText], 'renamed.png'))).rejects.toThrow('this is not a PNG file');
  });

  it('refuses an oversized graph file by its size, before reading any of it', async () => {
    const { file, text, arrayBuffer } = spiedFile([new Uint8Array(21 * MB)], 'huge.blockspin.json');
    await expect(readGraphFile(file)).rejects.toThrow('the file is 21.0 MB; graph files are limited to 20 MB');
    expect(text).not.toHaveBeenCalled();
    expect(arrayBuffer).not.toHaveBeenCalled();

    const atLimit = spiedFile([new Uint8Array(MAX_FILE_BYTES).fill(0x20)], 'spaces.json');
    expect((await readGraphFile(atLimit.file))?.length).toBe(MAX_FILE_BYTES);
    expect(atLimit.text).toHaveBeenCalledOnce();
  });

  it('refuses an oversized PNG by its size, before reading any of it', async () => {
    const png = encodePng(Uint8Array.from([0, 0, 0, 255]), 1, 1, '{}');
    const { file, text, arrayBuffer } = spiedFile([png as BlobPart, new Uint8Array(MAX_PNG_BYTES)], 'big.png');
    await expect(readGraphFile(file)).rejects.toThrow(
      /^the PNG is 64\.0 MB; figure PNGs are read up to 64 MB \(graph files are limited to 20 MB\)$/,
    );
    expect(text).not.toHaveBeenCalled();
    expect(arrayBuffer).not.toHaveBeenCalled();
  });
});
