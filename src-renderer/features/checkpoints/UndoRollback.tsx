import { useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useRollback } from './queries';

/**
 * "Undo rollback": a FULL rollback to the rollback's safety checkpoint, which puts back every
 * file and task (tasks the rollback removed included) as they were just before it. Asks first,
 * with focus on the question; Escape or Cancel goes back to the button.
 */
export function UndoRollback({ project, safetyCheckpointId }: { readonly project: string; readonly safetyCheckpointId: string }) {
  const undo = useRollback(project);
  const [confirming, setConfirming] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const question = useRef<HTMLDivElement>(null);
  const confirm = (on: boolean) => {
    flushSync(() => setConfirming(on));
    (on ? question.current : button.current)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    confirm(false);
  };
  if (undo.isSuccess) {
    return (
      <p role="status" className="cp-undone">
        Rollback undone: files and tasks are back as they were just before it. That undo can itself be undone from the newest checkpoint (
        <span className="task-id">{undo.data.safetyCheckpointId}</span>).
      </p>
    );
  }
  return (
    <div className="cp-undo">
      {confirming ? (
        <div role="group" aria-label="Confirm undo" tabIndex={-1} ref={question} onKeyDown={onKeyDown} className="confirm">
          <p>Put every file and task back as it was just before this rollback? Tasks the rollback removed come back too.</p>
          <div className="row">
            <button
              type="button"
              className="danger"
              aria-disabled={undo.isPending}
              onClick={() => {
                if (!undo.isPending) undo.mutate({ id: safetyCheckpointId, strategy: 'FULL' });
              }}
            >
              {undo.isPending ? 'Undoing…' : 'Confirm undo'}
            </button>
            <button type="button" onClick={() => confirm(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" ref={button} onClick={() => confirm(true)}>
          Undo rollback
        </button>
      )}
      {undo.isError ? <ErrorMessage error={undo.error} /> : null}
    </div>
  );
}
