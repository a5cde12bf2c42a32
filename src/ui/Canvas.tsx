/**
 * The canvas: React Flow drawing the editor's document. It keeps only what a gesture needs while it lasts
 * (positions during a drag, sizes React Flow measured); every change it makes goes to the editor.
 */
import {
  Controls,
  Panel,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { GRID } from '../editor/editor';
import { isDataFileName } from '../editor/data-files';
import type { GraphDocument, GraphNode, Position } from '../graph/document';
import { PORT_TYPES } from '../graph/ports';
import { portsOf } from '../graph/validate';
import type { MenuRequest } from './ContextMenu';
import { useFigureImagesWarm } from './FigureView';
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

/**
 * The dot grid behind the canvas, drawn as React Flow's <Background> draws it but cheap to pan. <Background>
 * moves its pattern in every frame of a pan, and the browser paints and rasterises the whole pane again each
 * time; here the pattern is drawn once per zoom, one gap larger than the pane, and a pan only moves it by the
 * pan modulo the gap (set on the element, not rendered by React; a layer of its own while the view moves).
 */
function DotGrid({ gap, size = 1 }: { gap: number; size?: number }) {
  const store = useStoreApi();
  const zoom = useStore((s) => s.transform[2]);
  const layer = useRef<SVGSVGElement>(null);
  const id = useId();
  const step = gap * zoom || 1;
  const radius = (size * zoom) / 2;
  useLayoutEffect(() => {
    const place = ([x, y]: readonly number[]) => {
      const dx = (((x % step) + step) % step) - step;
      const dy = (((y % step) + step) % step) - step;
      if (layer.current) layer.current.style.transform = `translate(${dx}px, ${dy}px)`;
    };
    place(store.getState().transform);
    return store.subscribe((state, previous) => {
      if (state.transform !== previous.transform) place(state.transform);
    });
  }, [store, step]);
  return (
    <div className="react-flow__background dot-grid" data-testid="rf__background">
      <svg ref={layer} style={{ width: `calc(100% + ${2 * step}px)`, height: `calc(100% + ${2 * step}px)` }}>
        <pattern
          id={id}
          width={step}
          height={step}
          patternUnits="userSpaceOnUse"
          patternTransform={`translate(-${step / 2},-${step / 2})`}
        >
          <circle cx={radius} cy={radius} r={radius} className="react-flow__background-pattern dots" />
        </pattern>
        <rect width="100%" height="100%" fill={`url(#${CSS.escape(id)})`} />
      </svg>
    </div>
  );
}

/** React Flow's MiniMap: its size, the margin around what it shows (in its pixels), the nodes' corners. */
const MINIMAP = { width: 200, height: 150, margin: 5, radius: 5 };
const MINIMAP_NODE = { fill: '#94a3b8', stroke: '#475569', strokeWidth: 2 };
type Box = { x: number; y: number; width: number; height: number };

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** What the minimap shows (its viewBox) around the nodes and the view, as React Flow's MiniMap works it out. */
function miniMapFrame(nodes: Box | null, view: Box): { viewBox: Box; viewScale: number } {
  const bounds = nodes ? union(nodes, view) : view;
  const viewScale = Math.max(bounds.width / MINIMAP.width, bounds.height / MINIMAP.height);
  const width = viewScale * MINIMAP.width;
  const height = viewScale * MINIMAP.height;
  const offset = MINIMAP.margin * viewScale;
  return {
    viewScale,
    viewBox: {
      x: bounds.x - (width - bounds.width) / 2 - offset,
      y: bounds.y - (height - bounds.height) / 2 - offset,
      width: width + 2 * offset,
      height: height + 2 * offset,
    },
  };
}

/** One node on the minimap, drawn again only when it moves, resizes or is selected. */
const MiniMapNode = memo(function MiniMapNode({ x, y, width, height, selected }: Box & { selected: boolean }) {
  return (
    <rect
      className={`react-flow__minimap-node${selected ? ' selected' : ''}`}
      x={x}
      y={y}
      rx={MINIMAP.radius}
      ry={MINIMAP.radius}
      width={width}
      height={height}
      style={MINIMAP_NODE}
      shapeRendering="crispEdges"
    />
  );
});

const sameBox = (a: Box, b: Box) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

type FlowState = ReturnType<ReturnType<typeof useStoreApi<CanvasNode>>['getState']>;

const viewOf = (state: FlowState): Box => {
  const [x, y, zoom] = state.transform;
  return { x: -x / zoom, y: -y / zoom, width: state.width / zoom, height: state.height / zoom };
};

/**
 * React Flow's <MiniMap pannable zoomable> (the same nodes, colours, mask and gestures), made cheap to pan
 * the canvas under. <MiniMap> runs a store selector per node and renders again, mask and nodes, in every
 * frame of a pan: on a 300-node canvas that was a tenth of each frame, and the minimap's 300 rectangles were
 * rasterised again each time. Here the nodes are drawn only when they (or the minimap's bounds) change, and
 * the view's rectangle is moved with a transform from a store subscription (a layer of its own while the
 * view moves).
 */
function CanvasMiniMap() {
  const store = useStoreApi<CanvasNode>();
  const flow = useReactFlow();
  const nodes = useStore((s) => s.nodes);
  const panel = useRef<HTMLDivElement>(null);
  const mask = useRef<HTMLDivElement>(null);
  const rects = useMemo(() => {
    const lookup = store.getState().nodeLookup;
    let box: Box | null = null;
    const shown: (Box & { id: string; selected: boolean })[] = [];
    for (const { id } of nodes) {
      const node = lookup.get(id);
      if (!node || node.hidden) continue;
      const width = node.measured?.width ?? node.width ?? node.initialWidth;
      const height = node.measured?.height ?? node.height ?? node.initialHeight;
      const rect = { ...node.internals.positionAbsolute, width: width ?? 0, height: height ?? 0 };
      box = box ? union(box, rect) : rect;
      if (width !== undefined && height !== undefined) shown.push({ ...rect, id, selected: Boolean(node.selected) });
    }
    return { box, shown };
  }, [nodes, store]);
  const [frame, setFrame] = useState(() => miniMapFrame(rects.box, viewOf(store.getState())));
  /** What the minimap shows now, and the mask's last geometry (written from the store subscription only). */
  const shown = useRef<{ frame: ReturnType<typeof miniMapFrame> | null; mask: string }>({ frame: null, mask: '' });

  useLayoutEffect(() => {
    const place = (state: FlowState) => {
      const view = viewOf(state);
      const next = miniMapFrame(rects.box, view);
      const last = shown.current.frame;
      if (!last || !sameBox(next.viewBox, last.viewBox)) {
        shown.current.frame = next;
        setFrame((drawn) => (sameBox(drawn.viewBox, next.viewBox) ? drawn : next));
      }
      // The SVG's viewBox is fitted into the minimap keeping its proportions, centred (preserveAspectRatio).
      const box = next.viewBox;
      const scale = Math.min(MINIMAP.width / box.width, MINIMAP.height / box.height);
      const left = (MINIMAP.width - box.width * scale) / 2 + (view.x - box.x) * scale;
      const top = (MINIMAP.height - box.height * scale) / 2 + (view.y - box.y) * scale;
      const geometry = `${view.width * scale} ${view.height * scale} ${left} ${top}`;
      if (mask.current && geometry !== shown.current.mask) {
        shown.current.mask = geometry;
        mask.current.style.width = `${view.width * scale}px`;
        mask.current.style.height = `${view.height * scale}px`;
        mask.current.style.transform = `translate(${left}px, ${top}px)`;
      }
    };
    place(store.getState());
    return store.subscribe((state, previous) => {
      if (state.transform !== previous.transform || state.width !== previous.width || state.height !== previous.height)
        place(state);
    });
  }, [store, rects]);

  // Dragging pans the canvas, the wheel zooms it (XYMinimap's arithmetic in @xyflow/system).
  useEffect(() => {
    const element = panel.current;
    if (!element) return;
    let last: Position | null = null;
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || e.ctrlKey) return;
      e.preventDefault();
      element.setPointerCapture(e.pointerId);
      last = { x: e.clientX, y: e.clientY };
    };
    const move = (e: PointerEvent) => {
      if (!last || !element.hasPointerCapture(e.pointerId)) return;
      const [x, y, zoom] = store.getState().transform;
      const moveScale = (shown.current.frame?.viewScale ?? 1) * Math.max(zoom, Math.log(zoom));
      void flow.setViewport({ x: x - (e.clientX - last.x) * moveScale, y: y - (e.clientY - last.y) * moveScale, zoom });
      last = { x: e.clientX, y: e.clientY };
    };
    const up = (e: PointerEvent) => {
      if (element.hasPointerCapture(e.pointerId)) element.releasePointerCapture(e.pointerId);
      last = null;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const factor = e.ctrlKey && /Mac/.test(navigator.platform) ? 10 : 1;
      const delta = -e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002);
      void flow.zoomTo(store.getState().transform[2] * Math.pow(2, delta * factor));
    };
    element.addEventListener('pointerdown', down);
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', up);
    element.addEventListener('pointercancel', up);
    element.addEventListener('wheel', wheel, { passive: false });
    return () => {
      element.removeEventListener('pointerdown', down);
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', up);
      element.removeEventListener('pointercancel', up);
      element.removeEventListener('wheel', wheel);
    };
  }, [store, flow]);

  const box = frame.viewBox;
  return (
    <Panel position="bottom-right" className="react-flow__minimap canvas-minimap" data-testid="rf__minimap" ref={panel}>
      <svg
        width={MINIMAP.width}
        height={MINIMAP.height}
        viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label="Mini Map"
      >
        {rects.shown.map((r) => (
          <MiniMapNode key={r.id} x={r.x} y={r.y} width={r.width} height={r.height} selected={r.selected} />
        ))}
      </svg>
      <div ref={mask} className="canvas-minimap-view" />
    </Panel>
  );
}

/**
 * How long the view stays still after a pan or zoom before the canvas is one layer with the page again. While
 * it moves (`data-moving` on the canvas, styles.css), the nodes and edges, the dot grid and the minimap's view
 * are layers of their own, so that a pan moves them instead of painting and rasterising them again in every
 * frame. Once still, they are drawn with the page again: here the compositor draws every layer in software in
 * every frame, and a layer also keeps the scale it was rasterised at (text looks blurred after a zoom until
 * the layer is made again).
 */
const MOVE_SETTLE_MS = 250;

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
  const main = useRef<HTMLElement>(null);
  const settling = useRef<ReturnType<typeof setTimeout>>(undefined);
  useFigureImagesWarm(engineView);
  const onMoveStart = useCallback(() => {
    clearTimeout(settling.current);
    main.current?.setAttribute('data-moving', '');
  }, []);
  const onMoveEnd = useCallback(() => {
    clearTimeout(settling.current);
    settling.current = setTimeout(() => main.current?.removeAttribute('data-moving'), MOVE_SETTLE_MS);
  }, []);
  useEffect(() => () => clearTimeout(settling.current), []);
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
      ref={main}
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
        const files = [...e.dataTransfer.files];
        const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        if (type) editor.addNode(type, at);
        // .npy and .npz files become Import data nodes where they are dropped; any other file is a graph
        else if (files.some((f) => isDataFileName(f.name))) void editor.importDataFiles(files, at);
        else if (files[0]) onOpenFile(files[0]);
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
          onMoveStart={onMoveStart}
          onMoveEnd={onMoveEnd}
          minZoom={0.1}
          maxZoom={2}
          colorMode="system"
        >
          <DotGrid gap={snapToGrid ? GRID : 20} />
          <CanvasMiniMap />
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
