/** Right-click menus on the canvas, a node or a wire: the commands of the list that name that menu. */
import { useEffect, useRef } from 'react';
import { COMMANDS, formatKeys, runCommand, type CommandContextKind, type ViewActions } from '../editor/commands';
import { useEditor } from './useEditor';

export interface MenuRequest {
  kind: CommandContextKind;
  at: { x: number; y: number };
}

export function ContextMenu({ menu, view, onClose }: { menu: MenuRequest; view: ViewActions; onClose: () => void }) {
  const editor = useEditor();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onPress = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', onPress);
    return () => document.removeEventListener('pointerdown', onPress);
  }, [onClose]);
  const commands = COMMANDS.filter((c) => c.menus?.includes(menu.kind));
  return (
    <div ref={box} className="context-menu" role="menu" style={{ left: menu.at.x, top: menu.at.y }}>
      {commands.map((command) => (
        <button
          key={command.id}
          role="menuitem"
          disabled={command.enabled ? !command.enabled(editor) : false}
          onClick={() => {
            onClose();
            runCommand(command, { editor, view, at: menu.at });
          }}
        >
          <span>{command.label}</span>
          {command.keys[0] && <kbd>{formatKeys(command.keys[0])}</kbd>}
        </button>
      ))}
    </div>
  );
}
