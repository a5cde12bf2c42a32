/**
 * rbm.per-temperature — RBM per Temperature (Torlai & Melko 2016): for each temperature of the data its own
 * Bernoulli–Bernoulli RBM, trained by the same trainer as RBM Layer, then sampled by free Gibbs chains from
 * a random start. The samples come out labelled with their temperature, in the lattice of the data, so
 * Observables measures them exactly as it measures the data.
 */
import { z } from 'zod';
import { spinsSize, unitsPerSample } from '../../src/graph/budget';
import { defineNode, type ValueSize } from '../../src/graph/node-definition';
import type { SeriesValue, SpinsValue, Value } from '../../src/graph/values';
import { spinsFromStates, type VisibleData } from '../../src/ml/data';
import { temperatureNames } from '../../src/physics/correlation';
import { groupByTemperature } from '../../src/physics/observables';
import { hashNumber, Rng } from '../../src/physics/rng';
import { backendParam } from '../shared/backend-param';

/** Largest weight matrix, as for RBM Layer. */
const MAX_WEIGHT_BYTES = 512 * 1024 * 1024;
/** How often sampling yields to the event loop (progress, cancellation). */
const YIELD_INTERVAL_MS = 40;

export const rbmPerTemperatureParams = z
  .strictObject({
    hidden: z.number().int().min(1).max(100_000).default(64),
    epochs: z.number().int().min(1).max(100_000).default(200),
    batchSize: z.number().int().min(1).max(1_000_000).default(500),
    learningRate: z.number().positive().max(100).default(0.3),
    /**
     * The rate at the last epoch: it holds at `learningRate` for the first half of the epochs, then falls
     * geometrically to this (equal to `learningRate`: a constant rate, as RBM Layer trains).
     */
    learningRateEnd: z.number().positive().max(100).default(0.005),
    k: z.number().int().min(1).max(10_000).default(1),
    persistent: z.boolean().default(false),
    l1: z.number().min(0).default(0),
    l2: z.number().min(0).default(0),
    momentum: z.number().min(0).lt(1).default(0.9),
    /** Each temperature's RBM and chains draw from streams derived from this seed and the temperature. */
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    /** Free Gibbs chains per temperature, each from its own random start: one sample each. */
    samples: z.number().int().min(1).max(1_000_000).default(1000),
    /** Gibbs steps of each chain. */
    steps: z.number().int().min(1).max(1_000_000).default(500),
    backend: backendParam,
  })
  .superRefine((p, ctx) => {
    if (p.learningRateEnd > p.learningRate) {
      ctx.addIssue({
        code: 'custom',
        path: ['learningRateEnd'],
        message: `learningRateEnd (${p.learningRateEnd}) must not exceed learningRate (${p.learningRate}); set them equal for a constant rate`,
      });
    }
  });

export type RbmPerTemperatureParams = z.output<typeof rbmPerTemperatureParams>;

/** The training and sampling seeds of one temperature: the same whatever other temperatures the data hold. */
export function temperatureSeeds(seed: number, T: number): { train: number; sample: number } {
  const rng = new Rng(seed, hashNumber(T));
  return { train: rng.nextU32(), sample: rng.nextU32() };
}

/** The rows of one temperature group as visible units (±1 -> 1/0), checked. */
function groupVisible(spins: SpinsValue, indices: Int32Array, T: number, visibleShape: number[]): VisibleData {
  const nv = unitsPerSample(spins.shape);
  const data = new Float32Array(indices.length * nv);
  indices.forEach((row, r) => {
    const offset = row * nv;
    for (let i = 0; i < nv; i++) {
      const s = spins.data[offset + i];
      if (s !== 1 && s !== -1) throw new Error(`data: spin ${s} at sample ${row} (T = ${T}), site ${i} is not ±1`);
      data[r * nv + i] = s > 0 ? 1 : 0;
    }
  });
  return { data, n: indices.length, nv, visibleShape };
}

/** The lattice fields of the data's meta that Observables reads (dim, L, J, h), or what the shape says. */
function latticeMeta(spins: SpinsValue): Record<string, unknown> {
  const meta = spins.meta ?? {};
  const lattice = spins.shape.slice(1);
  const square = lattice.length === 1 || (lattice.length === 2 && lattice[0] === lattice[1]);
  const fromShape = square ? { dim: lattice.length, L: lattice[0], J: 1, h: 0, boundary: 'periodic' } : {};
  const carried = Object.fromEntries(
    ['dim', 'L', 'J', 'h', 'boundary', 'blockFactor'].filter((k) => meta[k] !== undefined).map((k) => [k, meta[k]]),
  );
  return { ...fromShape, ...carried };
}

function checkedSpins(value: Value | undefined): SpinsValue {
  if (!value) throw new Error('data: nothing is connected; wire spins labelled with their temperatures');
  if (value.type !== 'spins') {
    throw new Error(
      `data: expected spins labelled with their temperatures, got a ${value.type}` +
        (value.type === 'tensor' ? ' (a tensor has no temperatures; RBM Layer trains one RBM on a tensor)' : ''),
    );
  }
  const [n, ...lattice] = value.shape;
  const nv = lattice.reduce((a, b) => a * b, 1);
  if (!n || lattice.length === 0 || nv === 0) {
    throw new Error(`data: expected a shape [n, ...lattice] with n > 0, got [${value.shape.join(', ')}]`);
  }
  if (value.data.length !== n * nv) {
    throw new Error(
      `data: shape [${value.shape.join(', ')}] holds ${n * nv} spins but the data has ${value.data.length}`,
    );
  }
  if (!(value.T instanceof Float64Array) || value.T.length !== n) {
    throw new Error(`data: expected one temperature per sample (${n}), got ${value.T?.length ?? 'none'}`);
  }
  const unknown = value.T.filter(Number.isNaN).length;
  if (unknown > 0) {
    throw new Error(
      `data: ${unknown} of ${n} samples have no temperature (T = NaN); this node trains one RBM per temperature (RBM Layer trains one on unlabelled spins)`,
    );
  }
  return value;
}

export const rbmPerTemperatureNode = defineNode({
  type: 'rbm.per-temperature',
  version: 1,
  title: 'RBM per Temperature',
  category: 'Machine learning',
  doc: 'Trains one RBM per temperature of the data (Torlai & Melko 2016) and draws free Gibbs samples from each, labelled with their temperature, to be measured like the data.',
  inputs: {
    data: { type: 'spins', doc: 'Ising samples grouped by their temperature labels; each group trains its own RBM' },
  },
  outputs: {
    spins: {
      type: 'spins',
      grows: true,
      doc: 'the RBM samples of every temperature, in the order of the data, labelled with it, in the lattice of the data',
    },
    history: { type: 'series', doc: 'pseudo-log-likelihood per epoch, one curve per temperature' },
  },
  params: rbmPerTemperatureParams,
  heavy: true,
  lane: 'training',
  resources(p, inputs) {
    const data = inputs.data as ValueSize | undefined;
    if (!data?.shape || data.shape.length < 2) return { trains: true };
    const n = data.shape[0];
    const nv = unitsPerSample(data.shape);
    // Every group holds at least one batch (smaller ones are refused): at most n / batchSize groups.
    const groups = Math.max(1, Math.floor(n / Math.max(1, p.batchSize)));
    const spins = spinsSize([groups * p.samples, ...data.shape.slice(1)]);
    const weights = nv * p.hidden + nv + p.hidden;
    return {
      outputs: { spins },
      working:
        // A group's data as floats (at most all of it), the weights' velocity, a snapshot and the model.
        4 * n * nv +
        3 * 4 * weights +
        // The chains' visible and hidden states and probabilities, and the drawn states (as in Sampler).
        2 * 4 * p.samples * (nv + p.hidden) +
        4 * p.samples * nv +
        // The worker fills its arrays while the finished temperatures are streamed: two copies at the end.
        spins.bytes,
      trains: true,
    };
  },
  async run(inputs, p, ctx) {
    const data = checkedSpins(inputs.data as Value | undefined);
    const lattice = data.shape.slice(1);
    const nv = unitsPerSample(data.shape);
    const weightBytes = 4 * nv * p.hidden;
    if (weightBytes > MAX_WEIGHT_BYTES) {
      throw new Error(`${nv} x ${p.hidden} weights need ${Math.round(weightBytes / 2 ** 20)} MB; the limit is 512 MB`);
    }
    const groups = groupByTemperature(data.T);
    for (const group of groups) {
      if (group.indices.length < p.batchSize) {
        throw new Error(
          `data: T = ${group.T} has ${group.indices.length} samples, fewer than one batch (batchSize = ${p.batchSize}): ` +
            'lower batchSize or draw more samples',
        );
      }
    }
    // TensorFlow.js loads here, in the worker, never with the app's main bundle.
    const [{ initBackend }, { trainRbm }, { sampleStack }] = await Promise.all([
      import('../../src/ml/backend'),
      import('../../src/ml/train'),
      import('../../src/ml/sample'),
    ]);
    const backend = await initBackend(p.backend);

    const names = temperatureNames(groups.map((g) => g.T));
    const total = groups.length * p.samples;
    const out = new Int8Array(total * nv);
    const T = new Float64Array(total);
    const curves: SeriesValue['curves'] = [];
    const rbms: Record<string, unknown>[] = [];
    const provenance = Array.isArray(data.meta?.provenance) ? data.meta.provenance : [];
    const meta = {
      ...latticeMeta(data),
      model: 'rbm-sample',
      steps: p.steps,
      rbms,
      provenance: [
        ...provenance,
        { node: 'rbm.per-temperature', seed: p.seed, hidden: p.hidden, epochs: p.epochs, steps: p.steps },
      ],
    };
    // Views of the rows done so far: a finished temperature's samples never change again (the output grows).
    const snapshot = (count: number): SpinsValue => ({
      type: 'spins',
      shape: [count, ...lattice],
      data: out.subarray(0, count * nv),
      T: T.subarray(0, count),
      meta: { ...meta, rbms: [...rbms] },
    });
    const history = (): SeriesValue => ({
      type: 'series',
      x: Array.from({ length: p.epochs }, (_, i) => i + 1),
      xLabel: 'epoch',
      yLabel: 'pseudo-log-likelihood',
      curves: curves.map((c) => ({ ...c })),
    });

    // Work in units of one Gibbs step of one row: a CD-k update of a row is about k + 1 of them.
    const trainUnits = (n: number) => p.epochs * Math.floor(n / p.batchSize) * p.batchSize * (p.k + 1);
    const sampleUnits = p.samples * p.steps;
    const totalUnits = groups.reduce((sum, g) => sum + trainUnits(g.indices.length) + sampleUnits, 0);
    let unitsBefore = 0;
    ctx.progress(0, `${groups.length} temperatures · ${backend}`);

    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      const where = `${names[g]} (${g + 1}/${groups.length})`;
      const visible = groupVisible(data, group.indices, group.T, lattice);
      const seeds = temperatureSeeds(p.seed, group.T);
      const rowsPerEpoch = Math.floor(visible.n / p.batchSize) * p.batchSize * (p.k + 1);
      const result = await trainRbm(
        visible,
        {
          hidden: p.hidden,
          epochs: p.epochs,
          batchSize: p.batchSize,
          learningRate: p.learningRate,
          learningRateEnd: p.learningRateEnd,
          k: p.k,
          persistent: p.persistent,
          l1: p.l1,
          l2: p.l2,
          momentum: p.momentum,
          seed: seeds.train,
        },
        {
          afterBatch: async (epoch, batch, batches) => {
            const done = (epoch - 1) * rowsPerEpoch + ((batch + 1) / batches) * rowsPerEpoch;
            ctx.progress((unitsBefore + done) / totalUnits, `${where}: epoch ${epoch}/${p.epochs} · ${backend}`);
            await ctx.checkpoint();
          },
        },
      );
      unitsBefore += trainUnits(visible.n);
      let lastYield = performance.now();
      const drawn = await sampleStack(
        result.model,
        { samples: p.samples, steps: p.steps, seed: seeds.sample },
        async (step) => {
          const now = performance.now();
          if (now - lastYield < YIELD_INTERVAL_MS) return;
          lastYield = now;
          ctx.progress(
            (unitsBefore + (step + 1) * p.samples) / totalUnits,
            `${where}: Gibbs step ${step + 1}/${p.steps} · ${backend}`,
          );
          await ctx.checkpoint();
        },
      );
      unitsBefore += sampleUnits;
      out.set(spinsFromStates(drawn.states), g * p.samples * nv);
      T.fill(group.T, g * p.samples, (g + 1) * p.samples);
      const last = result.history.at(-1);
      curves.push({ name: names[g], y: result.history.map((h) => h.pseudoLogLikelihood) });
      rbms.push({
        T: group.T,
        trainingSamples: visible.n,
        seed: seeds.train,
        sampleSeed: seeds.sample,
        epochs: p.epochs,
        pseudoLogLikelihood: last?.pseudoLogLikelihood ?? NaN,
        reconstructionError: last?.reconstructionError ?? NaN,
      });
      if (g < groups.length - 1) ctx.emit({ spins: snapshot((g + 1) * p.samples), history: history() });
    }
    ctx.progress(1);
    const spins: SpinsValue = { type: 'spins', shape: [total, ...lattice], data: out, T, meta };
    return { spins, history: history() };
  },
});
