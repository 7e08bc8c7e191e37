import type { RollbackPreview } from './queries';

type Report = Pick<RollbackPreview, 'unrevertedFiles' | 'notes'>;

/**
 * SELECTIVE's own report: tasks it cannot undo from their commits (and what it does instead),
 * and files it leaves exactly as they are because undoing the task there would overwrite later
 * edits, each with the task's hunks and the git command that shows the change to undo by hand.
 */
export function SelectiveReport({ report, tense }: { readonly report: Report; readonly tense: 'preview' | 'done' }) {
  if (report.notes.length === 0 && report.unrevertedFiles.length === 0) return null;
  return (
    <div className="cp-selective">
      {report.notes.map((note) => (
        <p key={note} role="note" className="notice">
          {note}
        </p>
      ))}
      {report.unrevertedFiles.length > 0 ? (
        <>
          <h4>{tense === 'preview' ? 'Left as they are' : 'Not undone'} ({report.unrevertedFiles.length})</h4>
          <p className="muted">Undoing the task here would overwrite edits made since, so each of these files {tense === 'preview' ? 'will be' : 'was'} left exactly as it is.</p>
          <ul aria-label="Files not undone" className="cp-list">
            {report.unrevertedFiles.map((file) => (
              <li key={`${file.taskId}:${file.path}`}>
                <span className="path">{file.path}</span> (task <span className="task-id">{file.taskId}</span>): {file.reason}
                {file.hunks.length > 0 ? <> — hunks {file.hunks.map((hunk) => <code key={hunk}>{hunk} </code>)}</> : null}
                <br />
                <span className="muted">
                  See the task’s change: <code>{file.showCommand}</code>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
