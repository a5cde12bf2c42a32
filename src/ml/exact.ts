/**
 * Exact quantities of small RBMs by enumeration, in float64 plain JavaScript: the log partition
 * function (enumerating whichever layer has at most 20 units), the exact log-likelihood of data, the
 * model's distribution over visible states, and the exact log-likelihood gradient.
 */
import type { RbmValue } from '../graph/values';

export const MAX_ENUMERATED_UNITS = 20;

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function logSumExp(values: Float64Array): number {
  let max = -Infinity;
  for (const x of values) if (x > max) max = x;
  let sum = 0;
  for (const x of values) sum += Math.exp(x - max);
  return max + Math.log(sum);
}

/** The free energy F(v) = -vb·v - Σ_j softplus(hb_j + (vW)_j) of one visible row. */
export function freeEnergyOf(model: RbmValue, v: ArrayLike<number>): number {
  let energy = 0;
  for (let i = 0; i < model.nv; i++) energy -= model.vbias[i] * v[i];
  for (let j = 0; j < model.nh; j++) {
    let x = model.hbias[j];
    for (let i = 0; i < model.nv; i++) x += v[i] * model.W[i * model.nh + j];
    energy -= softplus(x);
  }
  return energy;
}

/** The same with the layers' roles swapped: G(h) = -hb·h - Σ_i softplus(vb_i + (Wh)_i). */
function hiddenFreeEnergy(model: RbmValue, h: ArrayLike<number>): number {
  let energy = 0;
  for (let j = 0; j < model.nh; j++) energy -= model.hbias[j] * h[j];
  for (let i = 0; i < model.nv; i++) {
    let x = model.vbias[i];
    for (let j = 0; j < model.nh; j++) x += model.W[i * model.nh + j] * h[j];
    energy -= softplus(x);
  }
  return energy;
}

function bitsOf(index: number, count: number, out: Float64Array): Float64Array {
  for (let b = 0; b < count; b++) out[b] = (index >>> b) & 1;
  return out;
}

/** log Z, summing over the smaller layer; refuses models where both layers exceed 20 units. */
export function logPartition(model: RbmValue): number {
  const units = Math.min(model.nv, model.nh);
  if (units > MAX_ENUMERATED_UNITS) {
    throw new Error(
      `exact log Z needs a layer of at most ${MAX_ENUMERATED_UNITS} units; this model has ${model.nv} x ${model.nh}`,
    );
  }
  const overHidden = model.nh <= model.nv;
  const states = 2 ** units;
  const terms = new Float64Array(states);
  const x = new Float64Array(units);
  for (let s = 0; s < states; s++) {
    bitsOf(s, units, x);
    terms[s] = -(overHidden ? hiddenFreeEnergy(model, x) : freeEnergyOf(model, x));
  }
  return logSumExp(terms);
}

/** Mean exact log-likelihood of rows of visible data (n x nv). */
export function exactLogLikelihood(model: RbmValue, data: ArrayLike<number>, n: number): number {
  const logZ = logPartition(model);
  let total = 0;
  const row = new Float64Array(model.nv);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < model.nv; i++) row[i] = data[r * model.nv + i];
    total -= freeEnergyOf(model, row);
  }
  return total / n - logZ;
}

/** p(v) for every visible state v (index bit i = unit i), for nv <= 20. */
export function visibleDistribution(model: RbmValue): Float64Array {
  if (model.nv > MAX_ENUMERATED_UNITS) throw new Error(`visibleDistribution needs nv <= ${MAX_ENUMERATED_UNITS}`);
  const states = 2 ** model.nv;
  const logp = new Float64Array(states);
  const v = new Float64Array(model.nv);
  for (let s = 0; s < states; s++) logp[s] = -freeEnergyOf(model, bitsOf(s, model.nv, v));
  const logZ = logSumExp(logp);
  return logp.map((x) => Math.exp(x - logZ));
}

export interface Gradient {
  dW: Float64Array;
  dvb: Float64Array;
  dhb: Float64Array;
}

/** <v p(h|v)ᵀ> over rows weighted by `weight(row)`; shared by the data and model terms. */
function moments(model: RbmValue, rows: number, rowAt: (r: number, v: Float64Array) => number): Gradient {
  const { nv, nh } = model;
  const g: Gradient = { dW: new Float64Array(nv * nh), dvb: new Float64Array(nv), dhb: new Float64Array(nh) };
  const v = new Float64Array(nv);
  const ph = new Float64Array(nh);
  for (let r = 0; r < rows; r++) {
    const weight = rowAt(r, v);
    if (weight === 0) continue;
    for (let j = 0; j < nh; j++) {
      let x = model.hbias[j];
      for (let i = 0; i < nv; i++) x += v[i] * model.W[i * nh + j];
      ph[j] = 1 / (1 + Math.exp(-x));
      g.dhb[j] += weight * ph[j];
    }
    for (let i = 0; i < nv; i++) {
      g.dvb[i] += weight * v[i];
      for (let j = 0; j < nh; j++) g.dW[i * nh + j] += weight * v[i] * ph[j];
    }
  }
  return g;
}

/** The exact gradient of the mean log-likelihood of the data: <v hᵀ>_data - <v hᵀ>_model (nv <= 20). */
export function exactGradient(model: RbmValue, data: ArrayLike<number>, n: number): Gradient {
  const positive = moments(model, n, (r, v) => {
    for (let i = 0; i < model.nv; i++) v[i] = data[r * model.nv + i];
    return 1 / n;
  });
  const p = visibleDistribution(model);
  const negative = moments(model, p.length, (s, v) => {
    bitsOf(s, model.nv, v);
    return p[s];
  });
  return {
    dW: positive.dW.map((x, k) => x - negative.dW[k]),
    dvb: positive.dvb.map((x, k) => x - negative.dvb[k]),
    dhb: positive.dhb.map((x, k) => x - negative.dhb[k]),
  };
}
