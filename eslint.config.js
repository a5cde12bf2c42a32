import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * The layering of DESIGN.md ("The house"), enforced per folder. Imports are matched as written, so each
 * restriction is a regular expression on the import string: relative paths (this repository has no path
 * aliases) and package names. A later config object replaces an earlier one's options for the same rule,
 * so every folder below gets its whole list in one object. test/lint/layering.test.ts checks each rule.
 */

/** An import of one of these src/ folders, from src/<folder>/ (`../ui/x`) or from nodes/<name>/ (`../../src/ui/x`). */
const srcFolders = (names, message) => ({
  regex: `^(\\.\\./)+(src/)?(${names.join('|')})(/|$)`,
  caseSensitive: true,
  message,
});

const pkg = (names, message) => ({
  regex: `^(${names.join('|')})(/|$)`,
  caseSensitive: true,
  message,
});

const APP = srcFolders(
  ['engine', 'workers', 'editor', 'ui', 'cli'],
  'The kernels, the document and the figures sit below the app: they never import the engine, the workers, the editor, the UI or the CLI.',
);
const UI_LIBRARIES = pkg(
  ['react', 'react-dom', '@xyflow'],
  'No React or React Flow here: only src/ui renders (a thin view over framework-free code).',
);
const RXJS = pkg(['rxjs'], 'Physics and ML kernels are plain functions on typed arrays: the engine owns the streams.');

/** From a file `depth` folders inside nodes/<name>/: a relative import that climbs out into another node folder. */
function otherNodeFolder(depth) {
  const up = Array(depth).fill('\\.\\.').join('/');
  return {
    // climbs exactly out of nodes/<name>/ and stays in nodes/: not on into src/ (another ../) and not into shared/
    regex: `^${up}(/|$)(?!\\.\\.(/|$)|shared(/|$))`,
    caseSensitive: true,
    message:
      'A node folder never imports another node folder: move what both need into nodes/shared/ (only nodes/index.ts imports them all).',
  };
}
const NODES_BY_PATH = {
  regex: '^(\\.\\./)+nodes/(?!shared(/|$))',
  caseSensitive: true,
  message: 'A node folder never imports another node folder: move what both need into nodes/shared/.',
};
const NODE_APP = srcFolders(
  ['engine', 'workers', 'editor', 'ui', 'cli'],
  'A node definition imports physics, ml, figures and graph only: the engine runs it, it never runs the engine or the UI.',
);

/**
 * The restriction for static imports and exports (`no-restricted-imports`), and the same for `import('...')`,
 * which that rule does not look at (figures/document.ts loads linkedom that way).
 */
function layer(files, patterns) {
  // in a selector, an unescaped '/' ends the regex
  const dynamic = patterns.map(({ regex, message }) => ({
    selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\/')}/]`,
    message,
  }));
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns }],
      'no-restricted-syntax': ['error', ...dynamic],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'out/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },

  layer(['src/physics/**', 'src/ml/**'], [APP, UI_LIBRARIES, RXJS]),
  layer(['src/graph/**', 'src/figures/**'], [APP, UI_LIBRARIES]),
  // the editor model is framework-free; React Flow's own framework-free core (@xyflow/system) is allowed
  layer(
    ['src/editor/**'],
    [
      srcFolders(['ui'], 'The editor model knows no view: src/ui subscribes to it, never the other way round.'),
      pkg(['react', 'react-dom', '@xyflow/react'], 'The editor model is framework-free: no React or React Flow.'),
    ],
  ),
  // the engine is generic: it runs any registry, so it knows no concrete node, no view and no editor
  layer(
    ['src/engine/**'],
    [
      srcFolders(
        ['ui', 'editor', 'cli'],
        'The engine runs documents it is given: it never imports the editor, the UI or the CLI.',
      ),
      {
        regex: '^(\\.\\./)+nodes(/|$)',
        caseSensitive: true,
        message: 'The engine knows no concrete node: it runs the registry it is given.',
      },
      UI_LIBRARIES,
    ],
  ),
  // nodes/index.ts is the registry: it imports every node folder
  layer(['nodes/index.ts'], [NODE_APP, UI_LIBRARIES]),
  // a file `depth` folders inside nodes/<name>/ (nodes/<name>/index.ts is at depth 1)
  ...[1, 2, 3, 4].map((depth) =>
    layer([`nodes/${'*/'.repeat(depth)}*`], [otherNodeFolder(depth), NODES_BY_PATH, NODE_APP, UI_LIBRARIES]),
  ),
);
