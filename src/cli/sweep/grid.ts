/**
 * `--grid node.param=v1,v2,...`: the axes of a sweep, and their Cartesian product as tasks. Values are read
 * as `--set` reads them (JSON when they are JSON, else text), so `--grid lattice.T=[2.2,2.3],[2.4]` gives
 * two list values: commas inside brackets, braces and quotes do not split.
 */
import { parseOverride } from '../overrides';

export interface GridAxis {
  node: string;
  param: string;
  values: unknown[];
}

export interface GridTask {
  index: number;
  /** `node.param` → value, in the order of the axes. */
  values: Record<string, unknown>;
  /** The same as `--set` arguments: `node.param=<JSON>`. */
  set: string[];
}

/** Splits at the commas that are not inside [], {} or a double-quoted string. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function parseGridAxis(text: string): GridAxis {
  const eq = text.indexOf('=');
  const head = eq < 0 ? text : text.slice(0, eq);
  if (eq < 0 || text.slice(eq + 1) === '') throw new Error(`--grid ${text}: expected node.param=value1,value2,...`);
  const values = splitTopLevel(text.slice(eq + 1)).map((raw) => {
    if (raw === '') throw new Error(`--grid ${text}: an empty value (two commas in a row, or one at the end)`);
    return parseOverride(`${head}=${raw}`);
  });
  const { nodeId: node, param } = values[0];
  return { node, param, values: values.map((v) => v.value) };
}

export const axisName = (axis: Pick<GridAxis, 'node' | 'param'>) => `${axis.node}.${axis.param}`;

/** Every combination, the first axis varying slowest (as nested loops in the order given). */
export function gridTasks(axes: readonly GridAxis[]): GridTask[] {
  const names = axes.map(axisName);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`--grid ${duplicate} is given twice`);
  let combos: unknown[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((combo) => axis.values.map((value) => [...combo, value]));
  return combos.map((combo, index) => ({
    index,
    values: Object.fromEntries(names.map((name, i) => [name, combo[i]])),
    set: names.map((name, i) => `${name}=${JSON.stringify(combo[i])}`),
  }));
}
