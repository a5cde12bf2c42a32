/** `npm run bench`: every benchmark section, printed as a table and as JSON, and saved to bench-results.json. */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import Table from 'cli-table3';
import { engineBench } from './engine.bench';
import type { BenchResult } from './measure';
import { browserBench } from './browser.bench';
import { figuresBench } from './figures.bench';
import { mlBench } from './ml.bench';
import { physicsBench } from './physics.bench';
import { webgpuBench } from './webgpu.bench';

const sections: Record<string, () => Promise<BenchResult[]>> = {
  engine: engineBench,
  physics: physicsBench,
  ml: mlBench,
  figures: figuresBench,
  browser: async () => [...(await browserBench()), ...(await webgpuBench())],
  webgpu: webgpuBench,
};

const only = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, run] of Object.entries(sections)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}...\n`);
  results.push(...(await run()));
}

const table = new Table({ head: ['section', 'measure', 'value', 'unit', 'note'] });
for (const r of results) table.push([r.section, r.name, Number(r.value.toPrecision(4)), r.unit, r.note ?? '']);
process.stdout.write(`${table.toString()}\n`);

const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  results,
};
writeFileSync('bench-results.json', JSON.stringify(report, null, 2) + '\n');
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exit(0);
