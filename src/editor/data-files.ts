/**
 * Data files dropped on the canvas or chosen in the inspector, made into what Import data records: each
 * .npy or .npz, with a `<name>.T.npy` dropped beside a spins file taken as its temperatures. A file is read
 * whole once, to hash it (Web Crypto, off the page's thread) and to read its header; its values are checked
 * by the node's run, in a worker.
 */
import {
  MAX_DATA_FILE_BYTES,
  describeDataFile,
  isTemperaturesName,
  temperaturesName,
  type DataFileRecord,
} from '../graph/data-file';

/** A file as a browser hands it over: a Blob with a name. */
export type NamedBlob = Blob & { readonly name: string };

/** A data file with the temperatures file dropped beside it, if any. */
export interface DroppedData {
  file: NamedBlob;
  temperatures?: NamedBlob;
}

/** What one dropped data file gives: its record, and the blobs to keep by their hashes. */
export interface ImportedData {
  record: DataFileRecord;
  blobs: { sha256: string; name: string; blob: Blob }[];
}

export const isDataFileName = (name: string) => /\.(npy|npz)$/i.test(name);

/** The dropped files as data files with their temperatures; what cannot be imported, and why. */
export function pairDataFiles(files: readonly NamedBlob[]): { pairs: DroppedData[]; problems: string[] } {
  const problems: string[] = [];
  const byName = new Map(files.map((f) => [f.name, f]));
  const used = new Set<NamedBlob>();
  const pairs: DroppedData[] = [];
  for (const file of files) {
    if (!isDataFileName(file.name)) {
      problems.push(`${file.name}: Import data reads a .npy (spins, or values in [0, 1]) or the .npz of an RBM`);
      continue;
    }
    if (isTemperaturesName(file.name)) continue;
    const temperatures = byName.get(temperaturesName(file.name));
    if (temperatures) used.add(temperatures);
    pairs.push({ file, ...(temperatures ? { temperatures } : {}) });
  }
  for (const file of files) {
    if (isTemperaturesName(file.name) && !used.has(file)) {
      const spins = file.name.replace(/\.T\.npy$/i, '.npy');
      problems.push(`${file.name} holds temperatures: drop it together with ${spins}, the spins they belong to`);
    }
  }
  return { pairs, problems };
}

async function bytesOf(file: NamedBlob): Promise<Uint8Array> {
  // Refused by its size before any of it is read.
  if (file.size > MAX_DATA_FILE_BYTES) {
    const mb = (file.size / 2 ** 20).toFixed(0);
    throw new Error(`${file.name}: it is ${mb} MiB; data files are at most ${MAX_DATA_FILE_BYTES / 2 ** 20} MiB`);
  }
  return new Uint8Array(await file.arrayBuffer());
}

/** The record of a dropped data file (and its temperatures), with the blobs to keep. */
export async function importData(dropped: DroppedData): Promise<ImportedData> {
  const file = { name: dropped.file.name, bytes: await bytesOf(dropped.file) };
  const temperatures = dropped.temperatures && {
    name: dropped.temperatures.name,
    bytes: await bytesOf(dropped.temperatures),
  };
  const record = await describeDataFile(file, temperatures);
  const blobs = [{ sha256: record.sha256, name: record.name, blob: dropped.file as Blob }];
  if (record.kind === 'spins' && record.temperatures && dropped.temperatures) {
    blobs.push({ sha256: record.temperatures.sha256, name: record.temperatures.name, blob: dropped.temperatures });
  }
  return { record, blobs };
}

/** A record in a few words, as the inspector and notices show it. */
export function describeRecord(record: DataFileRecord): string {
  switch (record.kind) {
    case 'spins':
      return (
        `spins [${record.shape.join(', ')}]` +
        (record.temperatures ? `, temperatures from ${record.temperatures.name}` : ', temperatures unknown')
      );
    case 'tensor':
      return `${record.dtype} [${record.shape.join(', ')}]`;
    case 'model': {
      const up = [...record.layers].reverse(); // from the visible units up
      return `RBM ${[up[0][0], ...up.map(([, nh]) => nh)].join(' → ')}`;
    }
  }
}
