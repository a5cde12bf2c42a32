/** Receptive fields of an RBM stack's top hidden units on the bottom visible units. */
import type { RbmValue } from '../graph/values';

/**
 * Receptive fields of the first `units` top hidden units on the bottom visible units: the columns of
 * W_eff = W1 W2 ··· Wk, multiplied from the top down so only the shown columns are ever computed.
 */
export function composedWeights(
  model: RbmValue,
  units: number,
): { values: Float64Array; nv: number; shown: number; nh: number; visibleShape: number[]; depth: number } {
  const layers: RbmValue[] = [];
  for (let layer: RbmValue | undefined = model; layer; layer = layer.below) layers.push(layer); // top first
  const top = layers[0];
  const shown = Math.min(units, top.nh);
  let rows = top.nv;
  let current = new Float64Array(rows * shown);
  for (let i = 0; i < rows; i++) for (let j = 0; j < shown; j++) current[i * shown + j] = top.W[i * top.nh + j];
  for (const layer of layers.slice(1)) {
    if (layer.nh !== rows)
      throw new Error(`weights: the stack does not chain (${layer.nh} hidden units under ${rows} visible)`);
    const next = new Float64Array(layer.nv * shown);
    for (let i = 0; i < layer.nv; i++) {
      for (let k = 0; k < layer.nh; k++) {
        const a = layer.W[i * layer.nh + k];
        for (let j = 0; j < shown; j++) next[i * shown + j] += a * current[k * shown + j];
      }
    }
    current = next;
    rows = layer.nv;
  }
  const bottom = layers[layers.length - 1];
  return { values: current, nv: rows, shown, nh: top.nh, visibleShape: bottom.visibleShape, depth: layers.length };
}
