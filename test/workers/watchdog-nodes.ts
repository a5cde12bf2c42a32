/** Worker test nodes for the heartbeat: a worker that hangs. */
import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';

/**
 * Never comes back: `spin` loops forever without a checkpoint; `freeze` blocks its thread for good, as a
 * worker the system has stopped or killed without a word (no error or exit event).
 */
export const hangNode = defineNode({
  type: 'test.hang',
  version: 1,
  title: 'Hang',
  category: 'Test',
  doc: 'Hangs its worker.',
  inputs: {},
  outputs: { out: { type: 'tensor' } },
  params: z.strictObject({ how: z.enum(['spin', 'freeze']).default('spin'), afterMs: z.number().default(100) }),
  heavy: true,
  async run(_inputs, params, ctx) {
    ctx.progress(0.5, 'about to hang');
    await new Promise((resolve) => setTimeout(resolve, params.afterMs));
    if (params.how === 'freeze') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    for (;;) {
      // no checkpoint, ever
    }
  },
});

export const watchdogNodes = [hangNode];
