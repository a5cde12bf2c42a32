/** Binds the command list to the keyboard, and copy and paste to the system clipboard (so they work between tabs). */
import { useEffect } from 'react';
import { commandForKey, runCommand, type ViewActions } from '../editor/commands';
import type { Editor } from '../editor/editor';

const typing = () => Boolean(document.activeElement?.closest('input, select, textarea'));

export function useCommandKeys(
  editor: Editor,
  view: ViewActions,
  pointer: { current: { x: number; y: number } },
): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = commandForKey(e, typing());
      if (!command) return;
      if (command.id === 'add-node' && !document.querySelector('.canvas:hover')) return;
      if (runCommand(command, { editor, view, at: pointer.current })) e.preventDefault();
    };
    // Copy and paste go through the system clipboard as JSON text, so they work between tabs.
    const onCopy = (e: ClipboardEvent) => {
      if (typing()) return;
      const text = editor.copySelection();
      if (text === null) return;
      e.clipboardData?.setData('text/plain', text);
      e.preventDefault();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (!typing() && editor.paste(e.clipboardData?.getData('text/plain') ?? '')) e.preventDefault();
    };
    const onMove = (e: PointerEvent) => (pointer.current = { x: e.clientX, y: e.clientY });
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    window.addEventListener('pointermove', onMove);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
      window.removeEventListener('pointermove', onMove);
    };
  }, [editor, view, pointer]);
}
