/**
 * Every command of the editor as a definition object, as Excalidraw's actions are: the keyboard, the top
 * bar, the context menus and the `?` help are all generated from this one list, so they cannot drift apart.
 */
import type { Position } from '../graph/document';
import { portsOf } from '../graph/validate';
import { fileName, type Editor } from './editor';

/** What only the view can do (it knows the viewport, the file picker and the clipboard). */
export interface ViewActions {
  fitView(): void;
  openFileDialog(): void;
  /** Quick search at a screen point (the pointer when not given). */
  quickSearch(at?: Position): void;
  download(name: string, text: string): void;
  /** Downloads each RBM a node outputs as `<node>.<port>.npz`, the file the CLI writes (src/graph/rbm-npz.ts). */
  downloadModel(nodeId: string): void;
  share(): void;
  /** Copy and paste through the system clipboard (so they work between tabs). */
  copy(): void;
  paste(): void;
  toggleShortcuts(): void;
  /** Closes the topmost dialog or panel; false when none was open. */
  closeOverlay(): boolean;
  /** A node's size on the canvas, for align and distribute. */
  sizeOf(id: string): { width: number; height: number } | undefined;
  /** Where a canvas (flow) point is for a screen point. */
  toCanvas(screen: Position): Position;
}

export type CommandContextKind = 'pane' | 'node' | 'edge';

export interface CommandInput {
  editor: Editor;
  view: ViewActions;
  /** Where the command was asked for, on screen (a context menu's or the pointer's place). */
  at?: Position;
}

export interface Command {
  id: string;
  label: string;
  /** Key combinations: 'Mod' is Ctrl (Cmd on a Mac); a single printable key is matched as typed. */
  keys: readonly string[];
  group: 'file' | 'edit' | 'arrange' | 'view' | 'run' | 'help';
  /** The context menus it appears in. */
  menus?: readonly CommandContextKind[];
  /** Shown in the top bar. */
  topbar?: boolean;
  /** Copy and paste arrive as clipboard events, not key presses: their keys are listed but not bound. */
  clipboardEvent?: boolean;
  /** Keys that also work while typing in a field. */
  whileTyping?: boolean;
  /** A longer line for the help table, where the label is not enough. */
  help?: string;
  enabled?(editor: Editor): boolean;
  perform(input: CommandInput): void;
}

const hasSelection = (editor: Editor) =>
  editor.getSnapshot().selection.length > 0 || editor.getSnapshot().selectedEdges.length > 0;
const hasNodesSelected = (editor: Editor) => editor.selectedNodes.length > 0;
const selectedCount = (editor: Editor) => editor.getSnapshot().selection.length;
/** The one selected node, when it has an RBM output. */
const selectedModelNode = (editor: Editor) => {
  const [node, ...others] = editor.selectedNodes;
  if (!node || others.length) return undefined;
  const outputs = portsOf(node, editor.registry)?.outputs ?? {};
  return Object.values(outputs).some((spec) => spec.type === 'rbm') ? node : undefined;
};

const arrange = (
  id: string,
  label: string,
  how: Parameters<Editor['arrange']>[0],
  minimum: number,
  keys: string[] = [],
): Command => ({
  id,
  label,
  keys,
  group: 'arrange',
  menus: ['node'],
  enabled: (editor) => selectedCount(editor) >= minimum,
  perform: ({ editor, view }) => editor.arrange(how, view.sizeOf),
});

export const COMMANDS: readonly Command[] = [
  { id: 'new', label: 'New', keys: [], group: 'file', topbar: true, perform: ({ editor }) => editor.newGraph() },
  {
    id: 'open',
    label: 'Open',
    keys: ['Mod+O'],
    group: 'file',
    topbar: true,
    help: 'open a graph file, or a PNG exported with its graph',
    perform: ({ view }) => view.openFileDialog(),
  },
  {
    id: 'save',
    label: 'Save',
    keys: ['Mod+S'],
    group: 'file',
    topbar: true,
    help: 'download the graph file (named after its title)',
    perform: ({ editor, view }) => view.download(fileName(editor.document), editor.serialize()),
  },
  {
    id: 'download-model',
    label: 'Download model (.npz)',
    keys: [],
    group: 'file',
    menus: ['node'],
    help: 'the selected node’s RBM stack as a .npz for NumPy (layer<k>_W, _vbias, _hbias, _visible_shape)',
    enabled: (editor) => selectedModelNode(editor) !== undefined,
    perform: ({ editor, view }) => {
      const node = selectedModelNode(editor);
      if (node) view.downloadModel(node.id);
    },
  },
  {
    id: 'share',
    label: 'Share',
    keys: [],
    group: 'file',
    topbar: true,
    help: 'copy a link that carries the whole graph',
    perform: ({ view }) => view.share(),
  },
  {
    id: 'pause',
    label: 'Pause',
    keys: [],
    group: 'run',
    topbar: true,
    help: 'hold every run (a running job stops at its next checkpoint); again to go on',
    perform: ({ editor }) => editor.setPaused(!editor.getSnapshot().paused),
  },
  {
    id: 'undo',
    label: 'Undo',
    keys: ['Mod+Z'],
    group: 'edit',
    topbar: true,
    enabled: (editor) => editor.getSnapshot().canUndo,
    perform: ({ editor }) => editor.undo(),
  },
  {
    id: 'redo',
    label: 'Redo',
    keys: ['Mod+Shift+Z', 'Mod+Y'],
    group: 'edit',
    topbar: true,
    enabled: (editor) => editor.getSnapshot().canRedo,
    perform: ({ editor }) => editor.redo(),
  },
  {
    id: 'delete',
    label: 'Delete',
    keys: ['Delete', 'Backspace'],
    group: 'edit',
    menus: ['node', 'edge'],
    help: 'delete the selection (nodes with their wires, frames, notes, wires)',
    enabled: hasSelection,
    perform: ({ editor }) => editor.deleteSelection(),
  },
  {
    id: 'duplicate',
    label: 'Duplicate',
    keys: ['Mod+D'],
    group: 'edit',
    menus: ['node'],
    enabled: hasNodesSelected,
    perform: ({ editor }) => editor.duplicateSelection(),
  },
  {
    id: 'copy',
    label: 'Copy',
    keys: ['Mod+C'],
    group: 'edit',
    clipboardEvent: true,
    help: 'copy the selected nodes (paste works in another tab too)',
    enabled: hasNodesSelected,
    perform: ({ view }) => view.copy(),
  },
  {
    id: 'paste',
    label: 'Paste',
    keys: ['Mod+V'],
    group: 'edit',
    clipboardEvent: true,
    perform: ({ view }) => view.paste(),
  },
  {
    id: 'select-all',
    label: 'Select all',
    keys: ['Mod+A'],
    group: 'edit',
    menus: ['pane'],
    perform: ({ editor }) => editor.selectAll(),
  },
  {
    id: 'add-node',
    label: 'Add node…',
    keys: ['Space'],
    group: 'edit',
    menus: ['pane'],
    help: 'add a node here (quick search); double-click the canvas does the same',
    perform: ({ view, at }) => view.quickSearch(at),
  },
  {
    id: 'add-note',
    label: 'Add note',
    keys: ['N'],
    group: 'edit',
    menus: ['pane'],
    perform: ({ editor, view, at }) => {
      editor.addNote(view.toCanvas(at ?? { x: 200, y: 200 }));
    },
  },
  {
    id: 'add-frame',
    label: 'Frame',
    keys: ['Mod+G'],
    group: 'arrange',
    menus: ['pane', 'node'],
    help: 'a titled frame around the selection (or here); moving the frame moves what it holds',
    perform: ({ editor, view, at }) => {
      editor.addFrame(editor.selectedNodes.length ? undefined : view.toCanvas(at ?? { x: 200, y: 200 }));
    },
  },
  arrange('align-left', 'Align left', 'left', 2),
  arrange('align-top', 'Align top', 'top', 2),
  arrange('align-center-x', 'Align centres vertically', 'center-x', 2),
  arrange('align-center-y', 'Align centres horizontally', 'center-y', 2),
  arrange('distribute-x', 'Distribute horizontally', 'distribute-x', 3),
  arrange('distribute-y', 'Distribute vertically', 'distribute-y', 3),
  {
    id: 'snap',
    label: 'Snap to grid',
    keys: ['G'],
    group: 'view',
    menus: ['pane'],
    perform: ({ editor }) => editor.toggleSnapToGrid(),
  },
  {
    id: 'fit',
    label: 'Fit to view',
    keys: ['F'],
    group: 'view',
    menus: ['pane'],
    help: 'fit the graph in view',
    perform: ({ view }) => view.fitView(),
  },
  {
    id: 'close',
    label: 'Close',
    keys: ['Escape'],
    group: 'view',
    whileTyping: true,
    help: 'close the open dialog or panel, else clear the selection',
    perform: ({ editor, view }) => {
      if (!view.closeOverlay()) editor.select([]);
    },
  },
  {
    id: 'help',
    label: 'Keyboard shortcuts',
    keys: ['?'],
    group: 'help',
    help: 'this list',
    perform: ({ view }) => view.toggleShortcuts(),
  },
];

/** Pointer gestures, listed in the help beside the commands (React Flow handles them). */
export const GESTURES: readonly [string, string][] = [
  ['drag on empty canvas', 'pan'],
  ['Shift+drag', 'box select'],
  ['Ctrl/Cmd+click, Shift+click', 'add to or remove from the selection'],
  ['right-click', 'the menu of the canvas, a node or a wire'],
  ['drag a wire onto empty canvas', 'add a node that takes it'],
];

export function commandById(id: string): Command {
  const command = COMMANDS.find((c) => c.id === id);
  if (!command) throw new Error(`no command '${id}'`);
  return command;
}

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether a key press is `combo` ('Mod+Shift+Z', 'Delete', '?', 'F', 'Space'). */
export function matchesKey(press: KeyPress, combo: string): boolean {
  const parts = combo.split('+');
  const key = parts.pop()!;
  const mod = parts.includes('Mod');
  const shift = parts.includes('Shift');
  if (mod !== (press.ctrlKey || press.metaKey) || press.altKey) return false;
  if (key === 'Space') return press.key === ' ' && !press.shiftKey;
  if (key.length === 1 && !/[A-Za-z]/.test(key)) return press.key === key; // '?' needs Shift on most layouts
  if (key.length === 1) return press.key.toLowerCase() === key.toLowerCase() && shift === press.shiftKey;
  return press.key === key && shift === press.shiftKey;
}

/** The command a key press asks for, if any (enabled or not). */
export function commandForKey(press: KeyPress, typing: boolean, commands = COMMANDS): Command | undefined {
  return commands.find(
    (c) => !c.clipboardEvent && (!typing || c.whileTyping) && c.keys.some((combo) => matchesKey(press, combo)),
  );
}

/** Runs a command if it is enabled; returns whether it ran. */
export function runCommand(command: Command, input: CommandInput): boolean {
  if (command.enabled && !command.enabled(input.editor)) return false;
  command.perform(input);
  return true;
}

/** How a key combination is shown ('Mod' as Ctrl, or ⌘ on a Mac). */
export function formatKeys(combo: string, mac = false): string {
  return combo.replace('Mod', mac ? '⌘' : 'Ctrl');
}
