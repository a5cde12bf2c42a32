/**
 * The app: palette, canvas and inspector around one graph document. Every edit goes through the
 * history (undo/redo) and is autosaved; the engine follows the document and runs what changed.
 */
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { appRegistry } from '../../nodes/index';
import { graphFromPng } from '../figures/png-text';
import { emptyGraph, type GraphDocument, type GraphNode, type Position } from '../graph/document';
import { PORT_TYPES } from '../graph/ports';
import { serializeGraph } from '../graph/serialize';
import { portsOf } from '../graph/validate';
import { copySelection, readClipboard } from './clipboard';
import * as edits from './edits';
import { examples } from './examples';
import { FigurePanel } from './FigureView';
import { History } from './history';
import { Inspector } from './Inspector';
import { NodeView, NodeViewContext, type NodeViewContextValue, type NodeViewNode } from './NodeView';
import { DRAG_TYPE, Palette } from './Palette';
import { PinnedDock, type Pin } from './PinnedDock';
import { QuickSearch, matchingPort, type WireEnd } from './QuickSearch';
import { decodeShareFragment, encodeShareFragment } from './share';
import { autosave, initialGraph, loadText } from './startup';
import { pageEngine, useBackend, useEngine, useFigures, useNodeFigure, type EngineView } from './useEngine';

const registry = appRegistry();
const nodeTypes = { blockspin: NodeView };
const NO_PORTS = {};

/** What a canvas node was last built from, so an unchanged node keeps its object (React Flow skips it). */
interface BuiltNode {
  position: Position;
  measured: { width: number; height: number } | undefined;
  selected: boolean;
  collapsed: boolean;
  node: NodeViewNode;
}
const builtNodes = new WeakMap<GraphNode, BuiltNode>();

/** The canvas node for a graph node; the same object as last time when nothing it shows has changed. */
function canvasNode(
  node: GraphNode,
  position: Position,
  measured: BuiltNode['measured'],
  selected: boolean,
  collapsed: boolean,
): NodeViewNode {
  const built = builtNodes.get(node);
  if (
    built &&
    built.position === position &&
    built.measured === measured &&
    built.selected === selected &&
    built.collapsed === collapsed
  )
    return built.node;
  const definition = node.placeholder ? undefined : registry.get(node.type);
  const ports = portsOf(node, registry);
  const canvas: NodeViewNode = {
    id: node.id,
    type: 'blockspin',
    position,
    measured,
    selected,
    data: {
      title: definition?.title ?? node.type,
      label: node.label,
      type: node.type,
      inputs: ports?.inputs ?? NO_PORTS,
      outputs: ports?.outputs ?? NO_PORTS,
      placeholder: Boolean(node.placeholder),
      collapsed,
    },
  };
  builtNodes.set(node, { position, measured, selected, collapsed, node: canvas });
  return canvas;
}

/** The backend badge: its own component, so that it alone re-renders when the backend becomes known. */
function BackendBadge({ view }: { view: EngineView }) {
  const backend = useBackend(view);
  return (
    <span className="backend" title="Where RBMs train: TensorFlow.js backend in the workers">
      {backend ? `TensorFlow.js: ${backend}` : 'TensorFlow.js: not started'}
    </span>
  );
}

/** The open figure's panel, following the node's latest figure (nothing until it has one). */
function OpenFigurePanel({
  view,
  id,
  ...props
}: { view: EngineView; id: string } & Omit<Parameters<typeof FigurePanel>[0], 'figure'>) {
  const figure = useNodeFigure(view, id);
  return figure ? <FigurePanel figure={figure} {...props} /> : null;
}

/** The pinned dock with each pin's latest figure; a figure update re-renders the dock, not the editor. */
function LivePinnedDock({
  view,
  pins,
  ...props
}: { view: EngineView; pins: Omit<Pin, 'figure'>[] } & Omit<Parameters<typeof PinnedDock>[0], 'pins'>) {
  const figures = useFigures(view);
  // A new list only when a pin or a pinned figure changed: other nodes' figures do not redraw the dock.
  const [shown, setShown] = useState<Pin[]>([]);
  const current =
    shown.length === pins.length &&
    pins.every((pin, i) => shown[i].id === pin.id && shown[i].name === pin.name && shown[i].figure === figures[pin.id]);
  if (!current) setShown(pins.map((pin) => ({ ...pin, figure: figures[pin.id] })));
  return <PinnedDock pins={shown} {...props} />;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function fileName(graph: GraphDocument): string {
  return `${
    (graph.meta.title ?? 'graph')
      .replace(/[^A-Za-z0-9 _-]+/g, '')
      .trim()
      .replace(/\s+/g, '-') || 'graph'
  }.blockspin.json`;
}

const SHORTCUTS: [string, string][] = [
  ['Delete / Backspace', 'delete the selection'],
  ['Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y', 'undo, redo'],
  ['Ctrl+D', 'duplicate the selection'],
  ['Ctrl+S, Ctrl+O', 'save, open'],
  ['F', 'fit the graph in view'],
  ['double-click, Space', 'add a node here (quick search)'],
  ['Ctrl+C, Ctrl+V', 'copy and paste nodes (also between tabs)'],
  ['?', 'this list'],
];

function Editor() {
  const flow = useReactFlow();
  const [undoStack] = useState(() => new History<GraphDocument>(initialGraph(registry, window.location.search).graph));
  const [graph, setGraph] = useState<GraphDocument>(undoStack.value);
  const [selection, setSelection] = useState<string[]>([]);
  const [dragged, setDragged] = useState<Map<string, Position>>(new Map());
  /** Node sizes as React Flow measures them (the minimap and fit-to-view need them). */
  const [measured, setMeasured] = useState<Map<string, { width: number; height: number }>>(new Map());
  /** Fit the view once the nodes of a newly opened graph have their sizes (before that the fit is wrong). */
  const needsFit = useRef(true);
  const [problems, setProblems] = useState<{ title: string; lines: string[] } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [openFigure, setOpenFigure] = useState<string | null>(null);
  /** Figures pinned below the canvas, by node id: view state, so neither in the file nor in the history. */
  const [pins, setPins] = useState<string[]>([]);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [search, setSearch] = useState<{ screen: Position; wire?: WireEnd & { nodeId: string; port: string } } | null>(
    null,
  );
  const pointer = useRef<Position>({ x: 0, y: 0 });
  const closeSearch = useCallback(() => setSearch(null), []);
  const [paused, setPaused] = useState(false);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const fileInput = useRef<HTMLInputElement>(null);
  const view = useEngine(registry, graph);

  const apply = useCallback(
    (next: GraphDocument) => {
      undoStack.push(next);
      setGraph(next);
    },
    [undoStack],
  );
  const replaceAll = useCallback(
    (next: GraphDocument, message?: string) => {
      undoStack.reset(next);
      setGraph(next);
      setSelection([]);
      setProblems(null);
      setPins([]);
      if (message) setNotice(message);
      needsFit.current = true;
      // nodes that keep their ids are not measured again: fit them too
      setTimeout(() => flow.fitView({ padding: 0.1, maxZoom: 1 }), 300);
    },
    [undoStack, flow],
  );

  useEffect(() => autosave(graph), [graph]);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 4000);
    return () => clearTimeout(timer);
  }, [notice]);
  // A share link opens the graph it carries.
  useEffect(() => {
    decodeShareFragment(window.location.hash).then(
      (text) => {
        if (text === null) return;
        const loaded = loadText(text, registry);
        if (loaded.ok) replaceAll(loaded.graph, 'Opened the shared graph');
        else setProblems({ title: 'The shared graph could not be opened', lines: loaded.problems });
      },
      (error: Error) => setProblems({ title: 'The share link could not be read', lines: [error.message] }),
    );
  }, [replaceAll]);

  const openText = useCallback(
    (text: string | null, name: string) => {
      if (text === null) {
        setProblems({ title: `${name} could not be opened`, lines: ['this PNG carries no Blockspin graph'] });
        return;
      }
      const loaded = loadText(text, registry);
      if (!loaded.ok)
        setProblems({ title: `${name} could not be opened; the current graph is unchanged`, lines: loaded.problems });
      else replaceAll(loaded.graph, loaded.warnings.length ? loaded.warnings.join('; ') : `Opened ${name}`);
    },
    [replaceAll],
  );
  const openFile = useCallback(
    async (file: File) => {
      if (file.type === 'image/png' || file.name.endsWith('.png')) {
        try {
          openText(graphFromPng(new Uint8Array(await file.arrayBuffer())), file.name);
        } catch (error) {
          setProblems({ title: `${file.name} could not be opened`, lines: [(error as Error).message] });
        }
      } else openText(await file.text(), file.name);
    },
    [openText],
  );

  /** Adds a node near `wanted` (stepping aside from nodes already there), optionally wired to a dropped wire. */
  const addAt = useCallback(
    (type: string, wanted: Position, wire?: WireEnd & { nodeId: string; port: string }) => {
      const position = { ...wanted };
      while (
        graph.nodes.some((n) => Math.abs(n.position.x - position.x) < 200 && Math.abs(n.position.y - position.y) < 120)
      ) {
        position.y += 140;
      }
      const added = edits.addNode(graph, registry, type, position);
      const id = added.id;
      let next = added.graph;
      const port = wire && matchingPort(registry.get(type)!, wire);
      if (wire && port) {
        next = edits.addEdge(
          next,
          wire.side === 'output'
            ? { source: wire.nodeId, sourcePort: wire.port, target: id, targetPort: port }
            : { source: id, sourcePort: port, target: wire.nodeId, targetPort: wire.port },
        );
      }
      apply(next);
      setSelection([id]);
    },
    [graph, apply],
  );
  const save = useCallback(() => download(fileName(graph), serializeGraph(graph)), [graph]);
  const share = useCallback(async () => {
    const url = `${location.origin}${location.pathname}${await encodeShareFragment(serializeGraph(graph))}`;
    try {
      await navigator.clipboard.writeText(url);
      setNotice('Share link copied to the clipboard');
    } catch {
      setNotice('Share link in the address bar');
    }
    window.history.replaceState(null, '', url);
  }, [graph]);
  const undo = useCallback(() => setGraph(undoStack.undo()), [undoStack]);
  const redo = useCallback(() => setGraph(undoStack.redo()), [undoStack]);
  const duplicateSelection = useCallback(() => {
    const chosen = new Set(selection);
    const nodes = graph.nodes.filter((n) => chosen.has(n.id));
    if (!nodes.length) return;
    const edges = graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target));
    const result = edits.duplicate(graph, nodes, edges);
    apply(result.graph);
    setSelection(result.ids);
  }, [graph, selection, apply]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, select, textarea')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z' && !e.shiftKey) undo();
      else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) redo();
      else if (mod && key === 's') save();
      else if (mod && key === 'o') fileInput.current?.click();
      else if (mod && key === 'd') duplicateSelection();
      else if (!mod && key === 'f') flow.fitView({ padding: 0.1, maxZoom: 1 });
      else if (e.key === '?') setShowShortcuts((v) => !v);
      else if (e.key === ' ' && document.querySelector('.canvas:hover')) setSearch({ screen: pointer.current });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, save, duplicateSelection, flow]);

  // Copy and paste go through the system clipboard as JSON text, so they work between tabs.
  useEffect(() => {
    const typing = () => Boolean(document.activeElement?.closest('input, select, textarea'));
    const onCopy = (e: ClipboardEvent) => {
      if (typing() || selection.length === 0) return;
      e.clipboardData?.setData('text/plain', copySelection(graph, new Set(selection)));
      e.preventDefault();
      setNotice(`Copied ${selection.length} node${selection.length > 1 ? 's' : ''}`);
    };
    const onPaste = (e: ClipboardEvent) => {
      if (typing()) return;
      const pasted = readClipboard(e.clipboardData?.getData('text/plain') ?? '', registry);
      if (!pasted) return;
      e.preventDefault();
      if ('error' in pasted)
        return setProblems({ title: 'The pasted nodes could not be added', lines: [pasted.error] });
      const result = edits.duplicate(graph, pasted.nodes, pasted.edges);
      apply(result.graph);
      setSelection(result.ids);
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [graph, selection, apply]);

  const nodes = useMemo<NodeViewNode[]>(() => {
    const selected = new Set(selection);
    return graph.nodes.map((node) =>
      canvasNode(
        node,
        dragged.get(node.id) ?? node.position,
        measured.get(node.id),
        selected.has(node.id),
        collapsed.has(node.id),
      ),
    );
  }, [graph, dragged, selection, measured, collapsed]);
  const toggleCollapsed = useCallback(
    (id: string) =>
      setCollapsed((current) => {
        const next = new Set(current);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const nodeContext = useMemo<NodeViewContextValue>(
    () => ({ view, openFigure: setOpenFigure, toggleCollapsed }),
    [view, toggleCollapsed],
  );
  const edges = useMemo<Edge[]>(
    () =>
      graph.edges.map((edge) => {
        const source = graph.nodes.find((n) => n.id === edge.source);
        const type = source && portsOf(source, registry)?.outputs[edge.sourcePort]?.type;
        return {
          id: edge.id,
          source: edge.source,
          sourceHandle: edge.sourcePort,
          target: edge.target,
          targetHandle: edge.targetPort,
          style: type ? { stroke: PORT_TYPES[type].color, strokeWidth: 2 } : undefined,
        };
      }),
    [graph],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<NodeViewNode>[]) => {
      const moving = new Map(dragged);
      let selectionChanged = false;
      const nextSelection = new Set(selection);
      for (const change of changes) {
        if (change.type === 'position' && change.position) moving.set(change.id, change.position);
        if (change.type === 'select') {
          selectionChanged = true;
          if (change.selected) nextSelection.add(change.id);
          else nextSelection.delete(change.id);
        }
      }
      if (changes.some((c) => c.type === 'position')) setDragged(moving);
      const sized = changes.filter((c) => c.type === 'dimensions' && c.dimensions);
      if (sized.length) {
        setMeasured((current) => {
          const next = new Map(current);
          for (const c of sized) if (c.type === 'dimensions' && c.dimensions) next.set(c.id, c.dimensions);
          return next;
        });
        if (needsFit.current) {
          needsFit.current = false;
          requestAnimationFrame(() => flow.fitView({ padding: 0.1, maxZoom: 1 }));
        }
      }
      if (selectionChanged) setSelection([...nextSelection]);
    },
    [dragged, selection, flow],
  );
  const problemsOf = (connection: Connection | Edge): string[] => {
    if (!connection.sourceHandle || !connection.targetHandle) return ['pick a port on each node'];
    return pageEngine(registry).edgeProblems({
      id: '(new edge)',
      source: connection.source,
      sourcePort: connection.sourceHandle,
      target: connection.target,
      targetPort: connection.targetHandle,
    });
  };

  const graphText = useCallback(() => serializeGraph(graph), [graph]);
  const togglePin = useCallback(
    (id: string) => setPins((current) => (current.includes(id) ? current.filter((p) => p !== id) : [...current, id])),
    [],
  );
  // Pins of deleted nodes go (ids are reused: a new node must not inherit a pin), whatever deleted them: an
  // edit, an undo or a redo. Adjusted while rendering, as React advises for state derived from a change.
  const [pinsGraph, setPinsGraph] = useState(graph);
  if (pinsGraph !== graph) {
    setPinsGraph(graph);
    const kept = pins.filter((id) => graph.nodes.some((n) => n.id === id));
    if (kept.length !== pins.length) setPins(kept);
  }
  const pinned = useMemo(
    () =>
      pins.flatMap((id) => {
        const node = graph.nodes.find((n) => n.id === id);
        return node ? [{ id, name: node.label ?? id }] : [];
      }),
    [pins, graph],
  );

  const selectedNode = selection.length === 1 ? graph.nodes.find((n) => n.id === selection[0]) : undefined;
  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">Blockspin</strong>
        <span className="graph-title" title={graph.meta.description}>
          {graph.meta.title ?? 'Untitled'}
        </span>
        <nav className="actions">
          <button onClick={() => replaceAll(emptyGraph(), 'New graph')}>New</button>
          <button onClick={() => fileInput.current?.click()}>Open</button>
          <button onClick={save}>Save</button>
          <button onClick={share}>Share</button>
          <button
            onClick={() => {
              pageEngine(registry).setPaused(!paused);
              setPaused(!paused);
            }}
            title={paused ? 'Start the runs that are waiting' : 'Start no new runs (running ones finish)'}
          >
            {paused ? 'Run' : 'Pause'}
          </button>
          <button onClick={undo} disabled={!undoStack.canUndo} aria-label="Undo">
            Undo
          </button>
          <button onClick={redo} disabled={!undoStack.canRedo} aria-label="Redo">
            Redo
          </button>
          <label className="examples">
            Examples{' '}
            <select
              aria-label="Example graph"
              value=""
              onChange={(e) => {
                const example = examples.find((x) => x.name === e.target.value);
                if (example) openText(example.text, example.name);
              }}
            >
              <option value="" disabled>
                open…
              </option>
              {examples.map((example) => (
                <option key={example.name} value={example.name}>
                  {example.name}
                </option>
              ))}
            </select>
          </label>
        </nav>
        <span className="spacer" />
        <BackendBadge view={view} />
        <button className="help" onClick={() => setShowShortcuts((v) => !v)} aria-label="Keyboard shortcuts">
          ?
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.png,application/json,image/png"
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void openFile(file);
            e.target.value = '';
          }}
        />
      </header>
      {problems && (
        <div className="problems" role="alert">
          <strong>{problems.title}:</strong>
          <ul>
            {problems.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <button onClick={() => setProblems(null)}>Dismiss</button>
        </div>
      )}
      {notice && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      {showShortcuts && (
        <div
          className="shortcuts"
          role="dialog"
          aria-label="Keyboard shortcuts"
          onClick={() => setShowShortcuts(false)}
        >
          <table>
            <tbody>
              {SHORTCUTS.map(([keys, what]) => (
                <tr key={keys}>
                  <td>
                    <kbd>{keys}</kbd>
                  </td>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {search && (
        <QuickSearch
          registry={registry}
          at={search.screen}
          wire={search.wire}
          onClose={closeSearch}
          onPick={(type) => {
            addAt(type, flow.screenToFlowPosition(search.screen), search.wire);
            setSearch(null);
          }}
        />
      )}
      {openFigure && (
        <OpenFigurePanel
          view={view}
          id={openFigure}
          graphText={graphText}
          name={graph.nodes.find((n) => n.id === openFigure)?.label ?? openFigure}
          pinned={pins.includes(openFigure)}
          onTogglePin={() => {
            // pinning closes the panel, to show the figure where it went
            if (!pins.includes(openFigure)) setOpenFigure(null);
            togglePin(openFigure);
          }}
          onClose={() => setOpenFigure(null)}
        />
      )}
      <div className="workspace">
        <Palette
          registry={registry}
          onAdd={(type) => {
            const box = document.querySelector('.canvas')!.getBoundingClientRect();
            addAt(type, flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }));
          }}
        />
        <main
          className="canvas"
          onMouseMove={(e) => (pointer.current = { x: e.clientX, y: e.clientY })}
          onDoubleClick={(e) => {
            if ((e.target as Element).closest('.react-flow__pane'))
              setSearch({ screen: { x: e.clientX, y: e.clientY } });
          }}
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
          }}
          onDrop={(e) => {
            e.preventDefault();
            const type = e.dataTransfer.getData(DRAG_TYPE);
            if (type) addAt(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
            else if (e.dataTransfer.files[0]) void openFile(e.dataTransfer.files[0]);
          }}
        >
          <NodeViewContext.Provider value={nodeContext}>
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onNodeDragStop={() => {
                if (dragged.size) apply(edits.moveNodes(graph, dragged));
                setDragged(new Map());
              }}
              onNodesDelete={(deleted) => apply(edits.removeNodes(graph, new Set(deleted.map((n) => n.id))))}
              onEdgesDelete={(deleted) => apply(edits.removeEdges(graph, new Set(deleted.map((e) => e.id))))}
              isValidConnection={(connection) => problemsOf(connection).length === 0}
              onConnect={(connection) => {
                const why = problemsOf(connection);
                if (why.length) return setNotice(`Cannot connect: ${why.join('; ')}`);
                apply(
                  edits.addEdge(graph, {
                    source: connection.source,
                    sourcePort: connection.sourceHandle!,
                    target: connection.target,
                    targetPort: connection.targetHandle!,
                  }),
                );
              }}
              onConnectEnd={(event, state) => {
                const from = state.fromHandle;
                if (!from || state.isValid) return;
                if (state.toHandle) {
                  // A wire dropped on a port that refuses it: say why.
                  const [a, b] = from.type === 'source' ? [from, state.toHandle] : [state.toHandle, from];
                  const why = problemsOf({
                    source: a.nodeId,
                    sourceHandle: a.id ?? null,
                    target: b.nodeId,
                    targetHandle: b.id ?? null,
                  });
                  if (why.length) setNotice(`Cannot connect: ${why.join('; ')}`);
                  return;
                }
                // A wire dropped on empty canvas: offer the nodes that can take it.
                const node = graph.nodes.find((n) => n.id === from.nodeId);
                const ports = node && portsOf(node, registry);
                const side = from.type === 'source' ? 'output' : 'input';
                const spec = ports && from.id ? (side === 'output' ? ports.outputs : ports.inputs)[from.id] : undefined;
                const point = 'changedTouches' in event ? event.changedTouches[0] : event;
                if (spec && from.id) {
                  setSearch({
                    screen: { x: point.clientX, y: point.clientY },
                    wire: { side, type: spec.type, nodeId: from.nodeId, port: from.id },
                  });
                }
              }}
              zoomOnDoubleClick={false}
              deleteKeyCode={['Delete', 'Backspace']}
              fitView
              fitViewOptions={{ padding: 0.1, maxZoom: 1 }}
              minZoom={0.1}
              maxZoom={2}
              colorMode="system"
            >
              <Background />
              <MiniMap pannable zoomable nodeColor="#94a3b8" nodeStrokeColor="#475569" nodeStrokeWidth={2} />
              <Controls />
            </ReactFlow>
          </NodeViewContext.Provider>
        </main>
        {pinned.length > 0 && (
          <LivePinnedDock
            view={view}
            pins={pinned}
            graphText={graphText}
            onOpen={setOpenFigure}
            onUnpin={togglePin}
            onUnpinAll={() => setPins([])}
          />
        )}
        <Inspector
          key={`${selectedNode?.id}:${selectedNode?.label ?? ''}`}
          node={selectedNode}
          definition={selectedNode && !selectedNode.placeholder ? registry.get(selectedNode.type) : undefined}
          onParams={(params) => selectedNode && apply(edits.setParams(graph, selectedNode.id, params))}
          onLabel={(label) => selectedNode && apply(edits.setLabel(graph, selectedNode.id, label))}
        />
      </div>
    </div>
  );
}

export function App() {
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}
