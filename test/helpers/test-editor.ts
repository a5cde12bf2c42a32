/**
 * A headless editor harness, in the spirit of tldraw's TestEditor: the real editor model with in-memory
 * storage, a recording runner and fake view actions, so editor behaviour is tested with no browser.
 * Tabs are simulated as a browser runs them: a reload releases the tab id on `pagehide`, a duplicated tab
 * copies sessionStorage, a new tab starts with an empty one, and all share one localStorage.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { appRegistry } from '../../nodes/index';
import { claimTabId, releaseTabId } from '../../src/editor/autosave';
import { commandById, runCommand, type ViewActions } from '../../src/editor/commands';
import { Editor, type Example, type GraphRunner } from '../../src/editor/editor';
import type { DataFileStore } from '../../src/editor/file-store';
import { MemoryStore } from '../../src/editor/storage';
import type { GraphDocument, Position } from '../../src/graph/document';

const GRAPHS = join(import.meta.dirname, '../../graphs');

export const registry = appRegistry();

export const examples: Example[] = readdirSync(GRAPHS)
  .filter((f) => f.endsWith('.blockspin.json'))
  .sort()
  .map((f) => ({ name: f.replace('.blockspin.json', ''), text: readFileSync(join(GRAPHS, f), 'utf8') }));

export class RecordingRunner implements GraphRunner {
  graphs: GraphDocument[] = [];
  paused: boolean[] = [];
  filesAdded: string[] = [];
  fileAdded(sha256: string): void {
    this.filesAdded.push(sha256);
  }
  setGraph(graph: GraphDocument): void {
    this.graphs.push(graph);
  }
  setPaused(paused: boolean): void {
    this.paused.push(paused);
  }
}

export interface TestEditorOptions {
  storage?: MemoryStore | null;
  session?: MemoryStore | null;
  search?: string;
  memoryBudget?: number;
  /** Where dropped data files are kept; none by default. */
  files?: DataFileStore;
  now?: () => number;
}

let clock = 1_700_000_000_000;

export class TestEditor {
  readonly editor: Editor;
  readonly runner = new RecordingRunner();
  readonly storage: MemoryStore | null;
  readonly session: MemoryStore | null;
  readonly downloads: { name: string; text: string }[] = [];
  readonly clipboard: { text: string } = { text: '' };
  overlays = 0;
  /** The view actions commands asked for, in order. */
  readonly viewCalls: string[] = [];
  sizes = new Map<string, { width: number; height: number }>();

  constructor(options: TestEditorOptions = {}) {
    this.storage = options.storage === undefined ? new MemoryStore() : options.storage;
    this.session = options.session === undefined ? new MemoryStore() : options.session;
    this.editor = new Editor({
      registry,
      examples,
      storage: this.storage,
      session: this.session,
      tab: claimTabId(this.session),
      search: options.search ?? '',
      runner: this.runner,
      memoryBudget: options.memoryBudget,
      files: options.files,
      // every step of the clock is a millisecond later, so autosaves have an order
      now: options.now ?? (() => ++clock),
    });
    this.editor.downloadHook = (name, text) => this.downloads.push({ name, text });
  }

  get doc(): GraphDocument {
    return this.editor.document;
  }

  get snapshot() {
    return this.editor.getSnapshot();
  }

  text(): string {
    return this.editor.serialize();
  }

  nodeIds(): string[] {
    return this.doc.nodes.map((n) => n.id);
  }

  // ---- tabs ----------------------------------------------------------------------------------

  /** The same tab reloaded: `pagehide` releases the id, then a new page starts on the same storage. */
  reload(): TestEditor {
    releaseTabId(this.session, this.editor.tabId);
    return new TestEditor({ storage: this.storage, session: this.session });
  }

  /** A duplicate of this tab (sessionStorage copied, the original still open). */
  duplicateTab(): TestEditor {
    return new TestEditor({ storage: this.storage, session: this.session?.clone() ?? null });
  }

  /** Another tab of the same browser. */
  newTab(): TestEditor {
    return new TestEditor({ storage: this.storage, session: new MemoryStore() });
  }

  // ---- actions -------------------------------------------------------------------------------

  readonly view: ViewActions = {
    fitView: () => this.viewCalls.push('fitView'),
    openFileDialog: () => this.viewCalls.push('openFileDialog'),
    quickSearch: () => {
      this.overlays++;
    },
    download: (name, text) => this.downloads.push({ name, text }),
    downloadModel: (id) => this.viewCalls.push(`downloadModel:${id}`),
    share: () => this.viewCalls.push('share'),
    copy: () => {
      this.clipboard.text = this.editor.copySelection() ?? this.clipboard.text;
    },
    paste: () => {
      this.editor.paste(this.clipboard.text);
    },
    toggleShortcuts: () => {
      this.overlays = this.overlays ? 0 : 1;
    },
    closeOverlay: () => {
      if (!this.overlays) return false;
      this.overlays--;
      return true;
    },
    sizeOf: (id) => this.sizes.get(id) ?? { width: 200, height: 100 },
    toCanvas: (p) => p,
  };

  /** Runs a command of the list as a key press or a menu would; returns whether it was enabled. */
  run(id: string, at?: Position): boolean {
    return runCommand(commandById(id), { editor: this.editor, view: this.view, at });
  }

  add(type: string, at: Position = { x: 0, y: 0 }): string {
    return this.editor.addNode(type, at);
  }

  wire(source: string, sourcePort: string, target: string, targetPort: string): boolean {
    return this.editor.connect({ source, sourcePort, target, targetPort });
  }

  select(...ids: string[]): this {
    this.editor.select(ids);
    return this;
  }

  /** Drags items to new positions, as one gesture ending in a drop. */
  drag(moves: Record<string, Position>): void {
    this.editor.moveItems(new Map(Object.entries(moves)));
  }

  selectedPositions(): Position[] {
    const chosen = new Set(this.snapshot.selection);
    return this.doc.nodes.filter((n) => chosen.has(n.id)).map((n) => n.position);
  }

  edgesAt(id: string): string[] {
    return this.doc.edges.filter((e) => e.source === id || e.target === id).map((e) => e.id);
  }
}
