/**
 * The editor in a browser page: its storage (when the page may use it), tab identity across reloads,
 * and share links, which are consumed once: read, removed from the URL, and opened as an undoable step.
 */
import type { NodeRegistry } from '../graph/registry';
import { claimTabId, holdTabId, releaseTabId } from './autosave';
import { Editor, type Example, type GraphRunner } from './editor';
import type { DataFileStore } from './file-store';
import { probeStore } from './storage';

export const SHARE_PREFIX = '#graph=';

export function startBrowserEditor(options: {
  registry: NodeRegistry;
  examples: readonly Example[];
  runner?: GraphRunner;
  memoryBudget?: number;
  files?: DataFileStore;
}): Editor {
  const storage = probeStore(() => window.localStorage);
  const session = probeStore(() => window.sessionStorage);
  const tab = claimTabId(session);
  const search = window.location.search;
  const editor = new Editor({ ...options, storage, session, tab, search });
  // `?example=` is consumed like a share link: a reload after editing must show the edits, not the example.
  const query = new URLSearchParams(search);
  if (query.has('example')) {
    query.delete('example');
    const rest = query.toString();
    window.history.replaceState(
      window.history.state,
      '',
      window.location.pathname + (rest ? `?${rest}` : '') + window.location.hash,
    );
  }
  window.addEventListener('pagehide', () => releaseTabId(session, editor.tabId));
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) holdTabId(session);
  });
  const consumeShareLink = () => {
    const hash = window.location.hash;
    if (!hash.startsWith(SHARE_PREFIX)) return;
    // Removed before it is read: a reload after this never opens the link over newer work.
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    void editor.openShareFragment(hash);
  };
  consumeShareLink();
  window.addEventListener('hashchange', consumeShareLink);
  return editor;
}

/** The share URL of the editor's document (not put in the address bar: reloading must not re-open it). */
export async function shareUrl(editor: Editor): Promise<string> {
  return `${window.location.origin}${window.location.pathname}${await editor.shareFragment()}`;
}
