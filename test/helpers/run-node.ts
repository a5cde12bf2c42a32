/** Runs a node definition directly, as the engine would, with a context that records what it reports. */
import type { AnyNodeDefinition, InputValues, OutputValues, RunContext } from '../../src/graph/node-definition';
import type { Value } from '../../src/graph/values';

/** `ctx.readFile` of a test that reads no files. */
export const noFiles: RunContext['readFile'] = (ref) =>
  Promise.reject(new Error(`${ref.name}: this test's context reads no files`));

export interface Recorded {
  outputs: OutputValues;
  emitted: Record<string, Value>[];
  progress: number[];
}

export async function runNode(
  definition: AnyNodeDefinition,
  inputs: InputValues,
  params: Record<string, unknown> = {},
  signal: AbortSignal = new AbortController().signal,
  /** The files the run may read, by SHA-256 (NodeDefinition.files). */
  files: Record<string, Uint8Array> = {},
): Promise<Recorded> {
  const emitted: Record<string, Value>[] = [];
  const progress: number[] = [];
  const ctx: RunContext = {
    signal,
    progress: (f) => progress.push(f),
    emit: (o) => emitted.push(o),
    checkpoint: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
    },
    sources: {},
    readFile: async (ref) => {
      if (!Object.hasOwn(files, ref.sha256)) return noFiles(ref);
      return files[ref.sha256].slice();
    },
  };
  const outputs = await definition.run(inputs, definition.params.parse(params), ctx);
  return { outputs, emitted, progress };
}

/** The messages zod gives for params, as `path: message` lines. */
export function paramErrors(definition: AnyNodeDefinition, params: Record<string, unknown>): string[] {
  const result = definition.params.safeParse(params);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
