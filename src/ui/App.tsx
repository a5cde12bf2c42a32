/**
 * The app: a thin view over the editor model. It lays out the top bar, palette, canvas, inspector and
 * panels, binds the command list to the keyboard and the clipboard, and keeps only what is on screen for
 * the moment (an open dialog, a menu).
 */
import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ViewActions } from '../editor/commands';
import { shareUrl } from '../editor/browser';
import type { Editor } from '../editor/editor';
import { readGraphFile } from '../editor/read-file';
import { rbmToNpz } from '../graph/rbm-npz';
import { isValue, type RbmValue } from '../graph/values';
import { Canvas, portFor, type CanvasApi, type QuickSearchRequest } from './Canvas';
import { download } from './download';
import { ContextMenu, type MenuRequest } from './ContextMenu';
import { ErrorBoundary } from './ErrorBoundary';
import { OpenFigurePanel, LivePinnedDock } from './Figures';
import { Inspector } from './Inspector';
import { BudgetBanner, NoticeBar, ProblemsBanner } from './Messages';
import { Palette } from './Palette';
import { QuickSearch } from './QuickSearch';
import { RunProgress } from './RunProgress';
import { ShortcutsDialog } from './ShortcutsDialog';
import { Topbar } from './Topbar';
import { useCommandKeys } from './useCommandKeys';
import { EditorContext, useEditorState } from './useEditor';
import { pageEngine, useBackend, useEngine, type EngineView } from './useEngine';

function BackendBadge({ view }: { view: EngineView }) {
  const backend = useBackend(view);
  return (
    <span className="backend" title="Where RBMs train: TensorFlow.js backend in the workers">
      {backend ? `TensorFlow.js: ${backend}` : 'TensorFlow.js: not started'}
    </span>
  );
}

function Workspace({ editor }: { editor: Editor }) {
  const engineView = useEngine(pageEngine(editor.registry));
  const canvas = useRef<CanvasApi | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const pointer = useRef({ x: 0, y: 0 });
  const [search, setSearch] = useState<QuickSearchRequest | null>(null);
  const [menu, setMenu] = useState<MenuRequest | null>(null);
  const [openFigure, setOpenFigure] = useState<string | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const closeSearch = useCallback(() => setSearch(null), []);
  const closeMenu = useCallback(() => setMenu(null), []);

  const openFile = useCallback(
    async (file: File) => {
      try {
        editor.openText(await readGraphFile(file), file.name);
      } catch (error) {
        editor.showProblems(`${file.name} could not be opened`, [(error as Error).message]);
      }
    },
    [editor],
  );

  const view = useMemo<ViewActions>(
    () => ({
      fitView: () => canvas.current?.fitView(),
      openFileDialog: () => fileInput.current?.click(),
      quickSearch: (at) => setSearch({ screen: at ?? pointer.current }),
      download: (name, text) => download(name, text),
      downloadModel: (id) => {
        const output = pageEngine(editor.registry).output(id);
        const values = output?.kind === 'value' ? Object.entries(output.outputs) : [];
        const models = values.filter(
          (entry): entry is [string, RbmValue] => isValue(entry[1]) && entry[1].type === 'rbm',
        );
        if (!models.length) {
          editor.notify(`'${id}' has no model yet: it has not run`);
          return;
        }
        // the CLI's name for an id of letters, digits, '-' and '_'; any other character becomes '_'
        const stem = id.replace(/[^A-Za-z0-9_-]/g, '_');
        for (const [port, model] of models) download(`${stem}.${port}.npz`, rbmToNpz(model), 'application/zip');
        if (output?.kind === 'value' && !output.final) {
          editor.notify(`'${id}' is still training: the file holds its latest model`);
        }
      },
      share: async () => {
        const url = await shareUrl(editor);
        try {
          await navigator.clipboard.writeText(url);
          editor.notify('Share link copied to the clipboard');
        } catch {
          editor.notify('The clipboard refused the share link; copy it from here:', 'warning', [], url);
        }
      },
      copy: () => document.execCommand('copy'),
      paste: () =>
        navigator.clipboard?.readText().then(
          (text) => editor.paste(text),
          () => editor.notify('Paste with Ctrl+V: this browser does not let the page read the clipboard'),
        ),
      toggleShortcuts: () => setShowShortcuts((v) => !v),
      closeOverlay: () => {
        for (const [open, close] of [
          [menu, () => setMenu(null)],
          [search, () => setSearch(null)],
          [showShortcuts, () => setShowShortcuts(false)],
          [openFigure, () => setOpenFigure(null)],
        ] as const) {
          if (open) {
            close();
            return true;
          }
        }
        if (editor.getSnapshot().problems) return (editor.dismissProblems(), true);
        return false;
      },
      sizeOf: (id) => canvas.current?.sizeOf(id),
      toCanvas: (screen) => canvas.current?.toCanvas(screen) ?? screen,
    }),
    [editor, menu, search, showShortcuts, openFigure],
  );
  useCommandKeys(editor, view, pointer);

  const selection = useEditorState((s) => s.selection);
  const doc = useEditorState((s) => s.document);
  const selectedNode = selection.length === 1 ? doc.nodes.find((n) => n.id === selection[0]) : undefined;
  const graphText = useCallback(() => editor.serialize(), [editor]);
  return (
    <div className="app">
      <Topbar view={view}>
        <RunProgress engine={pageEngine(editor.registry)} />
        <BackendBadge view={engineView} />
      </Topbar>
      <input
        ref={fileInput}
        type="file"
        accept=".json,.png,application/json,image/png"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void openFile(file);
          e.target.value = '';
        }}
      />
      <ProblemsBanner />
      <BudgetBanner />
      <NoticeBar />
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      {menu && <ContextMenu menu={menu} view={view} onClose={closeMenu} />}
      {search && (
        <QuickSearch
          registry={editor.registry}
          at={search.screen}
          wire={search.wire}
          onClose={closeSearch}
          onPick={(type) => {
            const wire = search.wire && { ...search.wire, matchingPort: portFor(editor.registry, type, search.wire) };
            editor.addNode(type, view.toCanvas(search.screen), wire);
            setSearch(null);
          }}
        />
      )}
      {openFigure && (
        <OpenFigurePanel view={engineView} id={openFigure} graphText={graphText} onClose={() => setOpenFigure(null)} />
      )}
      <div className="workspace">
        <Palette
          registry={editor.registry}
          onAdd={(type) => {
            const box = document.querySelector('.canvas')!.getBoundingClientRect();
            editor.addNode(type, view.toCanvas({ x: box.left + box.width / 2, y: box.top + box.height / 2 }));
          }}
        />
        <ErrorBoundary what="The canvas" graphText={graphText}>
          <Canvas
            engineView={engineView}
            apiRef={canvas}
            onQuickSearch={setSearch}
            onContextMenu={setMenu}
            onOpenFigure={setOpenFigure}
            onOpenFile={openFile}
          />
        </ErrorBoundary>
        <LivePinnedDock view={engineView} graphText={graphText} onOpen={setOpenFigure} />
        <ErrorBoundary what="The inspector" graphText={graphText}>
          <Inspector
            key={`${selectedNode?.id}:${selectedNode?.label ?? ''}`}
            node={selectedNode}
            definition={selectedNode && !selectedNode.placeholder ? editor.registry.get(selectedNode.type) : undefined}
            onParams={(params, gesture) => selectedNode && editor.setParams(selectedNode.id, params, gesture)}
            onGestureEnd={() => editor.endGesture()}
            onLabel={(label) => selectedNode && editor.setLabel(selectedNode.id, label)}
            onChooseFiles={(files) =>
              selectedNode && void editor.importDataFiles(files, selectedNode.position, selectedNode.id)
            }
          />
        </ErrorBoundary>
      </div>
    </div>
  );
}

export function App({ editor }: { editor: Editor }) {
  return (
    <EditorContext.Provider value={editor}>
      <ErrorBoundary what="Blockspin" graphText={() => editor.serialize()}>
        <ReactFlowProvider>
          <Workspace editor={editor} />
        </ReactFlowProvider>
      </ErrorBoundary>
    </EditorContext.Provider>
  );
}
