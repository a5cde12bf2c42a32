/**
 * Splitting a measurement of spins by temperature group (NodeDefinition.fanOut): each part gets the samples
 * of a contiguous run of groups (in order of first appearance, as the measurements list them), and the parts'
 * tables and series are put back together in that order. The measurements treat each group on its own,
 * so the merged output is the whole run's.
 */
import type { InputValues, OutputValues, RunPart } from '../../src/graph/node-definition';
import type { SeriesValue, SpinsValue, TableValue, Value } from '../../src/graph/values';
import { temperatureNames } from '../../src/physics/correlation';
import { groupByTemperature } from '../../src/physics/observables';

/** Spins below this many sites are measured in one job: the copy to another worker costs about as much. */
export const SPLIT_MIN_SITES = 1 << 24;

/** `items` in min(parts, items.length) contiguous groups of nearly equal size, the first ones one larger. */
export function contiguousGroups<T>(items: readonly T[], parts: number): T[][] {
  const count = Math.min(parts, items.length);
  const groups: T[][] = [];
  let start = 0;
  for (let g = 0; g < count; g++) {
    const size = Math.floor(items.length / count) + (g < items.length % count ? 1 : 0);
    groups.push(items.slice(start, start + size));
    start += size;
  }
  return groups;
}

/** The samples at `indices` (in order) as a spins value of their own. */
function spinsSubset(spins: SpinsValue, indices: readonly number[]): SpinsValue {
  const N = spins.data.length / spins.shape[0];
  const data = new Int8Array(indices.length * N);
  const T = new Float64Array(indices.length);
  indices.forEach((row, i) => {
    data.set(spins.data.subarray(row * N, (row + 1) * N), i * N);
    T[i] = spins.T[row];
  });
  return { ...spins, shape: [indices.length, ...spins.shape.slice(1)], data, T };
}

/** The spins on `port` cut into at most `parts` parts of whole temperature groups, or null if not worth it. */
export function splitSpinsByTemperature<P>(
  params: P,
  inputs: InputValues,
  parts: number,
  port = 'spins',
): RunPart<P>[] | null {
  const spins = inputs[port] as SpinsValue | undefined;
  if (!spins || spins.type !== 'spins' || spins.data.length < SPLIT_MIN_SITES) return null;
  const groups = groupByTemperature(spins.T);
  if (groups.length < 2) return null;
  return contiguousGroups(groups, parts).map((run) => {
    // within a part the rows keep the whole input's order, so its groups appear in the same order
    const rows = run.flatMap((group) => [...group.indices]).sort((a, b) => a - b);
    return { params, inputs: { ...inputs, [port]: spinsSubset(spins, rows) } };
  });
}

/**
 * Meta put back together: the lists named in `perGroup` (one entry per temperature group) joined in order,
 * everything else as the first part has it (the same in every part: geometry, method, options).
 */
function mergeMeta(
  metas: (Record<string, unknown> | undefined)[],
  perGroup: readonly string[],
): Record<string, unknown> | undefined {
  const first = metas[0];
  if (!first) return undefined;
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) {
    merged[key] =
      perGroup.includes(key) && Array.isArray(value)
        ? metas.flatMap((meta) => (meta?.[key] as unknown[] | undefined) ?? [])
        : value;
  }
  return merged;
}

function mergeTables(tables: TableValue[], perGroup: readonly string[]): TableValue {
  const meta = mergeMeta(
    tables.map((table) => table.meta),
    perGroup,
  );
  return {
    type: 'table',
    columns: tables[0].columns,
    rows: tables.flatMap((table) => table.rows),
    ...(meta ? { meta } : {}),
  };
}

/** Series of one curve per temperature: curves joined, and named as one run over all temperatures names them. */
function mergeTemperatureSeries(series: SeriesValue[], perGroup: readonly string[]): SeriesValue {
  const meta = mergeMeta(
    series.map((s) => s.meta),
    perGroup,
  );
  const curves = series.flatMap((s) => s.curves);
  const names = temperatureNames(meta?.T as number[]);
  return { ...series[0], curves: curves.map((curve, i) => ({ ...curve, name: names[i] })), ...(meta ? { meta } : {}) };
}

/** The parts' outputs as one, port by port: tables (rows joined) and per-temperature series (curves joined). */
export function mergeByTemperature(outputs: OutputValues[], perGroupMeta: readonly string[]): OutputValues {
  const merged: OutputValues = {};
  for (const port of Object.keys(outputs[0])) {
    const values = outputs.map((o) => o[port]) as Value[];
    if (values[0].type === 'table') merged[port] = mergeTables(values as TableValue[], perGroupMeta);
    else if (values[0].type === 'series') merged[port] = mergeTemperatureSeries(values as SeriesValue[], perGroupMeta);
    else throw new Error(`mergeByTemperature: cannot merge a ${values[0].type} output ('${port}')`);
  }
  return merged;
}
