/**
 * The C reference kernels (reference/ising.c), compiled once per bench run with the system's C compiler
 * when there is one, so each JavaScript kernel is timed beside C in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let binary: string | null | undefined;

function compiled(): string | null {
  if (binary !== undefined) return binary;
  const out = join(mkdtempSync(join(tmpdir(), 'blockspin-bench-c-')), 'ising');
  try {
    execFileSync('cc', ['-O2', '-o', out, join(import.meta.dirname, 'reference', 'ising.c'), '-lm'], { stdio: 'pipe' });
    binary = out;
  } catch (error) {
    process.stderr.write(`bench: no C reference (cc failed: ${(error as Error).message.split('\n')[0]})\n`);
    binary = null;
  }
  return binary;
}

/** ns per flip (Metropolis) or per flipped spin (Wolff) of the C kernel, median of `repeats`; null without a compiler. */
export function cNanoseconds(
  kernel: 'metropolis2d' | 'metropolis1d' | 'wolff2d' | 'multispin2d',
  L: number,
  count: number,
  repeats = 3,
): number | null {
  const exe = compiled();
  if (!exe) return null;
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const line = execFileSync(exe, [kernel, String(L), String(count)], { encoding: 'utf8' });
    times.push((JSON.parse(line) as { ns: number }).ns);
  }
  return times.sort((a, b) => a - b)[repeats >> 1];
}

/**
 * Seconds per CD-1 epoch of the NumPy reference (reference/rbm_cd1.py, float32, OpenBLAS's default threads),
 * median of the epochs after the first; null without a python3 that has numpy.
 */
export function numpySecondsPerEpoch(n: number, nv: number, nh: number, batch: number, epochs: number): number | null {
  try {
    const line = execFileSync(
      'python3',
      [join(import.meta.dirname, 'reference', 'rbm_cd1.py'), ...[n, nv, nh, batch, epochs].map(String)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const times = (JSON.parse(line) as { epochs: number[] }).epochs.slice(1).sort((a, b) => a - b);
    return times[times.length >> 1];
  } catch (error) {
    process.stderr.write(`bench: no NumPy reference (${(error as Error).message.split('\n')[0]})\n`);
    return null;
  }
}
