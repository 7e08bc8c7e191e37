import type { RollbackPreview, RollbackResult } from './queries';
import { SelectiveReport } from './SelectiveReport';
import { UndoRollback } from './UndoRollback';

/** What a rollback did, what it left alone, and the button that undoes it. */
export function RollbackResultView({ project, result, onSelectUndo }: { readonly project: string; readonly result: RollbackResult; readonly onSelectUndo: () => void }) {
  const head = describeHeadMovement(result, 'done');
  const kept = result.keptIgnoredFiles;
  return (
    <section role="status" aria-label="Rollback result" className="cp-result">
      <p>
        <strong>Rolled back.</strong> {result.restoredFiles.length} file{result.restoredFiles.length === 1 ? '' : 's'} restored, {result.deletedFiles.length} deleted
        {result.tasksRestored > 0 ? `, ${result.tasksRestored} tasks restored from the checkpoint` : ''}
        {result.tasksResetToPending.length > 0 ? `, tasks ${result.tasksResetToPending.join(', ')} back to pending` : ''}.
      </p>
      {kept.length > 0 ? (
        <p className="muted">
          Left in place, because .gitignore ignores them and the checkpoint never recorded them: {kept.join(', ')}.
        </p>
      ) : null}
      <SelectiveReport report={result} tense="done" />
      {head !== null ? <p role="note" aria-label="Branch after rollback">{head}</p> : null}
      <p>
        Undo with checkpoint <span className="task-id">{result.safetyCheckpointId}</span> (everything this rollback changed is in it){' '}
        <button type="button" className="link" onClick={onSelectUndo}>
          Open undo checkpoint
        </button>
      </p>
      <UndoRollback project={project} safetyCheckpointId={result.safetyCheckpointId} />
    </section>
  );
}

type HeadInfo = Pick<RollbackPreview, 'headMovedSinceCheckpoint' | 'headMovement'>;

/**
 * How the user's branch moved since the checkpoint, in plain words; null when it has not.
 * Rollback never moves a branch, so the point to make is that commits made since stay on it
 * while the files go back, which `git status` then shows as their changes undone.
 */
export function describeHeadMovement(info: HeadInfo, tense: 'preview' | 'done'): string | null {
  if (!info.headMovedSinceCheckpoint) return null;
  const { branch, commitsSinceCheckpoint: since, commitsNoLongerOnHead: lost } = info.headMovement;
  const where = branch === null ? 'your detached HEAD' : branch;
  const owner = branch === null ? 'Your detached HEAD' : `Your branch ${branch}`;
  const sentences: string[] = [];
  if (since > 0) {
    const commits = `${since} commit${since === 1 ? '' : 's'}`;
    sentences.push(
      tense === 'preview'
        ? `${owner} has ${commits} made after this checkpoint. Rolling back keeps ${since === 1 ? 'it' : 'them'} on ${where} but puts the files back as they were at the checkpoint, so git will show ${since === 1 ? 'its' : 'their'} changes undone as uncommitted changes.`
        : `${owner} had ${commits} after this checkpoint. ${since === 1 ? 'It is' : 'They are'} still on ${where} (rollback never moves branches), but the files are back as they were at the checkpoint, so git shows ${since === 1 ? 'its' : 'their'} changes undone as uncommitted changes.`,
    );
  }
  if (lost > 0) {
    sentences.push(
      `${lost} commit${lost === 1 ? '' : 's'} ${lost === 1 ? 'that was' : 'that were'} on ${where} at the checkpoint ${lost === 1 ? 'is' : 'are'} no longer on it (a reset, rebase or branch switch since); rollback restores files only and does not bring ${lost === 1 ? 'it' : 'them'} back.`,
    );
  }
  if (sentences.length === 0) sentences.push(`${owner} points at a different commit than when this checkpoint was taken; rollback restores files only and leaves the branch where it is.`);
  return sentences.join(' ');
}
