import { describe, expect, it } from 'vitest';
import type { NodeStatus } from '../../src/engine/status';
import { runProgress } from '../../src/ui/RunProgress';

const done: NodeStatus = { state: 'done', ms: 10, cached: false, partial: false };
const running = (progress: number): NodeStatus => ({ state: 'running', progress });

describe('run-wide progress', () => {
  it('is nothing while no node runs', () => {
    expect(runProgress([done, { state: 'idle' }], [undefined, undefined], 1000)).toBeNull();
  });

  it('counts done nodes as whole and running ones by their progress, leaving out idle ones', () => {
    const figures = runProgress(
      [done, running(0.5), { state: 'waiting', message: 'waits for a free worker' }, { state: 'idle' }],
      [undefined, 0, undefined, undefined],
      10_000,
    );
    expect(figures!.fraction).toBeCloseTo(1.5 / 3, 12);
    expect(figures!.running).toBe(1);
    expect(figures!.waiting).toBe(1);
  });

  it('estimates the time left as the longest of the running nodes’ own estimates', () => {
    // half done after 10 s: 10 s left; a quarter done after 2 s: 6 s left
    const figures = runProgress([running(0.5), running(0.25)], [0, 8_000], 10_000);
    expect(figures!.msLeft).toBeCloseTo(10_000, 6);
  });

  it('gives no estimate before a node has made measurable progress', () => {
    expect(runProgress([running(0.001)], [0], 5_000)!.msLeft).toBeNull();
  });
});
