import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { appRegistry } from '../../nodes/index';
import { startBrowserEditor } from '../editor/browser';
import { indexedDbFileStore } from '../editor/file-store';
import { browserBudget } from '../graph/budget';
import { App } from './App';
import { download } from './download';
import { examples } from './examples';
import { pageEngine } from './useEngine';

const root = createRoot(document.getElementById('root')!);
try {
  // Made once, outside React: the editor owns the document, its history and the tab's autosave.
  const registry = appRegistry();
  const memoryBudget = browserBudget((navigator as { deviceMemory?: number }).deviceMemory);
  // Dropped data files are kept in this browser's IndexedDB, by content; the engine reads them from there.
  const files = indexedDbFileStore();
  const runner = pageEngine(registry, memoryBudget, files);
  const editor = startBrowserEditor({ registry, examples, runner, memoryBudget, files });
  editor.downloadHook = download;
  root.render(
    <StrictMode>
      <App editor={editor} />
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <div className="crashed" role="alert">
      <strong>Blockspin could not start:</strong> <code>{(error as Error).message}</code>
    </div>,
  );
  console.error(error);
}
