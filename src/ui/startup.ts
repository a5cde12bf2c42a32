/** Which graph the app opens with, and autosave: each tab saves under its own key, so tabs never overwrite each other. */
import type { GraphDocument } from '../graph/document';
import { formatIssue } from '../graph/errors';
import { parseGraph } from '../graph/parse';
import type { NodeRegistry } from '../graph/registry';
import { serializeGraph } from '../graph/serialize';
import { examples } from './examples';

const AUTOSAVE_PREFIX = 'blockspin.autosave.';
const LATEST_KEY = 'blockspin.autosave.latest';

function tabId(): string {
  let id = sessionStorage.getItem('blockspin.tab');
  if (!id) {
    id = Math.random().toString(36).slice(2, 10);
    sessionStorage.setItem('blockspin.tab', id);
  }
  return id;
}

export function autosave(graph: GraphDocument): void {
  try {
    const key = AUTOSAVE_PREFIX + tabId();
    localStorage.setItem(key, serializeGraph(graph));
    localStorage.setItem(LATEST_KEY, key);
  } catch {
    // storage full or disabled: the graph stays in memory, Save still works
  }
}

export type Loaded = { ok: true; graph: GraphDocument; warnings: string[] } | { ok: false; problems: string[] };

export function loadText(text: string, registry: NodeRegistry): Loaded {
  const parsed = parseGraph(text, registry);
  return parsed.ok
    ? { ok: true, graph: parsed.graph, warnings: parsed.warnings.map(formatIssue) }
    : { ok: false, problems: parsed.issues.map(formatIssue) };
}

/** The example a new user sees first: the paper's experiment, its receptive fields forming live. */
export const FIRST_EXAMPLE = 'mehta-schwab-2014';

/** `?example=NAME`, else this tab's autosave, else the newest autosave of any tab, else the first example. */
export function initialGraph(registry: NodeRegistry, search: string): { graph: GraphDocument; source: string } {
  const wanted = new URLSearchParams(search).get('example');
  const example = examples.find((e) => e.name === wanted);
  const candidates: [string, string | null | undefined][] = [
    [`example ${wanted}`, example?.text],
    ['autosave', wanted ? null : localStorage.getItem(AUTOSAVE_PREFIX + tabId())],
    ['autosave of another tab', wanted ? null : localStorage.getItem(localStorage.getItem(LATEST_KEY) ?? '')],
    [`example ${FIRST_EXAMPLE}`, (examples.find((e) => e.name === FIRST_EXAMPLE) ?? examples[0])?.text],
  ];
  for (const [source, text] of candidates) {
    if (!text) continue;
    const loaded = loadText(text, registry);
    if (loaded.ok) return { graph: loaded.graph, source };
  }
  return {
    graph: { format: 'blockspin.graph', version: 1, meta: { title: 'Untitled' }, nodes: [], edges: [] },
    source: 'empty',
  };
}
