/**
 * reference.exact — closed-form Ising results over a range of temperatures, for overlays and checks.
 * 2D infinite: Onsager energy and specific heat, Yang magnetisation. 2D finite periodic L x L: Kaufman's exact
 * energy and specific heat. 1D periodic chain: energy, specific heat, tanh K correlations and the decimation
 * recursion tanh K' = tanh^b K.
 */
import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import type { SeriesValue, TableValue } from '../../src/graph/values';
import {
  chainCorrelation,
  chainCorrelationInfinite,
  chainEnergy,
  chainEnergyInfinite,
  chainSpecificHeat,
  chainSpecificHeatInfinite,
  decimatedChainCorrelation,
  kaufmanExact,
  onsagerEnergy,
  onsagerSpecificHeat,
  yangMagnetization,
} from '../../src/physics/exact';

export const EXACT_QUANTITIES = ['e', 'm', 'c', 'nn', 'decimated_nn', 'decimated_e'] as const;
export type ExactQuantity = (typeof EXACT_QUANTITIES)[number];

/** Largest L for dim 2 (Kaufman costs O(L) per temperature) and for dim 1. */
export const MAX_L_2D = 4096;
export const MAX_L_1D = 1e9;
export const MAX_TEMPERATURES = 10000;

const positive = z.number().positive();

const temperatureSchema = z.union(
  [
    positive,
    z.array(positive).min(1).max(MAX_TEMPERATURES),
    z.strictObject({ from: positive, to: positive, steps: z.number().int().min(2).max(MAX_TEMPERATURES) }),
  ],
  { error: `T must be a positive number, a list of positive numbers, or {from, to, steps} (steps 2..10000)` },
);

const L_MESSAGE = "L must be an integer >= 2 (sites per side) or 'infinite'";

const baseSchema = z.strictObject({
  dim: z.union([z.literal(1), z.literal(2)], { error: 'dim must be 1 or 2' }).default(2),
  L: z
    .union([z.literal('infinite'), z.number().int({ error: L_MESSAGE }).min(2, { error: L_MESSAGE })], {
      error: L_MESSAGE,
    })
    .default('infinite'),
  T: temperatureSchema.default({ from: 1, to: 4, steps: 61 }),
  /** Left out: every quantity available for this dim and L (2D infinite: e, m, c). */
  quantities: z.array(z.enum(EXACT_QUANTITIES)).min(1).optional(),
  b: z.number().int().min(2).max(16).default(2),
  J: positive.default(1),
});

export type ExactParams = z.output<typeof baseSchema>;

interface Problem {
  path: (string | number)[];
  message: string;
}

/** What each quantity means, for messages. */
const DESCRIPTION: Record<ExactQuantity, string> = {
  e: 'energy per spin',
  m: 'spontaneous magnetisation',
  c: 'specific heat per spin',
  nn: 'nearest-neighbour correlation',
  decimated_nn: 'nearest-neighbour correlation after decimation by b',
  decimated_e: 'energy per spin of the decimated chain, measured with the same J (-J times decimated_nn)',
};

/** The quantities shown when `quantities` is left out: all that are exact for this dim and L. */
export function defaultQuantities(params: Pick<ExactParams, 'dim' | 'L' | 'b'>): ExactQuantity[] {
  if (params.dim === 2) return params.L === 'infinite' ? ['e', 'm', 'c'] : ['e', 'c'];
  const decimated = params.L === 'infinite' || params.L % params.b === 0;
  return decimated ? ['e', 'c', 'nn', 'decimated_nn'] : ['e', 'c', 'nn'];
}

/** The combinations the schema alone cannot refuse, each with the param it concerns. */
export function exactParamProblems(params: ExactParams): Problem[] {
  const problems: Problem[] = [];
  const { dim, L, T, b } = params;
  if (dim === 2 && L !== 'infinite' && L > MAX_L_2D) {
    problems.push({ path: ['L'], message: `L = ${L} is too large for dim 2 (at most ${MAX_L_2D}; or 'infinite')` });
  }
  if (dim === 1 && L !== 'infinite' && L > MAX_L_1D) {
    problems.push({ path: ['L'], message: `L = ${L} is too large for dim 1 (at most 1e9; or 'infinite')` });
  }
  if (typeof T === 'object' && !Array.isArray(T) && !(T.to > T.from)) {
    problems.push({ path: ['T', 'to'], message: `T: 'to' (${T.to}) must be greater than 'from' (${T.from})` });
  }
  const seen = new Set<string>();
  (params.quantities ?? []).forEach((q, i) => {
    const where = ['quantities', i];
    if (seen.has(q)) problems.push({ path: where, message: `quantities: '${q}' is listed twice` });
    seen.add(q);
    if (q === 'm' && L !== 'infinite') {
      problems.push({
        path: where,
        message:
          `quantities: 'm' (${DESCRIPTION.m}) is exact only for L = 'infinite' (a finite periodic lattice has ` +
          `<m> = 0 and no closed form for <|m|>); set L to 'infinite' or drop 'm'`,
      });
    }
    if ((q === 'decimated_nn' || q === 'decimated_e') && dim === 2) {
      problems.push({
        path: where,
        message: `quantities: '${q}' is for dim 1 (decimation of a 2D lattice has no closed form)`,
      });
    }
    if ((q === 'decimated_nn' || q === 'decimated_e') && dim === 1 && L !== 'infinite' && L % b !== 0) {
      problems.push({
        path: ['b'],
        message: `b = ${b} does not divide L = ${L}: '${q}' needs a chain of L/b sites`,
      });
    }
  });
  return problems;
}

const paramsSchema = baseSchema.superRefine((params, ctx) => {
  for (const { path, message } of exactParamProblems(params)) ctx.addIssue({ code: 'custom', path, message });
});

/** The temperatures a `T` param stands for. */
export function temperatures(T: ExactParams['T']): number[] {
  if (typeof T === 'number') return [T];
  if (Array.isArray(T)) return [...T];
  const { from, to, steps } = T;
  return Array.from({ length: steps }, (_, i) => (i === steps - 1 ? to : from + ((to - from) * i) / (steps - 1)));
}

/** e and c of the 2D lattice at T; for a finite L one Kaufman evaluation serves both (remembered for the last T). */
function lattice2D(L: number | 'infinite', J: number): (T: number) => { e: number; c: number } {
  if (L === 'infinite') return (T) => ({ e: onsagerEnergy(T, J), c: onsagerSpecificHeat(T, J) });
  let lastT = NaN;
  let last = { e: NaN, c: NaN };
  return (T) => {
    if (T !== lastT) {
      last = kaufmanExact(L, T, J);
      lastT = T;
    }
    return last;
  };
}

function evaluator(
  params: ExactParams,
  q: ExactQuantity,
  exact2D: (T: number) => { e: number; c: number },
): (T: number) => number {
  const { dim, L, J, b } = params;
  if (dim === 2) {
    switch (q) {
      case 'e':
        return (T) => exact2D(T).e;
      case 'c':
        return (T) => exact2D(T).c;
      case 'm':
        return (T) => yangMagnetization(T, J);
      case 'nn':
        // e = -2J <s_i s_j> on the square lattice (two bonds per spin).
        return (T) => -exact2D(T).e / (2 * J);
      default:
        break;
    }
  } else if (L === 'infinite') {
    switch (q) {
      case 'e':
        return (T) => chainEnergyInfinite(T, J);
      case 'c':
        return (T) => chainSpecificHeatInfinite(T, J);
      case 'm':
        return () => 0; // no order at any T > 0 in one dimension
      case 'nn':
        return (T) => chainCorrelationInfinite(T, 1, J);
      case 'decimated_nn':
        return (T) => decimatedChainCorrelation('infinite', T, b, J);
      case 'decimated_e':
        return (T) => -J * decimatedChainCorrelation('infinite', T, b, J);
    }
  } else {
    switch (q) {
      case 'e':
        return (T) => chainEnergy(L, T, J);
      case 'c':
        return (T) => chainSpecificHeat(L, T, J);
      case 'nn':
        return (T) => chainCorrelation(L, T, 1, J);
      case 'decimated_nn':
        return (T) => decimatedChainCorrelation(L, T, b, J);
      case 'decimated_e':
        return (T) => -J * decimatedChainCorrelation(L, T, b, J);
      default:
        break;
    }
  }
  // exactParamProblems refuses these first; kept for a run() called with unchecked params.
  throw new Error(`reference.exact: quantities: '${q}' is not available for dim ${dim}, L = ${L}`);
}

function curveName(params: ExactParams, q: ExactQuantity): string {
  const parts = [`L = ${params.L}`];
  if (q === 'decimated_nn' || q === 'decimated_e') parts.push(`b = ${params.b}`);
  if (params.J !== 1) parts.push(`J = ${params.J}`);
  return `${q} (exact, ${parts.join(', ')})`;
}

export const exactNode = defineNode({
  type: 'reference.exact',
  version: 1,
  title: 'Exact Ising',
  category: 'Reference',
  doc: 'Closed-form Ising results over T (Onsager, Yang, Kaufman; 1D chain and decimation), for overlays and checks.',
  inputs: {},
  outputs: {
    series: { type: 'series', doc: 'One curve per quantity over T' },
    table: { type: 'table', doc: "Columns ['T', ...quantities]" },
  },
  params: paramsSchema,
  heavy: false,
  async run(_inputs, params, ctx) {
    const problems = exactParamProblems(params);
    if (problems.length > 0) {
      throw new Error(`reference.exact: ${problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`);
    }
    const quantities = params.quantities ?? defaultQuantities(params);
    const Ts = temperatures(params.T);
    const exact2D = lattice2D(params.L, params.J);
    const functions = quantities.map((q) => evaluator(params, q, exact2D));
    const columns: number[][] = quantities.map(() => new Array<number>(Ts.length));
    // Kaufman costs O(L) per temperature: yield now and then on big requests so a stale run can be cancelled.
    const perPoint = params.dim === 2 && params.L !== 'infinite' ? params.L : 1;
    const chunk = Math.max(1, Math.floor(200_000 / (perPoint * quantities.length)));
    for (let i = 0; i < Ts.length; i++) {
      for (let k = 0; k < quantities.length; k++) columns[k][i] = functions[k](Ts[i]);
      if ((i + 1) % chunk === 0 && i + 1 < Ts.length) {
        ctx.progress((i + 1) / Ts.length);
        await ctx.checkpoint();
      }
    }
    ctx.progress(1);
    const meta = {
      source: 'exact',
      model: 'ising',
      dim: params.dim,
      L: params.L,
      J: params.J,
      ...(quantities.includes('decimated_nn') ? { b: params.b } : {}),
    };
    const series: SeriesValue = {
      type: 'series',
      x: Ts,
      xLabel: 'T',
      curves: quantities.map((q, k) => ({ name: curveName(params, q), y: columns[k] })),
      meta,
    };
    const table: TableValue = {
      type: 'table',
      columns: ['T', ...quantities],
      rows: Ts.map((T, i) => [T, ...columns.map((column) => column[i])]),
      meta,
    };
    return { series, table };
  },
});
