/** The editor model as React sees it: one context, and snapshot reads through useSyncExternalStore. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Editor, EditorSnapshot } from '../editor/editor';

export const EditorContext = createContext<Editor | null>(null);

export function useEditor(): Editor {
  const editor = useContext(EditorContext);
  if (!editor) throw new Error('this component needs an EditorContext provider');
  return editor;
}

/**
 * A part of the editor's snapshot; the component re-renders only when that part changes (compared with
 * Object.is), so `select` must return a field of the snapshot or another stable value.
 */
export function useEditorState<T>(select: (snapshot: EditorSnapshot) => T): T {
  const editor = useEditor();
  return useSyncExternalStore(editor.subscribe, () => select(editor.getSnapshot()));
}
