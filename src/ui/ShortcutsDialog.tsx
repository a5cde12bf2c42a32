/** The `?` help: every command with its keys, and the pointer gestures, generated from the command list. */
import { COMMANDS, GESTURES, formatKeys } from '../editor/commands';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const rows: [string, string][] = [
    ...COMMANDS.filter((c) => c.keys.length).map((c): [string, string] => [
      c.keys.map((k) => formatKeys(k, MAC)).join(', '),
      c.help ?? c.label.toLowerCase(),
    ]),
    ...GESTURES,
  ];
  return (
    <div className="shortcuts" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <table>
        <tbody>
          {rows.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
