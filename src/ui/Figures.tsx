/** The open figure's panel and the pinned dock, each following its nodes' latest figures. */
import { useState } from 'react';
import { FigurePanel } from './FigureView';
import { PinnedDock, type Pin } from './PinnedDock';
import { useEditor, useEditorState } from './useEditor';
import { useFigures, useNodeFigure, type EngineView } from './useEngine';

/** The open figure's panel (nothing until the node has a figure). */
export function OpenFigurePanel({
  view,
  id,
  graphText,
  onClose,
}: {
  view: EngineView;
  id: string;
  graphText: () => string;
  onClose: () => void;
}) {
  const editor = useEditor();
  const figure = useNodeFigure(view, id);
  const pinned = useEditorState((s) => s.pins.includes(id));
  const name = useEditorState((s) => s.document.nodes.find((n) => n.id === id)?.label ?? id);
  if (!figure) return null;
  return (
    <FigurePanel
      figure={figure}
      name={name}
      graphText={graphText}
      pinned={pinned}
      onTogglePin={() => {
        // pinning closes the panel, to show the figure where it went
        if (!pinned) onClose();
        editor.togglePin(id);
      }}
      onClose={onClose}
    />
  );
}

/** The pinned dock with each pin's latest figure; a figure update re-renders the dock, not the editor. */
export function LivePinnedDock({
  view,
  graphText,
  onOpen,
}: {
  view: EngineView;
  graphText: () => string;
  onOpen: (id: string) => void;
}) {
  const editor = useEditor();
  const pins = useEditorState((s) => s.pins);
  const nodes = useEditorState((s) => s.document.nodes);
  const figures = useFigures(view);
  // A new list only when a pin or a pinned figure changed: other nodes' figures do not redraw the dock.
  const [shown, setShown] = useState<Pin[]>([]);
  const wanted = pins.map((id) => ({ id, name: nodes.find((n) => n.id === id)?.label ?? id, figure: figures[id] }));
  const current =
    shown.length === wanted.length &&
    wanted.every((pin, i) => shown[i].id === pin.id && shown[i].name === pin.name && shown[i].figure === pin.figure);
  if (!current) setShown(wanted);
  if (!pins.length) return null;
  return (
    <PinnedDock
      pins={current ? shown : wanted}
      graphText={graphText}
      onOpen={onOpen}
      onUnpin={(id) => editor.togglePin(id)}
      onUnpinAll={() => editor.unpinAll()}
    />
  );
}
