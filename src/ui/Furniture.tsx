/** Canvas furniture: frames (titled, coloured groups that move what they hold) and notes (short text). */
import { NodeResizer, type Node, type NodeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import { FRAME_COLORS } from '../editor/edits';
import { useEditor } from './useEditor';

export type FrameViewNode = Node<{ title: string; color: string }, 'frame'>;
export type NoteViewNode = Node<{ text: string }, 'note'>;

/** A text that turns into a field on double-click and commits on Enter or blur (Escape cancels). */
function EditableText({
  text,
  multiline,
  className,
  label,
  onCommit,
}: {
  text: string;
  multiline?: boolean;
  className: string;
  label: string;
  onCommit(text: string): void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  if (editing === null) {
    return (
      <div className={className} onDoubleClick={() => setEditing(text)} title="Double-click to edit">
        {text}
      </div>
    );
  }
  const commit = () => {
    if (editing !== text) onCommit(editing);
    setEditing(null);
  };
  const props = {
    className: `${className} nodrag`,
    'aria-label': label,
    autoFocus: true,
    value: editing,
    onBlur: commit,
    onChange: (e: { target: { value: string } }) => setEditing(e.target.value),
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === 'Escape') setEditing(null);
      if (e.key === 'Enter' && !(multiline && e.shiftKey)) commit();
      e.stopPropagation();
    },
  };
  return multiline ? <textarea {...props} maxLength={2000} rows={4} /> : <input {...props} maxLength={200} />;
}

export const FrameView = memo(function FrameView({ id, data, selected }: NodeProps<FrameViewNode>) {
  const editor = useEditor();
  return (
    <div
      className={`frame${selected ? ' selected' : ''}`}
      style={{ background: `${data.color}b3`, borderColor: data.color }}
    >
      <NodeResizer
        isVisible={selected}
        minWidth={160}
        minHeight={100}
        onResizeEnd={(_, box) =>
          editor.updateFrame(id, {
            position: { x: Math.round(box.x), y: Math.round(box.y) },
            size: { width: Math.round(box.width), height: Math.round(box.height) },
          })
        }
      />
      <header className="frame-title">
        <EditableText
          text={data.title}
          className="frame-title-text"
          label="Frame title"
          onCommit={(title) => editor.updateFrame(id, { title: title.trim() || 'Frame' })}
        />
        {selected && (
          <span className="frame-colors nodrag">
            {FRAME_COLORS.map((color) => (
              <button
                key={color}
                aria-label={`Colour ${color}`}
                style={{ background: color }}
                onClick={() => editor.updateFrame(id, { color })}
              />
            ))}
          </span>
        )}
      </header>
    </div>
  );
});

export const NoteView = memo(function NoteView({ id, data, selected }: NodeProps<NoteViewNode>) {
  const editor = useEditor();
  return (
    <div className={`note${selected ? ' selected' : ''}`}>
      <EditableText
        text={data.text}
        multiline
        className="note-text"
        label="Note text"
        onCommit={(text) => editor.setNoteText(id, text)}
      />
    </div>
  );
});
