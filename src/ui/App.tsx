/** The app: a canvas showing the open graph, its nodes' live status, and any load problems. */
import { Background, Controls, MiniMap, ReactFlow, type Edge } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { appRegistry } from '../../nodes/index';
import type { GraphDocument } from '../graph/document';
import { formatIssue } from '../graph/errors';
import { parseGraph } from '../graph/parse';
import { PORT_TYPES } from '../graph/ports';
import { portsOf } from '../graph/validate';
import { examples, startExample } from './examples';
import { FigurePanel } from './FigureView';
import { NodeView, type NodeViewNode } from './NodeView';
import { useEngine } from './useEngine';

const registry = appRegistry();
const nodeTypes = { blockspin: NodeView };

type Loaded = { graph: GraphDocument | null; problems: string[]; warnings: string[] };

function load(text: string | undefined): Loaded {
  if (text === undefined) return { graph: null, problems: [], warnings: [] };
  const parsed = parseGraph(text, registry);
  if (!parsed.ok) return { graph: null, problems: parsed.issues.map(formatIssue), warnings: [] };
  return { graph: parsed.graph, problems: [], warnings: parsed.warnings.map(formatIssue) };
}

export function App() {
  const [loaded, setLoaded] = useState<Loaded>(() => load(startExample(window.location.search)?.text));
  const { statuses, figures } = useEngine(registry, loaded.graph);
  const [openFigure, setOpenFigure] = useState<string | null>(null);
  const graph = loaded.graph;

  const nodes = useMemo<NodeViewNode[]>(
    () =>
      (graph?.nodes ?? []).map((node) => {
        const definition = node.placeholder ? undefined : registry.get(node.type);
        const ports = portsOf(node, registry);
        return {
          id: node.id,
          type: 'blockspin',
          position: node.position,
          data: {
            title: definition?.title ?? node.type,
            label: node.label,
            type: node.type,
            inputs: ports?.inputs ?? {},
            outputs: ports?.outputs ?? {},
            status: statuses[node.id] ?? { state: 'idle' },
            placeholder: Boolean(node.placeholder),
            figure: figures[node.id],
            onOpenFigure: () => setOpenFigure(node.id),
          },
        };
      }),
    [graph, statuses, figures],
  );

  const edges = useMemo<Edge[]>(
    () =>
      (graph?.edges ?? []).map((edge) => {
        const source = graph!.nodes.find((n) => n.id === edge.source);
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

  return (
    <div className="app">
      <header className="topbar">
        <strong className="brand">Blockspin</strong>
        <span className="graph-title">{graph?.meta.title ?? 'No graph'}</span>
        <label className="examples">
          Example{' '}
          <select
            aria-label="Example graph"
            defaultValue={startExample(window.location.search)?.name}
            onChange={(e) => setLoaded(load(examples.find((x) => x.name === e.target.value)?.text))}
          >
            {examples.map((example) => (
              <option key={example.name} value={example.name}>
                {example.name}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <span className="node-count">{registry.all().length} node types</span>
      </header>
      {loaded.problems.length > 0 && (
        <div className="problems" role="alert">
          <strong>This graph could not be opened:</strong>
          <ul>
            {loaded.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {loaded.warnings.length > 0 && (
        <div className="warnings" role="status">
          {loaded.warnings.map((w) => (
            <div key={w}>{w}</div>
          ))}
        </div>
      )}
      {openFigure && figures[openFigure] && (
        <FigurePanel
          spec={figures[openFigure]}
          name={graph?.nodes.find((n) => n.id === openFigure)?.label ?? openFigure}
          onClose={() => setOpenFigure(null)}
        />
      )}
      <main className="canvas">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          fitView
          colorMode="system"
          proOptions={{ hideAttribution: false }}
        >
          <Background />
          <MiniMap pannable zoomable />
          <Controls />
        </ReactFlow>
      </main>
    </div>
  );
}
