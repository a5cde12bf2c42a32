/**
 * data.import — Import data: spins, a tensor or an RBM from a NumPy file (NODES.md).
 *
 * - A `.npy` of int8 ±1 of shape [n, L] or [n, L, L] gives `spins`, with the temperature of each sample
 *   from `<name>.T.npy` beside it when there is one (n values, float64 or float32; NaN marks an unknown
 *   one), else T = NaN. The spins are taken as periodic Ising samples with the couplings `J` and `h`
 *   (params), which Observables and the flows use for energies.
 * - A `.npy` of float32 (or float64) values in [0, 1] gives `tensor` (float64 is read as float32).
 * - A `.npz` of an RBM stack, as Blockspin writes it (src/graph/rbm-npz.ts), gives `model`.
 *
 * `file` records the file's name, SHA-256, size, dtype and shape (src/graph/data-file.ts), so a file that is
 * missing or has changed is an error naming it, and the memory the node needs is known before it runs. In
 * the CLI, `name` is a path relative to the graph file; in the app, a dropped or chosen file is kept in the
 * browser's storage by its content. The node has the one output its file holds; it reads and checks the
 * file in a worker (every spin ±1, every value in [0, 1], every temperature > 0 or NaN).
 */
import { z } from 'zod';
import { spinsSize, tensorSize } from '../../src/graph/budget';
import {
  dataFileRecord,
  dataValueBytes,
  readModel,
  readSpins,
  readTensor,
  recordFiles,
  type DataFileRecord,
} from '../../src/graph/data-file';
import { defineNode, type OutputValues, type ResourceEstimate } from '../../src/graph/node-definition';
import { rbmLayers } from '../../src/graph/rbm-npz';

const NO_FILE =
  'no file: drop a .npy (spins or values in [0, 1]) or an RBM .npz on the canvas, or choose one in the inspector';

export const dataImportParams = z.strictObject({
  file: dataFileRecord.optional().meta({ widget: 'data-file' }),
  J: z.number().default(1),
  h: z.number().default(0),
});

export type DataImportParams = z.output<typeof dataImportParams>;

const OUTPUTS = ['spins', 'tensor', 'model'] as const;

/** What reading the file allocates and gives, from what the graph recorded of it. */
export function importResources(file: DataFileRecord | undefined): ResourceEstimate {
  if (!file) return {};
  // The file's bytes are held while the value is made from them (a temperatures file too).
  const read = recordFiles(file).reduce((sum, ref) => sum + ref.bytes, 0);
  if (file.kind === 'spins') return { outputs: { spins: spinsSize(file.shape) }, working: read };
  if (file.kind === 'tensor') {
    // float64 is decoded, then copied to float32
    return { outputs: { tensor: tensorSize(file.shape) }, working: file.dtype === 'float64' ? 2 * read : read };
  }
  const model = {
    bytes: dataValueBytes(file),
    shape: file.layers[0],
    stack: { layers: file.layers, visibleShape: file.visibleShape },
  };
  // the members, unpacked from the file, then decoded
  return { outputs: { model }, working: 3 * read };
}

export const dataImportNode = defineNode({
  type: 'data.import',
  version: 1,
  title: 'Import data',
  category: 'Data',
  doc: 'Spins (int8 ±1, temperatures from <name>.T.npy), values in [0, 1] (float32) or an RBM (.npz) from a NumPy file; drop one on the canvas.',
  inputs: {},
  outputs: {
    spins: { type: 'spins', doc: 'from a .npy of int8 ±1, shape [n, L] or [n, L, L]; T from <name>.T.npy or NaN' },
    tensor: { type: 'tensor', doc: 'from a .npy of float32 values in [0, 1]' },
    model: { type: 'rbm', doc: 'from a .npz of an RBM stack (layer<k>_W, _vbias, _hbias, _visible_shape)' },
  },
  params: dataImportParams,
  heavy: true,
  outputsFor: (p) => (p.file ? [p.file.kind] : OUTPUTS),
  files: (p) => (p.file ? recordFiles(p.file) : []),
  resources: (p) => importResources(p.file),
  async run(_inputs, p, ctx): Promise<OutputValues> {
    const file = p.file;
    if (!file) throw new Error(NO_FILE);
    ctx.progress(0, `reading ${file.name}`);
    const bytes = await ctx.readFile(file);
    await ctx.checkpoint();
    switch (file.kind) {
      case 'spins': {
        const T = file.temperatures && (await ctx.readFile(file.temperatures));
        const spins = readSpins(file, bytes, T, p);
        ctx.progress(1, `${spins.shape[0]} samples of ${spins.shape.slice(1).join(' × ')}`);
        return { spins };
      }
      case 'tensor': {
        const tensor = readTensor(file, bytes);
        ctx.progress(1, `[${tensor.shape.join(', ')}]`);
        return { tensor };
      }
      case 'model': {
        const model = readModel(file, bytes);
        ctx.progress(
          1,
          rbmLayers(model)
            .map((l) => `${l.nv} → ${l.nh}`)
            .join(', '),
        );
        return { model };
      }
    }
  },
});
