/** Quick search: type to find a node type and add it where the canvas was double-clicked or a wire was dropped. */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AnyNodeDefinition } from '../graph/node-definition';
import { canConnect, type PortType } from '../graph/ports';
import type { NodeRegistry } from '../graph/registry';
import { fieldsOf } from './Inspector';

/** A wire being dropped: from an output of this type (wants an input), or into an input of this type. */
export type WireEnd = { side: 'output' | 'input'; type: PortType };

/** The port of `definition` a dropped wire would connect to, or null when none fits. */
export function matchingPort(definition: AnyNodeDefinition, wire: WireEnd): string | null {
  const ports = wire.side === 'output' ? definition.inputs : definition.outputs;
  for (const [name, spec] of Object.entries(ports)) {
    if (wire.side === 'output' ? canConnect(wire.type, spec.type) : canConnect(spec.type, wire.type)) return name;
  }
  return null;
}

/** What a query is matched against: the title, type, category, doc and param names ("wolff", "binder"). */
export function searchText(definition: AnyNodeDefinition): string {
  let text = searchTexts.get(definition);
  if (text === undefined) {
    const params = fieldsOf(definition).map((f) => f.name);
    text = `${definition.title} ${definition.type} ${definition.category} ${definition.doc} ${params.join(' ')}`;
    searchTexts.set(definition, (text = text.toLowerCase()));
  }
  return text;
}
const searchTexts = new WeakMap<AnyNodeDefinition, string>();

export function QuickSearch({
  registry,
  at,
  wire,
  onPick,
  onClose,
}: {
  registry: NodeRegistry;
  at: { x: number; y: number };
  wire?: WireEnd;
  onPick: (type: string) => void;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const box = useRef<HTMLDivElement>(null);
  // Closes on a press outside it (not on blur: the click that ends a dropped wire would close it at once).
  useEffect(() => {
    const onPress = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) onClose();
    };
    const timer = setTimeout(() => document.addEventListener('pointerdown', onPress), 0);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('pointerdown', onPress);
    };
  }, [onClose]);
  const matches = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return registry
      .all()
      .filter((d) => !wire || matchingPort(d, wire) !== null)
      .filter((d) => !needle || searchText(d).includes(needle));
  }, [registry, query, wire]);
  return (
    <div ref={box} className="quick-search" style={{ left: at.x, top: at.y }} role="dialog" aria-label="Add a node">
      <input
        autoFocus
        placeholder={wire ? `Nodes that take this ${wire.type}…` : 'Add a node…'}
        aria-label="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          if (e.key === 'Enter' && matches[0]) onPick(matches[0].type);
        }}
      />
      <ul>
        {matches.slice(0, 8).map((d) => (
          <li key={d.type}>
            <button onMouseDown={(e) => e.preventDefault()} onClick={() => onPick(d.type)}>
              <strong>{d.title}</strong> <span className="muted">{d.category}</span>
            </button>
          </li>
        ))}
        {matches.length === 0 && <li className="muted">No node fits.</li>}
      </ul>
    </div>
  );
}
