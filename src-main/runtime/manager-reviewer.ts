import type { Manager } from '../agents/manager';
import type { ReviewVerdict } from '../engine/lifecycle';
import type { ConflictResolver } from '../pipeline/conflict-resolver';
import type { AttemptReviewer, ReviewNotes } from '../pipeline/stage-review';

/** Reviews attempts with the manager against each task's acceptance criteria. */
export function managerReviewer(manager: () => Manager): AttemptReviewer {
  return async (task, diff, workerOutput, signal, notes): Promise<ReviewVerdict> => {
    const note = reviewNote(notes);
    const result = await manager().reviewAttempt(
      {
        task: { id: task.id, title: task.title, description: task.description, details: task.details },
        acceptanceCriteria: task.acceptanceCriteria,
        diff: diff.patch,
        workerOutput,
        ...(note === null ? {} : { notes: note }),
      },
      { signal },
    );
    switch (result.verdict) {
      case 'approve':
        return 'approve';
      case 'request_changes':
        return { requestChanges: result.feedback };
      case 'fail':
        return { fail: result.reason };
    }
  };
}

/** Lets the manager resolve merge conflicts in the merge queue. */
export function managerResolver(manager: () => Manager): ConflictResolver {
  return async (input, signal) => {
    const answer = await manager().resolveConflict({ task: input.task, files: input.files.map((file) => ({ path: file.path, content: file.content })) }, { signal });
    return 'resolved' in answer ? { resolved: answer.resolved } : { unresolved: answer.unresolved };
  };
}

function reviewNote(notes: ReviewNotes): string | null {
  if (!notes.emptyDiff) return null;
  return notes.expectsNoChanges
    ? 'The attempt changed no file. This task is marked as needing no file changes: judge it on its output.'
    : 'The diff is empty: the attempt changed no file. This task is not marked as needing no changes, so approve only if the work it asks for is already present.';
}
