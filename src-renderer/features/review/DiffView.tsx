import { useMemo, useState, type ReactNode } from 'react';
import { computeNewLineNumber, Diff, getChangeKey, Hunk, parseDiff, type ChangeData, type FileData, type RenderGutter } from 'react-diff-view';
import 'react-diff-view/style/index.css';
import { lineLabel, type AttemptComment } from '../../../src-shared/domain/attempt-comment';
import { CommentForm } from './CommentForm';
import { diffFileName } from './diff-lines';
import type { NewLineComment } from './queries';

/** Files rendered before the rest hide behind a button: long diffs stay fast. */
const FIRST_FILES = 20;

/** Commenting on lines: the comments shown under their lines, and how to add one. */
export interface LineCommenting {
  readonly comments: ReadonlyArray<AttemptComment>;
  readonly add: (comment: NewLineComment) => Promise<unknown>;
}

/**
 * A unified diff rendered file by file with react-diff-view; binary or unparsable parts fall back to plain text.
 * With `commenting`, every line of the changed file is a button (its number) that opens a comment form under it;
 * Shift+click, or the form's "Through line", extends the comment to a range.
 */
export function DiffView({ patch, label, commenting }: { readonly patch: string; readonly label: string; readonly commenting?: LineCommenting }) {
  const files = useMemo(() => parsePatch(patch), [patch]);
  if (files === null) {
    return (
      <pre className="review-raw" aria-label={label} tabIndex={0}>
        {patch}
      </pre>
    );
  }
  return (
    <div className="review-diff" aria-label={label} role="region">
      {files.slice(0, FIRST_FILES).map((file) => (
        <DiffFile key={`${file.oldPath}->${file.newPath}`} file={file} commenting={commenting} />
      ))}
      {files.length > FIRST_FILES ? <p className="muted">{files.length - FIRST_FILES} more files are not shown.</p> : null}
    </div>
  );
}

/** The lines a comment being written covers. */
interface Draft {
  readonly start: number;
  readonly end: number;
}

function DiffFile({ file, commenting }: { readonly file: FileData; readonly commenting: LineCommenting | undefined }) {
  const name = diffFileName(file);
  const [draft, setDraft] = useState<Draft | null>(null);
  const byLine = useMemo(() => changesByNewLine(file), [file]);
  const select = (line: number, extend: boolean) =>
    setDraft((current) => (extend && current !== null ? { start: Math.min(current.start, line), end: Math.max(current.end, line) } : { start: line, end: line }));

  const renderGutter: RenderGutter = ({ change, side, renderDefault }) => {
    const line = computeNewLineNumber(change);
    if (commenting === undefined || side !== 'new' || line < 1) return renderDefault();
    return (
      <button type="button" className="diff-line-button" aria-label={`Comment on ${name} line ${line}`} onClick={(event) => select(line, event.shiftKey)}>
        {line}
      </button>
    );
  };

  const widgets: Record<string, ReactNode[]> = {};
  const place = (line: number, node: ReactNode) => {
    const change = byLine.get(line);
    if (change !== undefined) (widgets[getChangeKey(change)] ??= []).push(node);
  };
  for (const comment of commenting?.comments.filter((candidate) => candidate.file === name) ?? []) {
    place(
      comment.endLine,
      <p key={`comment-${comment.id}`} className="diff-comment">
        <strong>{lineLabel(comment)}:</strong> {comment.body}
      </p>,
    );
  }
  if (commenting !== undefined && draft !== null) {
    place(
      draft.end,
      <CommentForm
        key="draft"
        file={file}
        draft={draft}
        lastLine={Math.max(...byLine.keys())}
        onRangeChange={(end) => setDraft({ start: draft.start, end: Math.max(draft.start, end) })}
        onAdd={async (comment) => {
          await commenting.add(comment);
          setDraft(null);
        }}
        onCancel={() => setDraft(null)}
      />,
    );
  }
  const selected = draft === null ? [] : [...byLine.entries()].filter(([line]) => line >= draft.start && line <= draft.end).map(([, change]) => getChangeKey(change));

  return (
    <details open className="review-file">
      <summary className="path">
        {name} <span className="badge">{file.type}</span>
      </summary>
      {file.hunks.length === 0 ? (
        <p className="muted">No text changes (binary or mode change).</p>
      ) : (
        <Diff viewType="unified" diffType={file.type} hunks={file.hunks} renderGutter={renderGutter} widgets={widgets} selectedChanges={selected}>
          {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
        </Diff>
      )}
    </details>
  );
}

/** Each line of the file after the change that the diff shows, by its number. */
function changesByNewLine(file: FileData): ReadonlyMap<number, ChangeData> {
  const lines = new Map<number, ChangeData>();
  for (const hunk of file.hunks) {
    for (const change of hunk.changes) {
      const line = computeNewLineNumber(change);
      if (line >= 1) lines.set(line, change);
    }
  }
  return lines;
}

function parsePatch(patch: string): FileData[] | null {
  try {
    return parseDiff(patch, { nearbySequences: 'zip' });
  } catch {
    return null;
  }
}
