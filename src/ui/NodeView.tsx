/**
 * A node on the canvas: title, label, typed ports, status badge, figure preview. The node's status and
 * figure come from the engine view (not from the node's data), and only the parts that show them subscribe:
 * a progress message re-renders the badge of one node, not the canvas.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { createContext, memo, useCallback, useContext } from 'react';
import type { NodeStatus } from '../engine/status';
import type { FigureValue } from '../graph/values';
import { FigureSvg } from './FigureView';
import type { PortSpec } from '../graph/node-definition';
import { PORT_TYPES } from '../graph/ports';
import { useNodeFigure, useNodeState, useNodeStatus, type EngineView } from './useEngine';

export interface NodeViewData extends Record<string, unknown> {
  title: string;
  label?: string;
  type: string;
  inputs: Record<string, PortSpec>;
  outputs: Record<string, PortSpec>;
  placeholder: boolean;
  /** A collapsed node hides its preview (the ports and status stay). */
  collapsed?: boolean;
}

export type NodeViewNode = Node<NodeViewData, 'blockspin'>;

/** What every node on the canvas shares: where statuses and figures come from, and what its buttons do. */
export interface NodeViewContextValue {
  view: EngineView;
  openFigure(id: string): void;
  toggleCollapsed(id: string): void;
}

export const NodeViewContext = createContext<NodeViewContextValue | null>(null);

function useNodeViewContext(): NodeViewContextValue {
  const context = useContext(NodeViewContext);
  if (!context) throw new Error('NodeView needs a NodeViewContext provider');
  return context;
}

/** A duration as the badge shows it: ms below a second, else seconds with one decimal. */
function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function statusText(status: NodeStatus): string {
  switch (status.state) {
    case 'idle':
      return 'idle';
    case 'waiting':
      return status.message;
    case 'running':
      return `${Math.round(status.progress * 100)}%${status.message ? ` · ${status.message}` : ''}`;
    case 'done':
      return `done · ${duration(status.ms)}${status.cached ? ' · cached' : ''}${status.warning ? ` · ⚠ ${status.warning}` : ''}`;
    case 'error':
      return status.message;
  }
}

const Ports = memo(function Ports({ ports, side }: { ports: Record<string, PortSpec>; side: 'in' | 'out' }) {
  return (
    <div className={`ports ports-${side}`}>
      {Object.entries(ports).map(([name, spec]) => (
        <div className="port" key={name} title={`${name}: ${PORT_TYPES[spec.type].title}${spec.many ? ' (many)' : ''}`}>
          <Handle
            type={side === 'in' ? 'target' : 'source'}
            position={side === 'in' ? Position.Left : Position.Right}
            id={name}
            style={{ background: PORT_TYPES[spec.type].color }}
          />
          <span className="port-name">{name}</span>
        </div>
      ))}
    </div>
  );
});

/** The progress bar and the status line: the only part of a node that changes while it runs. */
const StatusFooter = memo(function StatusFooter({ view, id }: { view: EngineView; id: string }) {
  const status = useNodeStatus(view, id);
  const text = statusText(status);
  return (
    // While the node runs the line keeps the node's width and may be cut short: the tooltip has all of it.
    <footer
      className="status"
      data-state={status.state}
      data-partial={status.state === 'done' && status.partial ? 'true' : undefined}
      title={
        status.state === 'error'
          ? (status.details ?? status.message)
          : status.state === 'done' && status.waitedMs
            ? `${text} · waited ${duration(status.waitedMs)} for a worker`
            : text
      }
    >
      {status.state === 'running' && (
        <div className="progress">
          <div style={{ transform: `scaleX(${Math.round(status.progress * 100) / 100})` }} />
        </div>
      )}
      {text}
    </footer>
  );
});

const Preview = memo(function Preview({ figure, onOpen }: { figure: FigureValue; onOpen: () => void }) {
  return (
    <button className="preview nodrag" title="Open the figure" onClick={onOpen}>
      <FigureSvg figure={figure} />
    </button>
  );
});

/**
 * Drawn again only when its id, data or selection change: React Flow also passes the node's position, size,
 * z-index and drag state, which change as a node is dragged or first measured and which the view does not use.
 */
const sameView = (a: NodeProps<NodeViewNode>, b: NodeProps<NodeViewNode>) =>
  a.id === b.id && a.data === b.data && a.selected === b.selected;

export const NodeView = memo(function NodeView({ id, data, selected }: NodeProps<NodeViewNode>) {
  const { view, openFigure, toggleCollapsed } = useNodeViewContext();
  const state = useNodeState(view, id);
  const figure = useNodeFigure(view, id);
  const open = useCallback(() => openFigure(id), [openFigure, id]);
  // A node with a figure output is as wide as its preview from the start, so fitting the view before the
  // first figure arrives already makes room for it.
  const figureNode = Object.values(data.outputs).some((spec) => spec.type === 'figure');
  return (
    <div
      className={`node state-${state}${selected ? ' selected' : ''}${data.placeholder ? ' placeholder' : ''}${figureNode && !data.collapsed ? ' figure-node' : ''}`}
    >
      <header>
        <span className="node-title">
          {data.title}
          {figure && (
            <button
              className="collapse nodrag"
              aria-label={data.collapsed ? 'Expand' : 'Collapse'}
              title={data.collapsed ? 'Show the preview' : 'Hide the preview'}
              onClick={() => toggleCollapsed(id)}
            >
              {data.collapsed ? '+' : '−'}
            </button>
          )}
        </span>
        {data.label && <span className="node-label">{data.label}</span>}
      </header>
      <div className="node-body">
        <Ports ports={data.inputs} side="in" />
        <Ports ports={data.outputs} side="out" />
      </div>
      {figure && !data.collapsed && <Preview figure={figure} onOpen={open} />}
      <StatusFooter view={view} id={id} />
    </div>
  );
}, sameView);
