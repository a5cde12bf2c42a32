/**
 * Import data's `file` written by hand in a graph file as a bare path, `"file": "../data/run.npy"`, as NODES.md
 * has it: the CLI reads the file relative to the graph file (and `<name>.T.npy` beside a .npy, when there is
 * one) and puts its record (name, SHA-256, size, dtype, shape) in its place before the graph is validated,
 * exactly what dropping the file in the app and saving would write.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { describeDataFile } from '../graph/data-file';

async function readIfFile(path: string): Promise<Uint8Array | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
  } catch {
    return null;
  }
  return new Uint8Array(await readFile(path));
}

/** The graph file's text with every Import data path replaced by its file's record; unchanged text if none. */
export async function resolveDataPaths(text: string, graphFile: string): Promise<string> {
  let json: { nodes?: unknown };
  try {
    json = JSON.parse(text) as { nodes?: unknown };
  } catch {
    return text; // the validator says what is wrong, with its line and column
  }
  if (!Array.isArray(json?.nodes)) return text;
  let changed = false;
  for (const [index, node] of (json.nodes as Record<string, unknown>[]).entries()) {
    const params = node?.params as Record<string, unknown> | undefined;
    if (node?.type !== 'data.import' || typeof params?.file !== 'string') continue;
    const name = params.file;
    const where = `nodes[${index}].params.file (node '${String(node.id)}')`;
    if (isAbsolute(name)) throw new Error(`${where}: '${name}' is absolute; write it relative to the graph file`);
    const path = resolve(dirname(graphFile), name);
    const bytes = await readIfFile(path);
    if (!bytes) throw new Error(`${where}: there is no file ${name} beside the graph (looked for ${path})`);
    const temperaturesName = name.replace(/\.npy$/i, '.T.npy');
    const temperatures =
      temperaturesName !== name ? await readIfFile(resolve(dirname(graphFile), temperaturesName)) : null;
    try {
      params.file = await describeDataFile(
        { name, bytes },
        temperatures ? { name: temperaturesName, bytes: temperatures } : undefined,
      );
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
    changed = true;
  }
  return changed ? JSON.stringify(json) : text;
}
