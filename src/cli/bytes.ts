/** Sizes on the command line: '8GB', '512 MB', '2GiB' or a number of bytes. */

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes from a size; kB, MB, GB and TB are decimal (1 GB = 10^9 bytes), KiB, MiB, GiB and TiB binary. */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new Error(`'${text}' is not a size: write a number with a unit such as 512MB, 8GB or 2GiB`);
  }
  const bytes = Number(match[1]) * unit;
  if (!(bytes > 0)) throw new Error(`'${text}' is not a size: it must be more than 0`);
  return bytes;
}
