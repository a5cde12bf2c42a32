/**
 * The layering rules of eslint.config.js, run on small snippets placed in each folder: every forbidden import
 * is reported and the allowed ones are not, so a rule cannot be dropped or loosened without a test failing.
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const LAYERING_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

/** The layering messages ESLint gives `code` as if it were the file at `filePath`. */
async function layering(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId && LAYERING_RULES.has(m.ruleId)).map((m) => m.message);
}

/** The forms an import can take: each must be caught. */
const forms = (source: string) => ({
  import: `import { x } from '${source}';\nexport const y = x;\n`,
  'type import': `import type { X } from '${source}';\nexport type Y = X;\n`,
  're-export': `export { x } from '${source}';\n`,
  'export *': `export * from '${source}';\n`,
  'side effect': `import '${source}';\n`,
  'dynamic import': `export const load = () => import('${source}');\n`,
});

function expectLayers(folder: string, file: string, cases: { forbidden: string[]; allowed: string[] }) {
  describe(folder, () => {
    const filePath = `${folder}/${file}`;
    it.each(cases.forbidden)(`refuses '%s'`, async (source) => {
      for (const [form, code] of Object.entries(forms(source))) {
        const messages = await layering(filePath, code);
        expect(messages, `${form} of '${source}' from ${filePath}`).toHaveLength(1);
      }
    });
    it.each(cases.allowed)(`allows '%s'`, async (source) => {
      for (const [form, code] of Object.entries(forms(source))) {
        expect(await layering(filePath, code), `${form} of '${source}' from ${filePath}`).toEqual([]);
      }
    });
  });
}

const APP = ['../engine/engine', '../workers/pool', '../editor/edits', '../ui/App', '../cli/main'];
const UI_LIBRARIES = ['react', 'react/jsx-runtime', 'react-dom', 'react-dom/client', '@xyflow/react'];

describe('layering', () => {
  expectLayers('src/physics', 'kernel.ts', {
    forbidden: [...APP, ...UI_LIBRARIES, 'rxjs', 'rxjs/operators'],
    allowed: ['../graph/values', './rng', 'zod'],
  });
  expectLayers('src/ml', 'train.ts', {
    forbidden: [...APP, ...UI_LIBRARIES, 'rxjs'],
    allowed: ['../physics/rng', '../graph/values', '@tensorflow/tfjs-core', 'comlink'],
  });
  expectLayers('src/graph', 'document.ts', {
    forbidden: [...APP, ...UI_LIBRARIES],
    allowed: ['./values', 'zod'],
  });
  expectLayers('src/figures', 'render.ts', {
    forbidden: [...APP, ...UI_LIBRARIES, '../../src/ui/App'],
    allowed: ['../graph/values', './spec', '@observablehq/plot', 'linkedom', './user-interface'],
  });
  expectLayers('src/editor', 'model.ts', {
    forbidden: ['../ui/App', '../ui/PinnedDock', 'react', 'react-dom/client', '@xyflow/react'],
    allowed: ['../graph/document', '../figures/spec', './history', '@xyflow/system', 'zod'],
  });
  expectLayers('src/engine', 'runtime.ts', {
    forbidden: [
      '../ui/App',
      '../editor/editor',
      '../cli/main',
      '../../nodes/index',
      '../../nodes/lattice/index',
      'react',
      '@xyflow/react',
    ],
    allowed: ['../graph/document', '../workers/pool', './cache', 'rxjs'],
  });
  expectLayers('nodes/rbm-flow', 'index.ts', {
    forbidden: [
      '../rbm-layer/index',
      '../rbm-layer',
      '..',
      '../index',
      '../../nodes/rbm-layer/index',
      '../../src/engine/engine',
      '../../src/ui/App',
      '../../src/workers/pool',
      'react',
      '@xyflow/react',
    ],
    allowed: [
      '../shared/backend-param',
      '../../src/graph/node-definition',
      '../../src/physics/flow',
      '../../src/ml/data',
      '../../src/figures/spec',
      './flow-helpers',
      'zod',
    ],
  });
  // a file one folder deeper climbs one more level to leave its node folder
  expectLayers('nodes/rbm-flow/steps', 'one.ts', {
    forbidden: ['../../rbm-layer/index', '../../observables', '../../../src/ui/App'],
    allowed: ['../index', '../helpers', '../../shared/run-stepwise', '../../../src/graph/values'],
  });
  expectLayers('nodes/shared', 'helper.ts', {
    forbidden: ['../observables/index', 'react'],
    allowed: ['./backend-param', '../../src/graph/node-definition'],
  });
  // the registry imports every node folder, and still nothing of the app
  expectLayers('nodes', 'index.ts', {
    forbidden: ['../src/engine/engine', '../src/ui/App', 'react'],
    allowed: ['./rbm-layer/index', './shared/backend-param', '../src/graph/registry'],
  });

  it('names the way out in its message', async () => {
    const [message] = await layering('nodes/compare/index.ts', "export { runStepwise } from '../observables';\n");
    expect(message).toMatch(/nodes\/shared/);
  });

  it('finds no violation in the layered folders as they are', async () => {
    const results = await eslint.lintFiles([
      'src/physics',
      'src/ml',
      'src/graph',
      'src/figures',
      'src/editor',
      'src/engine',
      'nodes',
    ]);
    const found = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId && LAYERING_RULES.has(m.ruleId))
        .map((m) => `${r.filePath}:${m.line}: ${m.message}`),
    );
    expect(found).toEqual([]);
  });
});
