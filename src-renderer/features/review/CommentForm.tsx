import { useId, useState } from 'react';
import type { FileData } from 'react-diff-view';
import { lineLabel, MAX_COMMENT_CODE_CHARS } from '../../../src-shared/domain/attempt-comment';
import { ErrorMessage } from '../../app/ErrorMessage';
import { codeOfLines, diffFileName } from './diff-lines';
import type { NewLineComment } from './queries';

interface CommentFormProps {
  readonly file: FileData;
  readonly draft: { readonly start: number; readonly end: number };
  /** The highest line number the diff shows for this file. */
  readonly lastLine: number;
  readonly onRangeChange: (end: number) => void;
  readonly onAdd: (comment: NewLineComment) => Promise<void>;
  readonly onCancel: () => void;
}

/** The form under a diff line: the comment, and how far down the range goes. Escape cancels. */
export function CommentForm({ file, draft, lastLine, onRangeChange, onAdd, onCancel }: CommentFormProps) {
  const id = useId();
  const name = diffFileName(file);
  const [body, setBody] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    if (saving || body.trim() === '') return;
    setSaving(true);
    try {
      await onAdd({ file: name, startLine: draft.start, endLine: draft.end, code: codeOfLines(file, draft.start, draft.end).slice(0, MAX_COMMENT_CODE_CHARS), body: body.trim() });
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
      setSaving(false);
    }
  };
  return (
    <form
      className="diff-comment-form"
      aria-label={`New comment on ${name} ${lineLabel({ startLine: draft.start, endLine: draft.end })}`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <label htmlFor={`${id}-body`}>
        Your comment on {name} {lineLabel({ startLine: draft.start, endLine: draft.end })}
      </label>
      {/* Opened by the user's own click on a line: the comment box takes the focus, as in a code review. */}
      <textarea id={`${id}-body`} rows={2} maxLength={10_000} autoFocus value={body} onChange={(event) => setBody(event.target.value)} />
      <div className="row wrap">
        <label htmlFor={`${id}-end`}>Through line</label>
        <input id={`${id}-end`} type="number" min={draft.start} max={lastLine} value={draft.end} onChange={(event) => onRangeChange(Number(event.target.value) || draft.start)} />
        <button type="submit" className="primary" disabled={body.trim() === ''} aria-disabled={saving}>
          Add comment
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error !== null ? <ErrorMessage error={error} /> : null}
    </form>
  );
}
