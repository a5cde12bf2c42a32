/** The run-wide progress bar in the top bar, with the estimated time left, from every node's status. */
import { useEffect, useRef, useState } from 'react';
import type { GraphEngine } from '../engine/engine';
import type { NodeStatus } from '../engine/status';

export interface RunProgressFigures {
  /** 0..1 over the nodes of this run (those that have not simply stayed idle). */
  fraction: number;
  /** null until a running node has made enough progress for an estimate. */
  msLeft: number | null;
  running: number;
  waiting: number;
}

/**
 * The run's progress from node statuses: a done node counts 1, a running one its progress. The time left is
 * the longest of the running nodes' own estimates (elapsed × (1 − p) / p): they run in parallel.
 */
export function runProgress(
  statuses: readonly NodeStatus[],
  startedAt: readonly (number | undefined)[],
  now: number,
): RunProgressFigures | null {
  let total = 0;
  let sum = 0;
  let running = 0;
  let waiting = 0;
  let msLeft: number | null = null;
  statuses.forEach((status, i) => {
    if (status.state === 'idle') return;
    total++;
    if (status.state === 'done' || status.state === 'error') sum += 1;
    else if (status.state === 'waiting') waiting++;
    else {
      running++;
      sum += status.progress;
      const start = startedAt[i];
      if (start !== undefined && status.progress >= 0.02) {
        const left = ((now - start) * (1 - status.progress)) / status.progress;
        msLeft = Math.max(msLeft ?? 0, left);
      }
    }
  });
  if (!running) return null;
  return { fraction: total ? sum / total : 0, msLeft, running, waiting };
}

function formatLeft(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Polled twice a second: enough for a bar and a count of seconds, and no work at all on each status change. */
export function RunProgress({ engine }: { engine: GraphEngine }) {
  const [figures, setFigures] = useState<RunProgressFigures | null>(null);
  const started = useRef(new Map<string, number>());
  useEffect(() => {
    const timer = setInterval(() => {
      const ids = engine.nodeIds();
      const now = performance.now();
      const statuses = ids.map((id) => engine.status(id));
      ids.forEach((id, i) => {
        if (statuses[i].state !== 'running') started.current.delete(id);
        else if (!started.current.has(id)) started.current.set(id, now);
      });
      const next = runProgress(
        statuses,
        ids.map((id) => started.current.get(id)),
        now,
      );
      setFigures((current) =>
        current && next && current.fraction === next.fraction && current.msLeft === next.msLeft ? current : next,
      );
    }, 500);
    return () => clearInterval(timer);
  }, [engine]);
  if (!figures) return null;
  const percent = Math.round(figures.fraction * 100);
  const left = figures.msLeft === null ? 'estimating…' : `about ${formatLeft(figures.msLeft)} left`;
  return (
    <span
      className="run-progress"
      role="progressbar"
      aria-label="Run progress"
      aria-valuenow={percent}
      title={`${figures.running} running, ${figures.waiting} waiting`}
    >
      <span className="run-progress-bar">
        <span style={{ transform: `scaleX(${figures.fraction})` }} />
      </span>
      {percent}% · {left}
    </span>
  );
}
