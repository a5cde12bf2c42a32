/**
 * The measurements split by temperature group (nodes/shared/temperature-fan-out.ts): the parts' outputs,
 * merged, equal one run over the whole input, for every node that splits.
 */
import { describe, expect, it } from 'vitest';
import type { AnyNodeDefinition, OutputValues } from '../../../src/graph/node-definition';
import type { SpinsValue } from '../../../src/graph/values';
import { Rng } from '../../../src/physics/rng';
import { correlationNode } from '../../../nodes/correlation/index';
import { mcrgNode } from '../../../nodes/mcrg/index';
import { observablesNode } from '../../../nodes/observables/index';
import { SPLIT_MIN_SITES, splitSpinsByTemperature } from '../../../nodes/shared/temperature-fan-out';
import { runNode } from '../../helpers/run-node';

/**
 * Correlated-looking random spins: each sample a random field smoothed by majority over a plus-shaped
 * neighbourhood, so C(r) and the MCRG correlations are not trivial. The labels interleave three
 * temperatures, so a part's rows are not one contiguous block.
 */
function spins(L: number, n: number, temperatures: number[]): SpinsValue {
  const rng = new Rng(11);
  const N = L * L;
  const data = new Int8Array(n * N);
  const raw = new Int8Array(N);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < N; i++) raw[i] = rng.nextU32() & 1 ? 1 : -1;
    for (let r = 0; r < L; r++) {
      for (let c = 0; c < L; c++) {
        const sum =
          raw[r * L + c] +
          raw[((r + 1) % L) * L + c] +
          raw[((r + L - 1) % L) * L + c] +
          raw[r * L + ((c + 1) % L)] +
          raw[r * L + ((c + L - 1) % L)];
        data[k * N + r * L + c] = sum > 0 ? 1 : -1;
      }
    }
  }
  const T = Float64Array.from({ length: n }, (_, k) => temperatures[k % temperatures.length]);
  return { type: 'spins', shape: [n, L, L], data, T, meta: { dim: 2, L, J: 1, h: 0 } };
}

const L = 32;
const input = spins(L, Math.ceil(SPLIT_MIN_SITES / (L * L)), [2.0, 2.5, 3.0]);

async function splitAndMerge(node: AnyNodeDefinition, params: Record<string, unknown>, parts: number) {
  const parsed = node.params.parse(params);
  const split = node.fanOut!.split(parsed, { spins: input }, parts);
  if (!split) return null;
  const outputs: OutputValues[] = [];
  for (const part of split) outputs.push((await runNode(node, part.inputs, params)).outputs);
  return { parts: split.length, merged: node.fanOut!.merge(outputs, parsed, { spins: input }) };
}

describe('measurements split by temperature', () => {
  it.each([
    ['Observables', observablesNode, {}],
    ['Correlation', correlationNode, {}],
    ['Correlation, maxR 5', correlationNode, { maxR: 5 }],
    ['MCRG, decimation', mcrgNode, { rule: 'decimation', levels: 2 }],
    ['MCRG, majority, ties kept', mcrgNode, { tieBreak: 'keep-first', levels: 2 }],
  ] as const)(
    '%s: the merged parts equal the whole run',
    async (_name, node, params) => {
      const whole = (await runNode(node, { spins: input }, params)).outputs;
      for (const parts of [2, 3]) {
        const result = await splitAndMerge(node, params, parts);
        expect(result?.parts).toBe(parts);
        expect(result!.merged).toEqual(whole);
      }
    },
    60_000,
  );

  it('runs whole where the parts would differ or gain nothing', async () => {
    // MCRG's random tie-breaks come from one stream over all samples
    expect(await splitAndMerge(mcrgNode, { tieBreak: 'random' }, 2)).toBeNull();
    const small = spins(8, 100, [2, 3]);
    expect(splitSpinsByTemperature({}, { spins: small }, 2)).toBeNull();
    const oneTemperature = { ...input, T: new Float64Array(input.T.length).fill(2.269) };
    expect(splitSpinsByTemperature({}, { spins: oneTemperature }, 2)).toBeNull();
  });

  it('keeps each part’s samples in their order, with their labels and the rest of the value', () => {
    const split = splitSpinsByTemperature({}, { spins: input }, 2)!;
    const [a, b] = split.map((part) => part.inputs.spins as SpinsValue);
    expect([...new Set(a.T)]).toEqual([2.0, 2.5]);
    expect([...new Set(b.T)]).toEqual([3.0]);
    expect(a.shape[0] + b.shape[0]).toBe(input.shape[0]);
    const N = L * L;
    // b's first sample is the input's third (index 2)
    expect([...b.data.subarray(0, N)]).toEqual([...input.data.subarray(2 * N, 3 * N)]);
    expect(b.meta).toBe(input.meta);
  });
});
