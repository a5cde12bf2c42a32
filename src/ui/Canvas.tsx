/**
 * The canvas: React Flow drawing the editor's document. It keeps only what a gesture needs while it lasts
 * (positions during a drag, sizes React Flow measured); every change it makes goes to the editor.
 */
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { GRID } from '../editor/editor';
import type { GraphDocument, GraphNode, Position } from '../graph/document';
import { PORT_TYPES } from '../graph/ports';
import { portsOf } from '../graph/validate';
import type { MenuRequest } from './ContextMenu';
import { FrameView, NoteView, type FrameViewNode, type NoteViewNode } from './Furniture';
import { NodeView, NodeViewContext, type NodeViewContextValue, type NodeViewNode } from './NodeView';
import { DRAG_TYPE } from './Palette';
import { matchingPort, type WireEnd } from './QuickSearch';
import { useEditor, useEditorState } from './useEditor';
import type { EngineView } from './useEngine';

const nodeTypes = { blockspin: NodeView, frame: FrameView, note: NoteView };
const NO_PORTS = {};
type Size = { width: number; height: number };
type CanvasNode = NodeViewNode | FrameViewNode | NoteViewNode;

/** The smallest zoom a first fit may use: node text (12 px) stays at least 9 px; the view pans instead. */
export const READABLE_ZOOM = 9 / 12;

export interface QuickSearchRequest {
  screen: Position;
  wire?: WireEnd & { nodeId: string; port: string };
}

/** What the rest of the page asks of the canvas. */
export interface CanvasApi {
  fitView(): void;
  toCanvas(screen: Position): Position;
  sizeOf(id: string): Size | undefined;
}

interface BuiltNode {
  position: Position;
  measured: Size | undefined;
  selected: boolean;
  collapsed: boolean;
  node: NodeViewNode;
}
/** What a canvas node was last built from, so an unchanged node keeps its object (React Flow skips it). */
const builtNodes = new WeakMap<GraphNode, BuiltNode>();

function canvasNode(
  registry: ReturnType<typeof useEditor>['registry'],
  node: GraphNode,
  position: Position,
  measured: Size | undefined,
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

function furnitureNodes(
  doc: GraphDocument,
  dragged: Map<string, Position>,
  selected: Set<string>,
  measured: Map<string, Size>,
): CanvasNode[] {
  const frames: FrameViewNode[] = (doc.frames ?? []).map((frame) => ({
    id: frame.id,
    type: 'frame',
    position: dragged.get(frame.id) ?? frame.position,
    width: frame.size.width,
    height: frame.size.height,
    // below the nodes even when selected (React Flow lifts a selected node by 1000)
    zIndex: -2000,
    selected: selected.has(frame.id),
    dragHandle: '.frame-title',
    data: { title: frame.title, color: frame.color },
  }));
  const notes: NoteViewNode[] = (doc.notes ?? []).map((note) => ({
    id: note.id,
    type: 'note',
    position: dragged.get(note.id) ?? note.position,
    selected: selected.has(note.id),
    // React Flow shows a node only once it has a size: a note (sized by its text) needs the measured one
    measured: measured.get(note.id),
    ...(note.width ? { width: note.width } : {}),
    data: { text: note.text },
  }));
  return [...frames, ...notes];
}

export function Canvas({
  engineView,
  apiRef,
  onQuickSearch,
  onContextMenu,
  onOpenFigure,
  onOpenFile,
}: {
  engineView: EngineView;
  apiRef: { current: CanvasApi | null };
  onQuickSearch(request: QuickSearchRequest): void;
  onContextMenu(menu: MenuRequest): void;
  onOpenFigure(id: string): void;
  onOpenFile(file: File): void;
}) {
  const editor = useEditor();
  const registry = editor.registry;
  const flow = useReactFlow();
  const doc = useEditorState((s) => s.document);
  const selection = useEditorState((s) => s.selection);
  const selectedEdges = useEditorState((s) => s.selectedEdges);
  const collapsed = useEditorState((s) => s.collapsed);
  const snapToGrid = useEditorState((s) => s.snapToGrid);
  const opened = useEditorState((s) => s.opened);
  /** Where the pointer has taken the grabbed items; `dragged` adds what their frames hold. */
  const [grabbed, setGrabbed] = useState<Map<string, Position>>(new Map());
  const dragged = useMemo(() => (grabbed.size ? editor.dragPositions(grabbed) : grabbed), [editor, grabbed]);
  const [measured, setMeasured] = useState<Map<string, Size>>(new Map());
  const pointer = useRef<Position>({ x: 0, y: 0 });
  /** The document last fitted: a newly opened one is fitted once its nodes have their sizes. */
  const fitted = useRef(0);

  const fitView = useCallback(() => {
    const nodes = flow.getNodes();
    if (!nodes.length) return;
    const box = document.querySelector('.canvas')?.getBoundingClientRect();
    const bounds = flow.getNodesBounds(nodes);
    if (!box || !bounds.width) return void flow.fitView({ padding: 0.1, maxZoom: 1 });
    const zoom = Math.min(1, (box.width * 0.9) / bounds.width, (box.height * 0.9) / bounds.height);
    if (zoom >= READABLE_ZOOM) return void flow.fitView({ padding: 0.1, maxZoom: 1 });
    // Too large to fit readably: show its top-left corner at a readable zoom (the user pans for the rest).
    const pad = 24;
    void flow.setViewport({
      x: pad - bounds.x * READABLE_ZOOM,
      y: pad - bounds.y * READABLE_ZOOM,
      zoom: READABLE_ZOOM,
    });
  }, [flow]);

  useEffect(() => {
    apiRef.current = {
      fitView,
      toCanvas: (screen) => flow.screenToFlowPosition(screen),
      sizeOf: (id) => measured.get(id) ?? (flow.getNode(id)?.measured as Size | undefined),
    };
  }, [apiRef, fitView, flow, measured]);

  // Nodes that keep their ids in a newly opened graph are not measured again: fit those too.
  useEffect(() => {
    if (opened === fitted.current) return;
    const timer = setTimeout(() => {
      if (fitted.current === opened) return;
      fitted.current = opened;
      fitView();
    }, 300);
    return () => clearTimeout(timer);
  }, [opened, fitView]);

  const nodes = useMemo<CanvasNode[]>(() => {
    const selected = new Set(selection);
    const shown = new Set(collapsed);
    return [
      ...furnitureNodes(doc, dragged, selected, measured),
      ...doc.nodes.map((node) =>
        canvasNode(
          registry,
          node,
          dragged.get(node.id) ?? node.position,
          measured.get(node.id),
          selected.has(node.id),
          shown.has(node.id),
        ),
      ),
    ];
  }, [doc, dragged, selection, measured, collapsed, registry]);

  const edges = useMemo<Edge[]>(() => {
    const byId = new Map(doc.nodes.map((n) => [n.id, n]));
    const selected = new Set(selectedEdges);
    return doc.edges.map((edge) => {
      const source = byId.get(edge.source);
      const type = source && portsOf(source, registry)?.outputs[edge.sourcePort]?.type;
      return {
        id: edge.id,
        source: edge.source,
        sourceHandle: edge.sourcePort,
        target: edge.target,
        targetHandle: edge.targetPort,
        selected: selected.has(edge.id),
        style: type ? { stroke: PORT_TYPES[type].color, strokeWidth: 2 } : undefined,
      };
    });
  }, [doc, selectedEdges, registry]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      let moving: Map<string, Position> | null = null;
      let nextSelection: Set<string> | null = null;
      const sized: [string, Size][] = [];
      for (const change of changes) {
        if (change.type === 'position' && change.position) (moving ??= new Map()).set(change.id, change.position);
        else if (change.type === 'select') {
          nextSelection ??= new Set(editor.getSnapshot().selection);
          if (change.selected) nextSelection.add(change.id);
          else nextSelection.delete(change.id);
        } else if (change.type === 'dimensions' && change.dimensions) sized.push([change.id, change.dimensions]);
      }
      if (moving) {
        const grabbing = moving;
        setGrabbed((current) => new Map([...current, ...grabbing]));
      }
      if (nextSelection) editor.select([...nextSelection], editor.getSnapshot().selectedEdges);
      if (sized.length) {
        setMeasured((current) => new Map([...current, ...sized]));
        if (fitted.current !== editor.getSnapshot().opened) {
          fitted.current = editor.getSnapshot().opened;
          requestAnimationFrame(fitView);
        }
      }
    },
    [editor, fitView],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const chosen = new Set(editor.getSnapshot().selectedEdges);
      let changed = false;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        changed = true;
        if (change.selected) chosen.add(change.id);
        else chosen.delete(change.id);
      }
      if (changed) editor.select(editor.getSnapshot().selection, [...chosen]);
    },
    [editor],
  );

  const wireOf = (c: Connection | Edge) =>
    c.sourceHandle && c.targetHandle
      ? { source: c.source, sourcePort: c.sourceHandle, target: c.target, targetPort: c.targetHandle }
      : null;
  const problemsOf = (c: Connection | Edge): string[] => {
    const wire = wireOf(c);
    return wire ? editor.wireProblems(wire) : ['pick a port on each node'];
  };

  const nodeContext = useMemo<NodeViewContextValue>(
    () => ({ view: engineView, openFigure: onOpenFigure, toggleCollapsed: (id) => editor.toggleCollapsed(id) }),
    [engineView, onOpenFigure, editor],
  );

  const openMenu = (kind: MenuRequest['kind'], event: MouseEvent | React.MouseEvent, id?: string) => {
    event.preventDefault();
    if (id && kind === 'node' && !editor.getSnapshot().selection.includes(id)) editor.select([id]);
    if (id && kind === 'edge' && !editor.getSnapshot().selectedEdges.includes(id)) editor.select([], [id]);
    onContextMenu({ kind, at: { x: event.clientX, y: event.clientY } });
  };

  return (
    <main
      className="canvas"
      onMouseMove={(e) => (pointer.current = { x: e.clientX, y: e.clientY })}
      onDoubleClick={(e) => {
        // the pane holds the nodes too: a double-click on a node (or a frame's title) is not on empty canvas
        const target = e.target as Element;
        if (target.closest('.react-flow__pane') && !target.closest('.react-flow__node, .react-flow__edge'))
          onQuickSearch({ screen: { x: e.clientX, y: e.clientY } });
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={(e) => {
        e.preventDefault();
        const type = e.dataTransfer.getData(DRAG_TYPE);
        if (type) editor.addNode(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
        else if (e.dataTransfer.files[0]) onOpenFile(e.dataTransfer.files[0]);
      }}
    >
      <NodeViewContext.Provider value={nodeContext}>
        <ReactFlow<CanvasNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStop={() => {
            if (grabbed.size) editor.moveItems(grabbed);
            setGrabbed(new Map());
          }}
          onPaneClick={() => editor.select([])}
          onPaneContextMenu={(e) => openMenu('pane', e)}
          onNodeContextMenu={(e, node: Node) => openMenu('node', e, node.id)}
          onEdgeContextMenu={(e, edge) => openMenu('edge', e, edge.id)}
          isValidConnection={(connection) => problemsOf(connection).length === 0}
          onConnect={(connection) => {
            const wire = wireOf(connection);
            if (wire) editor.connect(wire);
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
              if (why.length) editor.notify(`Cannot connect: ${why.join('; ')}`);
              return;
            }
            // A wire dropped on empty canvas: offer the nodes that can take it.
            const node = editor.document.nodes.find((n) => n.id === from.nodeId);
            const ports = node && portsOf(node, registry);
            const side = from.type === 'source' ? 'output' : 'input';
            const spec = ports && from.id ? (side === 'output' ? ports.outputs : ports.inputs)[from.id] : undefined;
            const point = 'changedTouches' in event ? event.changedTouches[0] : event;
            if (spec && from.id) {
              onQuickSearch({
                screen: { x: point.clientX, y: point.clientY },
                wire: { side, type: spec.type, nodeId: from.nodeId, port: from.id },
              });
            }
          }}
          zoomOnDoubleClick={false}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
          snapToGrid={snapToGrid}
          snapGrid={[GRID, GRID]}
          onlyRenderVisibleElements
          minZoom={0.1}
          maxZoom={2}
          colorMode="system"
        >
          <Background gap={snapToGrid ? GRID : undefined} />
          <MiniMap pannable zoomable nodeColor="#94a3b8" nodeStrokeColor="#475569" nodeStrokeWidth={2} />
          <Controls />
        </ReactFlow>
      </NodeViewContext.Provider>
    </main>
  );
}

/** The port of a node type that takes a dropped wire, for adding a node from quick search. */
export function portFor(
  registry: ReturnType<typeof useEditor>['registry'],
  type: string,
  wire: WireEnd,
): string | null {
  const definition = registry.get(type);
  return definition ? matchingPort(definition, wire) : null;
}
