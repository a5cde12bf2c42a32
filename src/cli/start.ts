/**
 * `npm start`: builds the app when the sources are newer than the last build, then serves it on
 * 127.0.0.1 and prints the URL. PORT sets the port (default 4173, the next free one if taken).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, preview } from 'vite';

const SOURCES = ['src', 'nodes', 'graphs', 'index.html', 'vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const built = join('dist', 'index.html');
const stale = !existsSync(built) || Math.max(...SOURCES.map(newestMtime)) > statSync(built).mtimeMs;
if (stale) {
  process.stdout.write('Building the app...\n');
  await build({ logLevel: 'warn' });
}
const server = await preview({
  preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 4173), strictPort: false },
});
process.stdout.write('\nBlockspin is running:\n');
server.printUrls();
process.stdout.write('Press Ctrl+C to stop.\n');
