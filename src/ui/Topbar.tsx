/** The top bar: the editable title, the commands marked for it, the examples, the run's progress and the backend. */
import { useState, type ReactNode } from 'react';
import { COMMANDS, formatKeys, runCommand, type ViewActions } from '../editor/commands';
import { useEditor, useEditorState } from './useEditor';

function TitleField() {
  const editor = useEditor();
  const title = useEditorState((s) => s.document.meta.title ?? 'Untitled');
  const description = useEditorState((s) => s.document.meta.description);
  const [text, setText] = useState(title);
  const [shown, setShown] = useState(title);
  if (shown !== title) {
    setShown(title);
    setText(title);
  }
  const commit = () => (text.trim() ? editor.setTitle(text) : setText(title));
  return (
    <input
      className="graph-title"
      aria-label="Graph title"
      title={description ? `${description}\n\nThe title is also the file name.` : 'The title is also the file name'}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          setText(title);
          e.currentTarget.blur();
        }
      }}
    />
  );
}

function CommandButtons({ view }: { view: ViewActions }) {
  const editor = useEditor();
  // Re-render on any change: enabled() reads the snapshot.
  useEditorState((s) => s);
  const paused = editor.getSnapshot().paused;
  return (
    <>
      {COMMANDS.filter((c) => c.topbar).map((command) => {
        const label = command.id === 'pause' && paused ? 'Run' : command.label;
        return (
          <button
            key={command.id}
            aria-label={label}
            title={[command.help, command.keys.map((k) => formatKeys(k)).join(', ')].filter(Boolean).join(' · ')}
            disabled={command.enabled ? !command.enabled(editor) : false}
            onClick={() => runCommand(command, { editor, view })}
          >
            {label}
          </button>
        );
      })}
    </>
  );
}

function ExamplePicker() {
  const editor = useEditor();
  return (
    <label className="examples">
      Examples{' '}
      <select aria-label="Example graph" value="" onChange={(e) => editor.openExample(e.target.value)}>
        <option value="" disabled>
          open…
        </option>
        {editor.examples.map((example) => (
          <option key={example.name} value={example.name}>
            {example.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function AutosaveBadge() {
  const state = useEditorState((s) => s.autosave);
  if (state === 'on') return null;
  return (
    <span className="autosave-off" title="Use Save to keep your work">
      {state === 'unavailable' ? 'no autosave' : 'autosave failing'}
    </span>
  );
}

export function Topbar({ view, children }: { view: ViewActions; children?: ReactNode }) {
  return (
    <header className="topbar">
      <strong className="brand">Blockspin</strong>
      <TitleField />
      <nav className="actions">
        <CommandButtons view={view} />
        <ExamplePicker />
      </nav>
      <span className="spacer" />
      <AutosaveBadge />
      {children}
      <button className="help" onClick={view.toggleShortcuts} aria-label="Keyboard shortcuts">
        ?
      </button>
    </header>
  );
}
