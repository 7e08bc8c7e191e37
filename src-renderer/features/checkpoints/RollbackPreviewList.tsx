import type { RollbackPreview } from './queries';
import { describeHeadMovement } from './RollbackResultView';
import { SelectiveReport } from './SelectiveReport';

const CHANGE_LABEL = { restore: 'restored', delete: 'deleted', create: 'recreated' } as const;

/** The files and task states a rollback would change, before the user confirms. */
export function RollbackPreviewList({ preview }: { readonly preview: RollbackPreview }) {
  const head = describeHeadMovement(preview, 'preview');
  return (
    <section aria-label="Rollback preview" className="cp-preview">
      {head !== null ? (
        // A note, not a bare paragraph: ARIA forbids naming a paragraph, and a screen reader may read such a name instead of the text.
        <p role="note" className="notice" aria-label="Commits since the checkpoint">
          {head}
        </p>
      ) : null}
      <SelectiveReport report={preview} tense="preview" />
      <h4>Files ({preview.files.length})</h4>
      {preview.files.length === 0 ? (
        <p className="muted">No file changes.</p>
      ) : (
        <ul aria-label="Files that change" className="cp-list">
          {preview.files.map((file) => (
            <li key={file.path}>
              <span className={`cp-change cp-change-${file.change}`}>{CHANGE_LABEL[file.change]}</span> <span className="path">{file.path}</span>
            </li>
          ))}
        </ul>
      )}
      <h4>Tasks ({preview.tasks.length})</h4>
      {preview.tasks.length === 0 ? (
        <p className="muted">No task changes its state.</p>
      ) : (
        <ul aria-label="Tasks that change" className="cp-list">
          {preview.tasks.map((task) => (
            <li key={task.id}>
              <span className="task-id">{task.id}</span> {task.title}: {task.from} → <strong>{task.to}</strong>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
