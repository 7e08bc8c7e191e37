import type { Manager } from '../agents/manager';
import type { ReviewVerdict } from '../engine/lifecycle';
import type { AttemptReviewer } from './git-lifecycle';

/** Reviews attempts with the manager against each task's acceptance criteria. */
export function managerReviewer(manager: () => Manager): AttemptReviewer {
  return async (task, diff, workerOutput, signal): Promise<ReviewVerdict> => {
    const result = await manager().reviewAttempt(
      { task: { id: task.id, title: task.title, description: task.description, details: task.details }, acceptanceCriteria: task.acceptanceCriteria, diff: diff.patch, workerOutput },
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
