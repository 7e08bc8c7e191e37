import { useMemo } from 'react';
import { Diff, Hunk, parseDiff, type FileData } from 'react-diff-view';
import 'react-diff-view/style/index.css';

/** Files rendered before the rest hide behind a button: long diffs stay fast. */
const FIRST_FILES = 20;

/** A unified diff rendered file by file with react-diff-view; binary or unparsable parts fall back to plain text. */
export function DiffView({ patch, label }: { readonly patch: string; readonly label: string }) {
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
        <DiffFile key={`${file.oldPath}->${file.newPath}`} file={file} />
      ))}
      {files.length > FIRST_FILES ? <p className="muted">{files.length - FIRST_FILES} more files are not shown.</p> : null}
    </div>
  );
}

function DiffFile({ file }: { readonly file: FileData }) {
  const name = file.type === 'delete' ? file.oldPath : file.newPath;
  return (
    <details open className="review-file">
      <summary className="path">
        {name} <span className="badge">{file.type}</span>
      </summary>
      {file.hunks.length === 0 ? (
        <p className="muted">No text changes (binary or mode change).</p>
      ) : (
        <Diff viewType="unified" diffType={file.type} hunks={file.hunks}>
          {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
        </Diff>
      )}
    </details>
  );
}

function parsePatch(patch: string): FileData[] | null {
  try {
    return parseDiff(patch, { nearbySequences: 'zip' });
  } catch {
    return null;
  }
}
