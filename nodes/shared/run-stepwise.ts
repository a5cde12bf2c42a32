/**
 * Shared by the measuring nodes (Observables, Correlation, Compare). nodes/shared/ holds what several node
 * folders use: a node folder imports no other node folder (eslint.config.js).
 */
import type { RunContext } from '../../src/graph/node-definition';

/** Runs a stepwise measurement, reporting progress and checking for cancellation between steps. */
export async function runStepwise<R>(steps: Generator<number, R, void>, ctx: RunContext): Promise<R> {
  ctx.progress(0);
  for (;;) {
    await ctx.checkpoint();
    const step = steps.next();
    if (step.done) {
      ctx.progress(1);
      return step.value;
    }
    ctx.progress(step.value);
  }
}
