/**
 * Progress on stderr: a bar per node on a terminal, one line per state change otherwise (CI logs). Ids and
 * messages come from the graph file (or quote it), so they are printed through printable().
 */
import cliProgress from 'cli-progress';
import type { NodeStatus } from '../engine/status';
import { printable } from './terminal-text';

export interface ProgressReporter {
  update(nodeId: string, status: NodeStatus): void;
  stop(): void;
}

function describe(status: NodeStatus): string {
  return printable(describeRaw(status));
}

function describeRaw(status: NodeStatus): string {
  switch (status.state) {
    case 'idle':
      return 'idle';
    case 'waiting':
      return `waiting: ${status.message}`;
    case 'running':
      return status.message ? `running: ${status.message}` : 'running';
    case 'done':
      return `done in ${Math.round(status.ms)} ms${status.waitedMs ? ` (waited ${Math.round(status.waitedMs)} ms)` : ''}${status.cached ? ' (cached)' : ''}`;
    case 'error':
      return `error: ${status.message}`;
  }
}

export function createProgressReporter(
  nodeIds: string[],
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const labels = new Map(nodeIds.map((id) => [id, printable(id)]));
  const width = Math.max(4, ...[...labels.values()].map((label) => label.length));
  const label = (id: string) => (labels.get(id) ?? printable(id)).padEnd(width);
  if (!stream.isTTY) {
    const started = performance.now();
    const last = new Map<string, string>();
    return {
      update(nodeId, status) {
        if (status.state === 'running' && last.get(nodeId)?.startsWith('running')) return;
        const text = describe(status);
        if (last.get(nodeId) === text) return;
        last.set(nodeId, text);
        const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
        stream.write(`[${seconds} s] ${label(nodeId)}  ${text}\n`);
      },
      stop() {},
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: `{node} |{bar}| {percentage}% {state}`,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  const byNode = new Map(nodeIds.map((id) => [id, bars.create(100, 0, { node: label(id), state: 'idle' })]));
  return {
    update(nodeId, status) {
      const bar = byNode.get(nodeId);
      if (!bar) return;
      const value = status.state === 'done' ? 100 : status.state === 'running' ? Math.round(status.progress * 100) : 0;
      bar.update(value, { node: label(nodeId), state: describe(status) });
    },
    stop: () => bars.stop(),
  };
}
