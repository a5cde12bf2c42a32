/** The problems banner (what could not be done, and why) and the notice line (what just happened). */
import { useEffect } from 'react';
import { useEditor, useEditorState } from './useEditor';

export function ProblemsBanner() {
  const editor = useEditor();
  const problems = useEditorState((s) => s.problems);
  if (!problems) return null;
  return (
    <div className="problems" role="alert">
      <strong>{problems.title}:</strong>
      <ul>
        {problems.lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
      <button onClick={() => editor.dismissProblems()}>Dismiss</button>
    </div>
  );
}

/** Stays while the graph needs more memory than the budget: nothing runs until an edit brings it under. */
export function BudgetBanner() {
  const overBudget = useEditorState((s) => s.overBudget);
  if (!overBudget) return null;
  return (
    <div className="problems budget" role="alert">
      <strong>The graph does not run:</strong> {overBudget}. Use fewer samples, sites or hidden units.
    </div>
  );
}

const INFO_MS = 5000;

export function NoticeBar() {
  const editor = useEditor();
  const notice = useEditorState((s) => s.notice);
  useEffect(() => {
    if (!notice || notice.tone !== 'info' || notice.actions.length) return;
    const timer = setTimeout(() => editor.getSnapshot().notice === notice && editor.dismissNotice(), INFO_MS);
    return () => clearTimeout(timer);
  }, [editor, notice]);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.tone}`} role="status">
      <span>{notice.text}</span>
      {notice.copyText !== undefined && (
        <input
          className="copy-text"
          readOnly
          aria-label="Link"
          value={notice.copyText}
          onFocus={(e) => e.target.select()}
        />
      )}
      {notice.actions.map((action) => (
        <button
          key={action.label}
          onClick={() => {
            action.run();
            if (editor.getSnapshot().notice === notice) editor.dismissNotice();
          }}
        >
          {action.label}
        </button>
      ))}
      <button className="dismiss" aria-label="Dismiss" onClick={() => editor.dismissNotice()}>
        ×
      </button>
    </div>
  );
}
