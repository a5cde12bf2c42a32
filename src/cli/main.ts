/**
 * The headless runner:
 *   npm run graph -- run FILE [--out DIR] [--set node.param=value ...] [--workers N] [--max-memory SIZE]
 *   npm run graph -- validate FILE [--max-memory SIZE]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { appRegistry } from '../../nodes/index';
import { describeCost, estimateGraph, formatBytes } from '../graph/budget';
import { formatIssue } from '../graph/errors';
import { serializeGraph } from '../graph/serialize';
import { parseBytes } from './bytes';
import { createProgressReporter } from './progress';
import { errorText, failedText, problemsText, summaryTable, validText, warningsText } from './report';
import { createCliPools } from './pools';
import { loadGraphText, runGraph } from './run-graph';
import { summaryJson } from './summary';
import { printable } from './terminal-text';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function size(value: string): number {
  try {
    return parseBytes(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** The default budget: three quarters of this machine's memory. */
const DEFAULT_MAX_MEMORY = Math.floor(0.75 * totalmem());
const MAX_MEMORY_HELP = `memory the graph may allocate, e.g. 8GB or 512MB (default: 75% of this machine's, ${formatBytes(DEFAULT_MAX_MEMORY)})`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function load(file: string, sets: string[], maxMemory: number) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
  return loadGraphText(text, appRegistry(), sets, maxMemory);
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
  .option('--max-memory <size>', MAX_MEMORY_HELP, size, DEFAULT_MAX_MEMORY)
  .action(async (file: string, options: { set: string[]; maxMemory: number }) => {
    const loaded = await load(file, options.set, options.maxMemory);
    if (!loaded.ok) {
      process.stderr.write(problemsText(file, loaded.errors));
      process.exitCode = 1;
      return;
    }
    process.stderr.write(warningsText(loaded.warnings.map(formatIssue)));
    process.stdout.write(validText(file, loaded.graph.nodes.length, loaded.graph.edges.length));
    const cost = estimateGraph(loaded.graph, appRegistry());
    process.stdout.write(`it ${describeCost(cost)} (the budget is ${formatBytes(options.maxMemory)})\n`);
  });

program
  .command('run')
  .description('run a graph file to the end and write its results')
  .argument('<file>', 'a *.blockspin.json graph file')
  .option('--out <dir>', 'write summary.json, .npy arrays and figures here')
  .option('--set <node.param=value>', 'override a param (repeatable)', collect, [])
  .option('--workers <n>', 'worker threads for short heavy jobs, beside one for training (default: cores)', positiveInt)
  .option('--max-memory <size>', MAX_MEMORY_HELP, size, DEFAULT_MAX_MEMORY)
  .action(async (file: string, options: { out?: string; set: string[]; workers?: number; maxMemory: number }) => {
    const loaded = await load(file, options.set, options.maxMemory);
    if (!loaded.ok) {
      process.stderr.write(problemsText(file, loaded.errors));
      process.exitCode = 1;
      return;
    }
    process.stderr.write(warningsText(loaded.warnings.map(formatIssue)));
    const { graph } = loaded;
    const pools = createCliPools(options.workers);
    const progress = createProgressReporter(graph.nodes.map((n) => n.id));
    try {
      const result = await runGraph(graph, {
        registry: appRegistry(),
        heavyExecutor: pools.heavyExecutor,
        laneExecutors: pools.laneExecutors,
        parallelParts: pools.parallelParts,
        onStatus: (id, status) => progress.update(id, status),
        graphText: serializeGraph(graph), // the graph as run, --set overrides included
        memoryBudget: options.maxMemory,
      });
      progress.stop();
      process.stdout.write(summaryTable(result.summary, { color: process.stdout.isTTY }));
      if (options.out) {
        await mkdir(options.out, { recursive: true });
        await writeFile(join(options.out, 'summary.json'), summaryJson(result.summary));
        for (const f of result.files) await writeFile(join(options.out, f.name), f.bytes);
        process.stdout.write(`wrote ${printable(options.out)}/summary.json and ${result.files.length} files\n`);
      }
      if (result.failed.length) {
        process.stderr.write(failedText(result.failed));
        process.exitCode = 1;
      }
    } finally {
      progress.stop();
      pools.dispose();
    }
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(errorText(error));
  process.exitCode = 1;
});
