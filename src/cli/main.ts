/**
 * The headless runner:
 *   npm run graph -- run FILE [--out DIR] [--set node.param=value ...] [--workers N]
 *   npm run graph -- validate FILE
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { Command, InvalidArgumentError } from 'commander';
import { appRegistry } from '../../nodes/index';
import { formatIssue } from '../graph/errors';
import { serializeGraph } from '../graph/serialize';
import { createAppPool } from '../workers/app-pool';
import { createProgressReporter } from './progress';
import { loadGraphText, runGraph } from './run-graph';
import type { Summary } from './summary';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function load(file: string, sets: string[]) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
  return loadGraphText(text, appRegistry(), sets);
}

function printErrors(file: string, errors: string[]): void {
  process.stderr.write(`${file}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
  for (const error of errors) process.stderr.write(`  - ${error}\n`);
}

function printTable(summary: Summary): void {
  const table = new Table({ head: ['node', 'type', 'status', 'ms', 'note'] });
  for (const [id, node] of Object.entries(summary.nodes)) {
    const note = node.error ?? node.message ?? (node.cached ? 'cached' : '');
    table.push([id, node.type, node.status, node.ms ?? '', note.length > 60 ? `${note.slice(0, 57)}...` : note]);
  }
  process.stdout.write(`${table.toString()}\n`);
}

const program = new Command()
  .name('blockspin')
  .description('Run and check Blockspin graph files without the app.')
  .showHelpAfterError();

program
  .command('validate')
  .description('check a graph file and list every problem with its place')
  .argument('<file>', 'a *.blockspin.json graph file')
  .option('--set <node.param=value>', 'override a param (repeatable)', collect, [])
  .action(async (file: string, options: { set: string[] }) => {
    const loaded = await load(file, options.set);
    if (!loaded.ok) {
      printErrors(file, loaded.errors);
      process.exitCode = 1;
      return;
    }
    for (const warning of loaded.warnings) process.stderr.write(`warning: ${formatIssue(warning)}\n`);
    process.stdout.write(`${file}: ok (${loaded.graph.nodes.length} nodes, ${loaded.graph.edges.length} edges)\n`);
  });

program
  .command('run')
  .description('run a graph file to the end and write its results')
  .argument('<file>', 'a *.blockspin.json graph file')
  .option('--out <dir>', 'write summary.json, .npy arrays and figures here')
  .option('--set <node.param=value>', 'override a param (repeatable)', collect, [])
  .option('--workers <n>', 'worker threads for heavy nodes (default: cores - 1)', positiveInt)
  .action(async (file: string, options: { out?: string; set: string[]; workers?: number }) => {
    const loaded = await load(file, options.set);
    if (!loaded.ok) {
      printErrors(file, loaded.errors);
      process.exitCode = 1;
      return;
    }
    for (const warning of loaded.warnings) process.stderr.write(`warning: ${formatIssue(warning)}\n`);
    const { graph } = loaded;
    const pool = createAppPool({ size: options.workers ?? Math.max(1, availableParallelism() - 1) });
    const progress = createProgressReporter(graph.nodes.map((n) => n.id));
    try {
      const result = await runGraph(graph, {
        registry: appRegistry(),
        heavyExecutor: pool.executor,
        onStatus: (id, status) => progress.update(id, status),
        graphText: serializeGraph(graph), // the graph as run, --set overrides included
      });
      progress.stop();
      printTable(result.summary);
      if (options.out) {
        await mkdir(options.out, { recursive: true });
        await writeFile(join(options.out, 'summary.json'), JSON.stringify(result.summary, null, 2) + '\n');
        for (const f of result.files) await writeFile(join(options.out, f.name), f.bytes);
        process.stdout.write(`wrote ${options.out}/summary.json and ${result.files.length} files\n`);
      }
      if (result.failed.length) {
        process.stderr.write(`failed: ${result.failed.join(', ')}\n`);
        process.exitCode = 1;
      }
    } finally {
      progress.stop();
      pool.dispose();
    }
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
