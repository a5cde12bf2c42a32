/** Runs the CLI as `npm run graph -- ...` does, in a child process, and returns what it printed. */
import { spawnSync } from 'node:child_process';

export function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './src/workers/node-preload.mjs', 'src/cli/main.ts', ...args],
    { encoding: 'utf8', timeout: 240_000 }, // a sweep runs several graphs
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
