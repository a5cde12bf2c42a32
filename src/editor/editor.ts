/**
 * The editor model: the document, its history, the selection, pinned figures, collapsed nodes, pause and
 * autosave, with no framework. Every user action is a method here and one action is one undo step; a view
 * (React, or a test) renders `getSnapshot()` and calls the methods.
 */
import { budgetProblem, describeCost, estimateGraph, isHeavyForeign } from '../graph/budget';
import { dataFileRecord, type DataFileRecord } from '../graph/data-file';
import { emptyGraph, type GraphDocument, type Position } from '../graph/document';
import { formatIssue } from '../graph/errors';
import { itemsInFrame } from '../graph/frames';
import { parseGraph } from '../graph/parse';
import type { NodeRegistry } from '../graph/registry';
import { serializeGraph } from '../graph/serialize';
import { edgeProblems } from '../graph/validate';
import { AutosaveStore, claimTabId, type AutosaveRecord, type StoredAutosave } from './autosave';
import { copySelection, readClipboard } from './clipboard';
import * as edits from './edits';
import { History } from './history';
import { importData, describeRecord, pairDataFiles, type ImportedData, type NamedBlob } from './data-files';
import type { DataFileStore } from './file-store';
import { decodeShareFragment, encodeShareFragment } from './share';
import type { KeyValueStore } from './storage';

export interface Example {
  name: string;
  text: string;
}

/** What runs the document (the engine): it is told of every new document and of pause. */
export interface GraphRunner {
  setGraph(graph: GraphDocument): void;
  setPaused(paused: boolean): void;
  /** A file is in the file store now: nodes that failed for want of it run again (GraphEngine.fileAdded). */
  fileAdded?(sha256: string): void;
}

export interface NoticeAction {
  label: string;
  run(): void;
}

export interface Notice {
  text: string;
  /** 'warning' notices stay until dismissed; 'info' ones go by themselves. */
  tone: 'info' | 'warning';
  actions: NoticeAction[];
  /** Text to show in a field the user can copy from (a share link the clipboard refused). */
  copyText?: string;
  /** Goes with the next change of the document (its action, such as Undo, is about this one). */
  untilEdit?: boolean;
}

export interface Problems {
  title: string;
  lines: string[];
}

export type AutosaveState = 'on' | 'unavailable' | 'failing';

/** Everything a view shows, as one immutable snapshot: a new object whenever anything in it changes. */
export interface EditorSnapshot {
  readonly document: GraphDocument;
  /** Selected nodes, frames and notes, by id. */
  readonly selection: readonly string[];
  readonly selectedEdges: readonly string[];
  readonly pins: readonly string[];
  readonly collapsed: readonly string[];
  readonly paused: boolean;
  readonly snapToGrid: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly notice: Notice | null;
  readonly problems: Problems | null;
  /** Why the graph does not run: it needs more memory than the budget (then nothing runs); null when it fits. */
  readonly overBudget: string | null;
  readonly autosave: AutosaveState;
  /** Goes up when a different document is opened (not on edits): the view fits it once. */
  readonly opened: number;
}

export interface EditorOptions {
  registry: NodeRegistry;
  examples: readonly Example[];
  /** localStorage, or null when the page may not use it. */
  storage: KeyValueStore | null;
  /** sessionStorage, or null. */
  session: KeyValueStore | null;
  /** This page's tab id and the one it had before; claimed from `session` when not given. */
  tab?: { id: string; previous: string | null };
  /** The page's query string: `?example=NAME` opens an example over the restored work, as an undoable step. */
  search?: string;
  runner?: GraphRunner;
  /** Bytes a graph may allocate (src/graph/budget.ts); the runner is given the same budget. No limit by default. */
  memoryBudget?: number;
  /** Where dropped data files are kept (src/editor/file-store.ts); the runner reads them from the same store. */
  files?: DataFileStore;
  now?: () => number;
}

/** Where a graph came from: one from elsewhere that is heavy opens paused. */
export type Origin = 'own' | 'foreign';

export const FIRST_EXAMPLE = 'mehta-schwab-2014';
/** The node a dropped data file becomes. */
const IMPORT_TYPE = 'data.import';
export const GRID = 20;

type Listener = () => void;
type Loaded = { ok: true; graph: GraphDocument; warnings: string[] } | { ok: false; problems: string[] };

export function loadText(text: string, registry: NodeRegistry): Loaded {
  const parsed = parseGraph(text, registry);
  return parsed.ok
    ? { ok: true, graph: parsed.graph, warnings: parsed.warnings.map(formatIssue) }
    : { ok: false, problems: parsed.issues.map(formatIssue) };
}

export function fileName(graph: GraphDocument): string {
  const stem = (graph.meta.title ?? 'graph')
    .replace(/[^A-Za-z0-9 _-]+/g, '')
    .trim()
    .replace(/\s+/g, '-');
  return `${stem || 'graph'}.blockspin.json`;
}

/** Whether a node's recorded file (Import data's `file` param) is the same content as `record`, temperatures too. */
function sameFiles(file: unknown, record: DataFileRecord): boolean {
  const hashes = (r: DataFileRecord) => [r.sha256, r.kind === 'spins' ? r.temperatures?.sha256 : undefined].join(',');
  const parsed = dataFileRecord.safeParse(file);
  return parsed.success && hashes(parsed.data) === hashes(record);
}

/** Same members, same order. */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export class Editor {
  readonly registry: NodeRegistry;
  readonly examples: readonly Example[];
  readonly tabId: string;
  private readonly history: History<GraphDocument>;
  private readonly autosaves: AutosaveStore | null;
  private readonly runner?: GraphRunner;
  private readonly memoryBudget: number;
  private readonly files?: DataFileStore;
  private readonly now: () => number;
  private readonly listeners = new Set<Listener>();
  private snapshot: EditorSnapshot;
  /** Autosaves that could not be opened: kept (never cleaned up) until the user has seen them. */
  private readonly kept = new Set<string>();

  constructor(options: EditorOptions) {
    this.registry = options.registry;
    this.examples = options.examples;
    this.runner = options.runner;
    this.memoryBudget = options.memoryBudget ?? Infinity;
    this.files = options.files;
    this.now = options.now ?? Date.now;
    this.autosaves = options.storage ? new AutosaveStore(options.storage) : null;
    const tab = options.tab ?? claimTabId(options.session);
    const start = this.initialState(tab);
    // A damaged autosave of this tab keeps its key: this page writes under a new one.
    this.tabId = start.damagedOwn ? `${tab.id}-${this.now().toString(36)}` : tab.id;
    this.history = new History(start.graph);
    // `?example=NAME` opens the example over the restored work, as a step that Undo takes back.
    const requested = this.requestedExample(options.search ?? '');
    let notice = start.notice;
    if (requested && serializeGraph(requested) !== serializeGraph(start.graph)) {
      this.history.push(requested);
      notice ??= start.graph.nodes.length
        ? {
            text: 'Opened the example. Undo brings back the graph you had.',
            tone: 'info',
            actions: [{ label: 'Undo', run: () => this.undo() }],
            untilEdit: true,
          }
        : null;
    }
    const document = this.history.value;
    // A graph paused when the tab went (one from elsewhere not yet started, say) stays paused.
    const paused = Boolean(start.paused) && document === start.graph;
    if (paused) {
      notice ??= {
        text: 'The graph is paused, as it was when this tab last showed it. Run starts it.',
        tone: 'info',
        actions: [{ label: 'Run', run: () => (this.setPaused(false), this.dismissNotice()) }],
      };
      this.runner?.setPaused(true);
    }
    this.snapshot = {
      document,
      selection: [],
      selectedEdges: [],
      pins: start.pins.filter((id) => document.nodes.some((n) => n.id === id)),
      collapsed: start.collapsed.filter((id) => document.nodes.some((n) => n.id === id)),
      paused,
      snapToGrid: false,
      canUndo: this.history.canUndo,
      canRedo: false,
      notice,
      problems: null,
      overBudget: this.budgetProblemOf(document),
      autosave: this.autosaves ? 'on' : 'unavailable',
      opened: 1,
    };
    if (!this.autosaves) {
      this.snapshot = {
        ...this.snapshot,
        notice: {
          text: 'This page cannot use the browser storage, so it cannot autosave: use Save to keep your work.',
          tone: 'warning',
          actions: [],
        },
      };
    }
    this.runGraph(document);
    this.writeAutosave();
  }

  // ---- store ---------------------------------------------------------------------------------

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): EditorSnapshot => this.snapshot;

  get document(): GraphDocument {
    return this.snapshot.document;
  }

  private set(change: Partial<EditorSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of [...this.listeners]) listener();
  }

  // ---- the one way to change the document ------------------------------------------------------

  /**
   * Applies one user action to the document as one undo step. Pushes with the same `merge` key join
   * the step before them (a slider drag); `opened` marks a document that replaces the whole graph.
   */
  private commit(
    next: GraphDocument,
    options: { merge?: string; selection?: string[]; opened?: boolean; notice?: Notice | null } = {},
  ): boolean {
    if (next === this.document) return false;
    this.history.push(next, options.merge);
    this.afterDocumentChange(next, options);
    return true;
  }

  private afterDocumentChange(
    next: GraphDocument,
    options: { selection?: string[]; opened?: boolean; notice?: Notice | null } = {},
  ): void {
    const alive = (id: string) =>
      next.nodes.some((n) => n.id === id) ||
      (next.frames ?? []).some((f) => f.id === id) ||
      (next.notes ?? []).some((n) => n.id === id);
    const keep = (ids: readonly string[]) => {
      const kept = ids.filter(alive);
      return sameList(kept, ids) ? ids : kept;
    };
    const selectedEdges = this.snapshot.selectedEdges.filter((id) => next.edges.some((e) => e.id === id));
    this.set({
      document: next,
      selection: options.selection ?? (options.opened ? [] : keep(this.snapshot.selection)),
      selectedEdges: options.opened
        ? []
        : sameList(selectedEdges, this.snapshot.selectedEdges)
          ? this.snapshot.selectedEdges
          : selectedEdges,
      pins: keep(this.snapshot.pins),
      collapsed: keep(this.snapshot.collapsed),
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      opened: options.opened ? this.snapshot.opened + 1 : this.snapshot.opened,
      overBudget: this.budgetProblemOf(next),
      ...(options.opened ? { problems: null } : {}),
      ...(options.notice !== undefined
        ? { notice: options.notice }
        : this.snapshot.notice?.untilEdit
          ? { notice: null }
          : {}),
    });
    this.runGraph(next);
    this.writeAutosave();
  }

  private budgetProblemOf(graph: GraphDocument): string | null {
    if (this.memoryBudget === Infinity) return null;
    return budgetProblem(estimateGraph(graph, this.registry), this.memoryBudget);
  }

  private runGraph(graph: GraphDocument): void {
    if (!this.runner) return;
    try {
      this.runner.setGraph(graph);
    } catch (error) {
      this.set({ problems: { title: 'The graph could not run', lines: [(error as Error).message] } });
    }
  }

  // ---- history -------------------------------------------------------------------------------

  undo(): void {
    if (!this.history.canUndo) return;
    this.afterDocumentChange(this.history.undo());
  }

  redo(): void {
    if (!this.history.canRedo) return;
    this.afterDocumentChange(this.history.redo());
  }

  /** Ends a gesture (a slider released): the next edit is a step of its own. */
  endGesture(): void {
    this.history.seal();
  }

  // ---- selection and view state ----------------------------------------------------------------

  select(ids: readonly string[], edgeIds: readonly string[] = []): void {
    if (sameList(ids, this.snapshot.selection) && sameList(edgeIds, this.snapshot.selectedEdges)) return;
    this.set({ selection: [...ids], selectedEdges: [...edgeIds] });
  }

  selectAll(): void {
    const doc = this.document;
    this.select([
      ...doc.nodes.map((n) => n.id),
      ...(doc.frames ?? []).map((f) => f.id),
      ...(doc.notes ?? []).map((n) => n.id),
    ]);
  }

  get selectedNodes() {
    const chosen = new Set(this.snapshot.selection);
    return this.document.nodes.filter((n) => chosen.has(n.id));
  }

  togglePin(id: string): void {
    const pins = this.snapshot.pins;
    this.set({ pins: pins.includes(id) ? pins.filter((p) => p !== id) : [...pins, id] });
    this.writeAutosave();
  }

  unpinAll(): void {
    if (!this.snapshot.pins.length) return;
    this.set({ pins: [] });
    this.writeAutosave();
  }

  toggleCollapsed(id: string): void {
    const collapsed = this.snapshot.collapsed;
    this.set({ collapsed: collapsed.includes(id) ? collapsed.filter((c) => c !== id) : [...collapsed, id] });
    this.writeAutosave();
  }

  setPaused(paused: boolean): void {
    if (paused === this.snapshot.paused) return;
    this.runner?.setPaused(paused);
    this.set({ paused });
    this.writeAutosave();
  }

  toggleSnapToGrid(): void {
    this.set({ snapToGrid: !this.snapshot.snapToGrid });
  }

  notify(text: string, tone: Notice['tone'] = 'info', actions: NoticeAction[] = [], copyText?: string): void {
    this.set({ notice: { text, tone, actions, ...(copyText !== undefined ? { copyText } : {}) } });
  }

  dismissNotice(): void {
    if (this.snapshot.notice) this.set({ notice: null });
  }

  showProblems(title: string, lines: string[]): void {
    this.set({ problems: { title, lines } });
  }

  dismissProblems(): void {
    if (this.snapshot.problems) this.set({ problems: null });
  }

  // ---- edits ---------------------------------------------------------------------------------

  /** Adds a node near `wanted` (stepping aside from nodes already there), wired to `wire` when given. */
  addNode(
    type: string,
    wanted: Position,
    wire?: { side: 'output' | 'input'; nodeId: string; port: string; matchingPort?: string | null },
  ): string {
    const doc = this.document;
    const added = edits.addNode(doc, this.registry, type, this.freePosition(doc, wanted));
    let next = added.graph;
    if (wire?.matchingPort) {
      const edge =
        wire.side === 'output'
          ? { source: wire.nodeId, sourcePort: wire.port, target: added.id, targetPort: wire.matchingPort }
          : { source: added.id, sourcePort: wire.matchingPort, target: wire.nodeId, targetPort: wire.port };
      if (edgeProblems(next, edge, this.registry).length === 0) next = edits.addEdge(next, edge);
    }
    this.commit(next, { selection: [added.id] });
    return added.id;
  }

  /** `wanted`, snapped, or below it where a node already is. */
  private freePosition(doc: GraphDocument, wanted: Position): Position {
    const position = this.snapped({ ...wanted });
    while (
      doc.nodes.some((n) => Math.abs(n.position.x - position.x) < 200 && Math.abs(n.position.y - position.y) < 120)
    ) {
      position.y += 140;
    }
    return position;
  }

  /**
   * Imports dropped or chosen data files (.npy, with `<name>.T.npy` as the temperatures of the spins beside
   * it, or an RBM's .npz): each is kept in the file store by its content and becomes an Import data node
   * near `at`, all in one undo step; or, with `into`, replaces the file of that Import data node (wires from
   * an output the new file does not have go). Problems are shown, naming each file; the rest is imported.
   * Returns the ids of the nodes added or changed.
   */
  async importDataFiles(files: readonly NamedBlob[], at: Position, into?: string): Promise<string[]> {
    const { pairs, problems } = pairDataFiles(files);
    if (into && pairs.length > 1) {
      problems.push(`a node holds one file: ${pairs[0].file.name} goes into it, drop the others on the canvas`);
      pairs.length = 1;
    }
    const imported: ImportedData[] = [];
    if (pairs.length && !this.files) problems.push('this page has no storage to keep data files in');
    for (const pair of this.files ? pairs : []) {
      try {
        const data = await importData(pair);
        for (const { sha256, name, blob } of data.blobs) await this.files!.put(sha256, name, blob);
        imported.push(data);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    // The document as it is now: the user may have edited it while the files were read.
    let next = this.document;
    // A file an Import data node records already (its copy was missing in this browser, say) is only kept:
    // that node runs with it, and no node is added.
    const supplied: { id: string; data: ImportedData }[] = [];
    const fresh = imported.filter((data) => {
      const holder = next.nodes.find(
        (n) => n.type === IMPORT_TYPE && (into === undefined || n.id === into) && sameFiles(n.params.file, data.record),
      );
      if (holder) supplied.push({ id: holder.id, data });
      return !holder;
    });
    const ids: string[] = [];
    const target = into === undefined ? undefined : next.nodes.find((n) => n.id === into && n.type === IMPORT_TYPE);
    if (into !== undefined && !target && fresh.length) problems.push(`there is no Import data node '${into}'`);
    else if (target && fresh.length) {
      next = edits.withoutStaleEdges(
        edits.setParams(next, target.id, { ...target.params, file: fresh[0].record }),
        this.registry,
        target.id,
      );
      ids.push(target.id);
    } else {
      let position = at;
      for (const { record } of fresh) {
        const added = edits.addNode(next, this.registry, IMPORT_TYPE, this.freePosition(next, position));
        const params = this.registry.get(IMPORT_TYPE)!.params.parse({ file: record }) as Record<string, unknown>;
        next = edits.setParams(added.graph, added.id, params);
        ids.push(added.id);
        position = { x: position.x, y: position.y + 140 };
      }
    }
    const over = ids.length ? this.budgetProblemOf(next) : null;
    if (over && estimateGraph(next, this.registry).bytes > estimateGraph(this.document, this.registry).bytes) {
      problems.push(over);
      ids.length = 0;
    }
    const named = (list: readonly ImportedData[]) =>
      list.map(({ record }) => `${record.name} (${describeRecord(record)})`).join(', ');
    const suppliedText = supplied.length
      ? `${supplied.map(({ id, data }) => `${data.record.name} is already the file of '${id}'`).join('; ')}: ` +
        'kept in this browser, and the node runs with it'
      : '';
    if (ids.length) {
      const text = [`Imported ${named(fresh)}`, suppliedText].filter(Boolean).join('. ');
      this.commit(next, { selection: ids, notice: { text, tone: 'info', actions: [] } });
    } else if (supplied.length) {
      this.notify(suppliedText);
    }
    for (const { blobs } of imported) for (const { sha256 } of blobs) this.runner?.fileAdded?.(sha256);
    if (problems.length) {
      const what = files.length === 1 ? files[0].name : `${problems.length} of the files`;
      this.showProblems(`${what} could not be imported`, problems);
    }
    return [...ids, ...supplied.map(({ id }) => id)];
  }

  /** Why a wire between these ports cannot be made ([] when it can). */
  wireProblems(edge: { source: string; sourcePort: string; target: string; targetPort: string }): string[] {
    return edgeProblems(this.document, edge, this.registry);
  }

  /** Wires two ports; refuses (with the reason in a notice) a wire the graph cannot take. */
  connect(edge: { source: string; sourcePort: string; target: string; targetPort: string }): boolean {
    const why = this.wireProblems(edge);
    if (why.length) {
      this.notify(`Cannot connect: ${why.join('; ')}`);
      return false;
    }
    return this.commit(edits.addEdge(this.document, edge));
  }

  /** Deletes the selected nodes with every edge at them, the selected frames, notes and edges: one step. */
  deleteSelection(): void {
    const { selection, selectedEdges } = this.snapshot;
    if (!selection.length && !selectedEdges.length) return;
    this.commit(edits.removeItems(this.document, new Set(selection), new Set(selectedEdges)), { selection: [] });
  }

  /**
   * Where items end up when `moving` are dragged to the given positions: a frame takes the nodes and notes
   * inside it along (those not dragged themselves).
   */
  dragPositions(moving: ReadonlyMap<string, Position>): Map<string, Position> {
    const doc = this.document;
    const out = new Map(moving);
    for (const frame of doc.frames ?? []) {
      const to = moving.get(frame.id);
      if (!to) continue;
      const dx = to.x - frame.position.x;
      const dy = to.y - frame.position.y;
      for (const id of itemsInFrame(doc, frame.id)) {
        if (moving.has(id)) continue;
        const item = doc.nodes.find((n) => n.id === id) ?? (doc.notes ?? []).find((n) => n.id === id);
        if (item) out.set(id, { x: item.position.x + dx, y: item.position.y + dy });
      }
    }
    return out;
  }

  /** Ends a drag: the items (and what their frames hold) move, as one step. */
  moveItems(moving: ReadonlyMap<string, Position>): void {
    const positions = new Map([...this.dragPositions(moving)].map(([id, p]) => [id, this.snapped(p)]));
    this.commit(edits.moveNodes(this.document, positions));
  }

  private snapped(p: Position): Position {
    return this.snapshot.snapToGrid ? { x: Math.round(p.x / GRID) * GRID, y: Math.round(p.y / GRID) * GRID } : p;
  }

  /**
   * Sets a node's params after checking them against its schema; returns the problems (and changes
   * nothing) when they do not fit. Edits with the same `gesture` join one undo step.
   */
  setParams(id: string, params: Record<string, unknown>, gesture?: string): string[] {
    const node = this.document.nodes.find((n) => n.id === id);
    if (!node) return [`no node '${id}'`];
    if (node.placeholder) return ['a placeholder node has no editable params'];
    const parsed = this.registry.get(node.type)!.params.safeParse(params);
    if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`);
    // Wires from outputs the new params do not give (Import data with a file of another kind) go with it.
    const next = edits.withoutStaleEdges(
      edits.setParams(this.document, id, parsed.data as Record<string, unknown>),
      this.registry,
      id,
    );
    // An edit that takes the graph over its memory budget is refused; one that brings it closer is not.
    if (this.memoryBudget < Infinity) {
      const after = estimateGraph(next, this.registry);
      const problem = budgetProblem(after, this.memoryBudget);
      if (problem && after.bytes > estimateGraph(this.document, this.registry).bytes) return [problem];
    }
    this.commit(next, { merge: gesture && `params:${id}:${gesture}` });
    return [];
  }

  setLabel(id: string, label: string): void {
    this.commit(edits.setLabel(this.document, id, label));
  }

  setTitle(title: string): void {
    this.commit(edits.setTitle(this.document, title));
  }

  duplicateSelection(): void {
    const chosen = new Set(this.snapshot.selection);
    const nodes = this.document.nodes.filter((n) => chosen.has(n.id));
    if (!nodes.length) return;
    const edges = this.document.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target));
    const result = edits.duplicate(this.document, nodes, edges);
    this.commit(result.graph, { selection: result.ids });
  }

  /** The selection as clipboard text, or null when nothing is selected. */
  copySelection(): string | null {
    const nodes = this.selectedNodes;
    if (!nodes.length) return null;
    this.notify(`Copied ${nodes.length} node${nodes.length > 1 ? 's' : ''}`);
    this.lastCopied = copySelection(this.document, new Set(nodes.map((n) => n.id)));
    return this.lastCopied;
  }

  /** What this editor last copied: pasting it back is not a graph from elsewhere. */
  private lastCopied: string | null = null;

  /** Pastes clipboard text; false when it is not Blockspin's (so the page may handle it). */
  paste(text: string): boolean {
    const pasted = readClipboard(text, this.registry);
    if (!pasted) return false;
    if ('error' in pasted) {
      this.showProblems('The pasted nodes could not be added', [pasted.error]);
      return true;
    }
    const result = edits.duplicate(this.document, pasted.nodes, pasted.edges);
    const cost = text === this.lastCopied ? null : estimateGraph({ ...emptyGraph(), ...pasted }, this.registry);
    if (cost && isHeavyForeign(cost) && !this.snapshot.paused) {
      this.setPaused(true);
      const count = `${pasted.nodes.length} node${pasted.nodes.length > 1 ? 's' : ''}`;
      this.commit(result.graph, {
        selection: result.ids,
        notice: {
          text: `Pasted ${count} from elsewhere (the graph now ${describeCost(estimateGraph(result.graph, this.registry))}). It is paused: Run starts it.`,
          tone: 'warning',
          actions: [{ label: 'Run', run: () => (this.setPaused(false), this.dismissNotice()) }],
        },
      });
      return true;
    }
    this.commit(result.graph, { selection: result.ids });
    return true;
  }

  addFrame(at?: Position): string {
    const doc = this.document;
    const chosen = this.selectedNodes;
    let box = { position: at ?? { x: 0, y: 0 }, size: { width: 480, height: 320 } };
    if (chosen.length) {
      const xs = chosen.map((n) => n.position.x);
      const ys = chosen.map((n) => n.position.y);
      const pad = 40;
      box = {
        position: { x: Math.min(...xs) - pad, y: Math.min(...ys) - pad - 20 },
        size: {
          width: Math.max(...xs) - Math.min(...xs) + 240 + 2 * pad,
          height: Math.max(...ys) - Math.min(...ys) + 160 + 2 * pad,
        },
      };
    }
    const added = edits.addFrame(doc, box);
    this.commit(added.graph, { selection: [added.id] });
    return added.id;
  }

  updateFrame(id: string, change: Parameters<typeof edits.updateFrame>[2]): void {
    this.commit(edits.updateFrame(this.document, id, change));
  }

  addNote(at: Position, text?: string): string {
    const added = edits.addNote(this.document, this.snapped(at), text?.slice(0, 2000));
    this.commit(added.graph, { selection: [added.id] });
    return added.id;
  }

  setNoteText(id: string, text: string): void {
    this.commit(edits.setNoteText(this.document, id, text.slice(0, 2000)));
  }

  /** Lines up (or spaces evenly) the selected items, given their sizes on the canvas. */
  arrange(
    how: edits.Alignment | 'distribute-x' | 'distribute-y',
    sizeOf: (id: string) => { width: number; height: number } | undefined,
  ): void {
    const doc = this.document;
    const chosen = new Set(this.snapshot.selection);
    const items = [...doc.nodes, ...(doc.notes ?? [])].filter((n) => chosen.has(n.id));
    const boxes = items.map((n) => ({ id: n.id, ...n.position, width: 0, height: 0, ...sizeOf(n.id) }));
    const positions =
      how === 'distribute-x' || how === 'distribute-y'
        ? edits.distributePositions(boxes, how === 'distribute-x' ? 'x' : 'y')
        : edits.alignPositions(boxes, how);
    this.commit(edits.moveNodes(doc, positions));
  }

  // ---- opening documents -----------------------------------------------------------------------

  /** Replaces the graph as one undoable step; the notice says how to get the previous one back. */
  private openDocument(graph: GraphDocument, what: string, warnings: string[] = [], origin: Origin = 'own'): void {
    const hadWork = this.document.nodes.length > 0;
    const undoAction: NoticeAction = { label: 'Undo', run: () => this.undo() };
    const text = warnings.length ? `${what}: ${warnings.join('; ')}` : what;
    const cost = origin === 'foreign' ? estimateGraph(graph, this.registry) : null;
    if (cost && isHeavyForeign(cost)) {
      // Before the document changes, so that nothing of it starts.
      this.setPaused(true);
      const runAction: NoticeAction = {
        label: 'Run',
        run: () => {
          this.setPaused(false);
          this.dismissNotice();
        },
      };
      this.commit(graph, {
        opened: true,
        notice: {
          text:
            `${text}. It is paused: it ${describeCost(cost)}` +
            (budgetProblem(cost, this.memoryBudget)
              ? ', more than the budget: edit it to need less, then Run.'
              : '. Run starts it.') +
            (hadWork ? ' Undo brings back the graph you had.' : ''),
          tone: 'warning',
          actions: hadWork ? [runAction, undoAction] : [runAction],
        },
      });
      return;
    }
    this.commit(graph, {
      opened: true,
      notice: {
        text: hadWork ? `${text}. Undo brings back the graph you had.` : text,
        tone: warnings.length ? 'warning' : 'info',
        actions: hadWork ? [undoAction] : [],
        untilEdit: hadWork,
      },
    });
  }

  newGraph(): void {
    this.openDocument(emptyGraph(), 'New graph');
  }

  /**
   * Opens a graph file's text; a bad file changes nothing and says why. A file from elsewhere (a dropped
   * or opened file, a PNG, a share link: 'foreign') that trains a model or needs much memory opens paused.
   */
  openText(text: string | null, name: string, origin: Origin = 'foreign'): boolean {
    if (text === null) {
      this.showProblems(`${name} could not be opened`, ['this PNG carries no Blockspin graph']);
      return false;
    }
    const loaded = loadText(text, this.registry);
    if (!loaded.ok) {
      this.showProblems(`${name} could not be opened; the current graph is unchanged`, loaded.problems);
      return false;
    }
    this.openDocument(loaded.graph, `Opened ${name}`, loaded.warnings, origin);
    return true;
  }

  openExample(name: string): boolean {
    const example = this.examples.find((e) => e.name === name);
    if (!example) {
      this.showProblems(`No example '${name}'`, [`the examples are ${this.examples.map((e) => e.name).join(', ')}`]);
      return false;
    }
    return this.openText(example.text, `example ${name}`, 'own');
  }

  /**
   * Opens the graph a share link's fragment carries, as one undoable step. Returns whether the fragment
   * held one; the caller removes the fragment from the URL either way, so it is consumed once.
   */
  async openShareFragment(hash: string): Promise<boolean> {
    let text: string | null;
    try {
      text = await decodeShareFragment(hash);
    } catch (error) {
      this.showProblems('The share link could not be read', [(error as Error).message]);
      return true;
    }
    if (text === null) return false;
    this.openText(text, 'the shared graph');
    return true;
  }

  async shareFragment(): Promise<string> {
    return encodeShareFragment(serializeGraph(this.document));
  }

  serialize(): string {
    return serializeGraph(this.document);
  }

  // ---- autosave ------------------------------------------------------------------------------

  private record(): AutosaveRecord {
    return {
      format: 'blockspin.autosave',
      version: 1,
      savedAt: this.now(),
      tab: this.tabId,
      graph: serializeGraph(this.document),
      pins: [...this.snapshot.pins],
      collapsed: [...this.snapshot.collapsed],
      ...(this.snapshot.paused ? { paused: true } : {}),
    };
  }

  private writeAutosave(): void {
    if (!this.autosaves) return;
    const result = this.autosaves.write(this.record(), this.kept);
    if (result.ok) {
      if (this.snapshot.autosave === 'failing')
        this.set({ autosave: 'on', notice: { text: 'Autosave works again', tone: 'info', actions: [] } });
      return;
    }
    if (this.snapshot.autosave === 'failing') return; // said once; the download stays offered in the notice
    this.set({
      autosave: 'failing',
      notice: {
        text: `Autosave failed (${result.error}): your latest changes are not saved in this browser. Download the graph to keep it.`,
        tone: 'warning',
        actions: [{ label: 'Download', run: () => this.downloadHook?.(fileName(this.document), this.serialize()) }],
      },
    });
  }

  /** How the page downloads a file (set by the view); used by notices that offer a download. */
  downloadHook?: (name: string, text: string) => void;

  private requestedExample(search: string): GraphDocument | null {
    const wanted = new URLSearchParams(search).get('example');
    const example = wanted ? this.examples.find((e) => e.name === wanted) : undefined;
    const loaded = example && loadText(example.text, this.registry);
    return loaded && loaded.ok ? loaded.graph : null;
  }

  private initialState(tab: { id: string; previous: string | null }): {
    graph: GraphDocument;
    pins: string[];
    collapsed: string[];
    notice: Notice | null;
    damagedOwn: boolean;
    paused?: boolean;
  } {
    const fallback = (): GraphDocument => {
      const example = this.examples.find((e) => e.name === FIRST_EXAMPLE) ?? this.examples[0];
      const loaded = example && loadText(example.text, this.registry);
      return loaded && loaded.ok ? loaded.graph : emptyGraph();
    };
    const candidates: { stored: StoredAutosave; own: boolean }[] = [];
    const own = tab.previous ? this.autosaves?.read(tab.previous) : null;
    if (own) candidates.push({ stored: own, own: true });
    else if (this.autosaves) {
      const newest = this.autosaves.list()[0];
      if (newest) candidates.push({ stored: newest, own: false });
    }
    for (const { stored, own } of candidates) {
      const loaded = stored.record ? loadText(stored.record.graph, this.registry) : null;
      if (loaded?.ok) {
        const record = stored.record!;
        return {
          graph: loaded.graph,
          pins: record.pins,
          collapsed: record.collapsed,
          notice: null,
          damagedOwn: false,
          paused: record.paused === true,
        };
      }
      // Damaged or from a newer Blockspin: never overwritten, and offered for download.
      this.kept.add(stored.key);
      const why = loaded && !loaded.ok ? loaded.problems.slice(0, 3).join('; ') : 'its record is damaged';
      const raw = stored.record?.graph ?? stored.raw;
      return {
        graph: fallback(),
        pins: [],
        collapsed: [],
        damagedOwn: own && tab.previous === tab.id,
        notice: {
          text: `The autosaved graph could not be opened (${why}). It is kept as it was; download it to keep a copy.`,
          tone: 'warning',
          actions: [{ label: 'Download it', run: () => this.downloadHook?.('autosave.blockspin.json', raw) }],
        },
      };
    }
    return { graph: fallback(), pins: [], collapsed: [], notice: null, damagedOwn: false };
  }
}
