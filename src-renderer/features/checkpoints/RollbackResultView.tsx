import type { RollbackResult } from './queries';

/** What a rollback did, and the checkpoint that undoes it. */
export function RollbackResultView({ result, onSelectUndo }: { readonly result: RollbackResult; readonly onSelectUndo: () => void }) {
  return (
    <section role="status" aria-label="Rollback result" className="cp-result">
      <p>
        <strong>Rolled back.</strong> {result.restoredFiles.length} file{result.restoredFiles.length === 1 ? '' : 's'} restored, {result.deletedFiles.length} deleted
        {result.tasksRestored > 0 ? `, ${result.tasksRestored} tasks restored from the checkpoint` : ''}
        {result.tasksResetToPending.length > 0 ? `, tasks ${result.tasksResetToPending.join(', ')} back to pending` : ''}.
      </p>
      <p>
        Undo with checkpoint <span className="task-id">{result.safetyCheckpointId}</span>{' '}
        <button type="button" className="link" onClick={onSelectUndo}>
          Open undo checkpoint
        </button>
      </p>
    </section>
  );
}
