/** A node on the canvas: title, label, typed ports, status badge. */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { NodeStatus } from '../engine/status';
import type { FigureValue } from '../graph/values';
import { FigureSvg } from './FigureView';
import type { PortSpec } from '../graph/node-definition';
import { PORT_TYPES } from '../graph/ports';

export interface NodeViewData extends Record<string, unknown> {
  title: string;
  label?: string;
  type: string;
  inputs: Record<string, PortSpec>;
  outputs: Record<string, PortSpec>;
  status: NodeStatus;
  placeholder: boolean;
  figure?: FigureValue;
  onOpenFigure?: () => void;
  /** A collapsed node hides its preview (the ports and status stay). */
  collapsed?: boolean;
  onToggleCollapsed?: () => void;
}

export type NodeViewNode = Node<NodeViewData, 'blockspin'>;

function statusText(status: NodeStatus): string {
  switch (status.state) {
    case 'idle':
      return 'idle';
    case 'waiting':
      return status.message;
    case 'running':
      return `${Math.round(status.progress * 100)}%${status.message ? ` · ${status.message}` : ''}`;
    case 'done':
      return `done · ${status.ms < 1000 ? `${Math.round(status.ms)} ms` : `${(status.ms / 1000).toFixed(1)} s`}${status.cached ? ' · cached' : ''}`;
    case 'error':
      return status.message;
  }
}

function Ports({ ports, side }: { ports: Record<string, PortSpec>; side: 'in' | 'out' }) {
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
}

export function NodeView({ data, selected }: NodeProps<NodeViewNode>) {
  const { status } = data;
  return (
    <div
      className={`node state-${status.state}${selected ? ' selected' : ''}${data.placeholder ? ' placeholder' : ''}`}
    >
      <header>
        <span className="node-title">
          {data.title}
          {data.onToggleCollapsed && (
            <button
              className="collapse nodrag"
              aria-label={data.collapsed ? 'Expand' : 'Collapse'}
              title={data.collapsed ? 'Show the preview' : 'Hide the preview'}
              onClick={data.onToggleCollapsed}
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
      {data.figure && !data.collapsed && (
        <button className="preview nodrag" title="Open the figure" onClick={data.onOpenFigure}>
          <FigureSvg figure={data.figure} />
        </button>
      )}
      {status.state === 'running' && (
        <div className="progress">
          <div style={{ width: `${Math.round(status.progress * 100)}%` }} />
        </div>
      )}
      <footer
        className="status"
        data-state={status.state}
        title={status.state === 'error' ? (status.details ?? status.message) : undefined}
      >
        {statusText(status)}
      </footer>
    </div>
  );
}
