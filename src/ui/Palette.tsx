/** The node palette: every node type by category, with its one-line doc; drag onto the canvas or click to add. */
import { useMemo, useState } from 'react';
import type { NodeRegistry } from '../graph/registry';

export const DRAG_TYPE = 'application/x-blockspin-node';

export function Palette({ registry, onAdd }: { registry: NodeRegistry; onAdd: (type: string) => void }) {
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const byCategory = new Map<string, ReturnType<NodeRegistry['all']>>();
    for (const definition of registry.all()) {
      const text = `${definition.title} ${definition.type} ${definition.doc} ${definition.category}`.toLowerCase();
      if (needle && !text.includes(needle)) continue;
      byCategory.set(definition.category, [...(byCategory.get(definition.category) ?? []), definition]);
    }
    return [...byCategory];
  }, [registry, filter]);
  return (
    <aside className="palette" aria-label="Node palette">
      <input
        className="palette-filter"
        type="search"
        placeholder="Filter nodes…"
        aria-label="Filter nodes"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      {groups.map(([category, definitions]) => (
        <section key={category}>
          <h3>{category}</h3>
          {definitions.map((definition) => (
            <button
              key={definition.type}
              className="palette-item"
              draggable
              data-type={definition.type}
              title={`${definition.type}: drag onto the canvas, or click to add`}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_TYPE, definition.type);
                e.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => onAdd(definition.type)}
            >
              <strong>{definition.title}</strong>
              <span>{definition.doc}</span>
            </button>
          ))}
        </section>
      ))}
      {groups.length === 0 && <p className="muted">No node matches “{filter}”.</p>}
    </aside>
  );
}
