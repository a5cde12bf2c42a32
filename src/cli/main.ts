/**
 * The headless runner:
 *   npm run graph -- run FILE [--out DIR] [--set node.param=value ...] [--workers N] [--max-memory SIZE]
 *   npm run graph -- run FILE --manifest DIR/sweep.json --task I      (one task of a sweep)
 *   npm run graph -- validate FILE [--max-memory SIZE]
 *   npm run graph -- sweep FILE --grid node.param=v1,v2,... --out DIR [--jobs N] [--emit slurm|parallel]
 *   npm run graph -- merge DIR [--plot COLUMN]
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
import { resolveDataPaths } from './data-paths';
import { readManifest, taskDir, taskOverrides } from './sweep/manifest';
import { mergeCommand, sweepCommand } from './sweep/sweep-command';
import { writeTaskError, writeTaskResults } from './sweep/task-results';
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

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function readGraphFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
}

async function load(file: string, sets: string[], maxMemory: number) {
  return loadGraphText(await resolveDataPaths(await readGraphFile(file), file), appRegistry(), sets, maxMemory);
}

interface RunCommandOptions {
  out?: string;
  set: string[];
  workers?: number;
  maxMemory: number;
  manifest?: string;
  task?: number;
}

/**
 * With --manifest and --task, the run is one task of a sweep: its overrides come from the manifest, its
 * results go (whole or not at all) to the task's folder beside it, and a graph that cannot start leaves
 * error.txt there, so `graph merge` can say why.
 */
async function runCommand(file: string, options: RunCommandOptions): Promise<void> {
  const text = await readGraphFile(file);
  let sets = options.set;
  let taskOut: string | undefined;
  if (options.manifest !== undefined || options.task !== undefined) {
    if (options.manifest === undefined || options.task === undefined)
      throw new Error('--manifest and --task go together');
    if (sets.length) throw new Error('--set cannot be added to a task of a sweep: its values are in the manifest');
    const manifest = await readManifest(options.manifest);
    sets = taskOverrides(manifest, options.manifest, text, options.task);
    taskOut = options.out ?? taskDir(options.manifest, options.task);
  }
  let resolved: string;
  try {
    resolved = await resolveDataPaths(text, file);
  } catch (error) {
    if (taskOut) await writeTaskError(taskOut, (error as Error).message);
    throw error;
  }
  const loaded = loadGraphText(resolved, appRegistry(), sets, options.maxMemory);
  if (!loaded.ok) {
    process.stderr.write(problemsText(file, loaded.errors));
    if (taskOut) await writeTaskError(taskOut, `${file} is not a valid graph: ${loaded.errors.join('; ')}`);
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
      graphFile: file, // an Import data node's files are relative to it
    }).catch(async (error: unknown) => {
      if (taskOut) await writeTaskError(taskOut, (error as Error).message);
      throw error;
    });
    progress.stop();
    process.stdout.write(summaryTable(result.summary, { color: process.stdout.isTTY }));
    if (taskOut) {
      await writeTaskResults(taskOut, summaryJson(result.summary), result.files);
      process.stdout.write(`wrote ${printable(taskOut)}/summary.json and ${result.files.length} files\n`);
    } else if (options.out) {
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
  .option('--manifest <file>', "a sweep's sweep.json: run one of its tasks (with --task)")
  .option(
    '--task <i>',
    'the task to run, 0 to n - 1 (e.g. $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)',
    nonNegativeInt,
  )
  .action(runCommand);

program
  .command('sweep')
  .description('run a graph over a grid of param values, here or through Slurm or GNU parallel, and merge the tables')
  .argument('<file>', 'a *.blockspin.json graph file')
  .requiredOption(
    '--grid <node.param=v1,v2,...>',
    'an axis of the grid, values read as in --set (repeatable)',
    collect,
    [],
  )
  .requiredOption('--out <dir>', 'the sweep directory: sweep.json, task-<i>/, merged/')
  .option('--jobs <n>', 'tasks at once on this machine (default: cores)', positiveInt)
  .option('--workers <n>', 'worker threads per task (default: cores / jobs; 1 in an emitted job list)', positiveInt)
  .option('--retry-failed', 'run failed tasks again (done tasks are never run again)', false)
  .option('--emit <engine>', 'write the sweep for an engine instead of running it: slurm or parallel', (v: string) => {
    if (v !== 'slurm' && v !== 'parallel') throw new InvalidArgumentError("expected 'slurm' or 'parallel'");
    return v;
  })
  .option('--tasks-per-job <m>', 'Slurm: rows of the manifest per array task', positiveInt, 1)
  .option('--max-running <k>', 'Slurm: array tasks at once, the %K of --array (default: all)', positiveInt)
  .option('--cpus-per-task <n>', 'Slurm: CPUs per array task (the task uses them as workers)', positiveInt, 1)
  .option('--mem <size>', "Slurm: memory per array task, as Slurm writes it (4G); also the task's --max-memory")
  .option('--time <limit>', 'Slurm: time limit per array task (01:00:00)')
  .option('--partition <name>', 'Slurm: partition')
  .option('--account <name>', 'Slurm: account')
  .option(
    '--max-memory <size>',
    `memory each task may allocate (default: with --emit slurm, --mem; run here, an equal share of ${formatBytes(DEFAULT_MAX_MEMORY)} per job at once)`,
    size,
  )
  .option('--plot <column>', 'also draw this column of the merged tables against --x (repeatable)', collect, [])
  .option('--x <column>', 'the x axis of --plot', 'T')
  .option('--by <column>', 'one curve per value of this column in --plot (default: per L, when there is one)')
  .action(async (file: string, options) => {
    process.exitCode = await sweepCommand(file, { ...options, defaultMaxMemory: DEFAULT_MAX_MEMORY });
  });

program
  .command('merge')
  .description("merge the tables of a sweep's finished tasks into DIR/merged/, and list the missing and failed ones")
  .argument('<dir>', 'a sweep directory (holding sweep.json)')
  .option('--plot <column>', 'also draw this column of the merged tables against --x (repeatable)', collect, [])
  .option('--x <column>', 'the x axis of --plot', 'T')
  .option('--by <column>', 'one curve per value of this column in --plot (default: per L, when there is one)')
  .action(async (dir: string, options: { plot: string[]; x: string; by?: string }) => {
    process.exitCode = await mergeCommand(dir, options);
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(errorText(error));
  process.exitCode = 1;
});
