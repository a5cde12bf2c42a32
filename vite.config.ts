import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const TESTS = ['test/**/*.test.ts', 'test/**/*.test.tsx'];
/** Tests that measure time on the page: they need the machine to themselves. */
const TIMED = ['test/e2e/responsiveness.test.ts'];

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // Cross-origin isolation lets workers share memory (SharedArrayBuffer): a two-thread RBM swaps through it.
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
  test: {
    // Worker threads spawned by the tests load .ts modules through this preload.
    execArgv: ['--import', './src/workers/node-preload.mjs'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'main', include: TESTS, exclude: [...configDefaults.exclude, ...TIMED] } },
      // Timing tests run alone, once every other test file has finished: other files' browsers and workers
      // running beside them would be measured too.
      { extends: true, test: { name: 'timed', include: TIMED, sequence: { groupOrder: 1 } } },
    ],
  },
});
