import type { Task } from '../../src-shared/domain/task';
import type { AfterSuccessResult, AttemptContext } from '../engine/lifecycle';
import type { AttemptState } from './attempt-state';
import type { MergeQueue } from './merge-queue';

/**
 * Stage 5, integrate: the approved attempt joins the merge queue of its run's integration branch.
 * Merged (checks green on the new tip): the task is done. A conflict the manager could not resolve
 * gives the task a new attempt on the current tip with the conflict as feedback (blocked only once
 * retries are spent); a red tip gives it a new attempt with the failing check's output.
 */
export async function integrateAttempt(queue: MergeQueue, task: Task, state: AttemptState, context: AttemptContext): Promise<AfterSuccessResult> {
  const workCommit = state.workCommit;
  if (workCommit === null) return { verdict: 'approve', commitAfter: state.baseCommit };
  context.enterStage('integrate');
  const outcome = await queue.submit({
    runId: state.runId,
    integrationBranch: state.integrationBranch,
    task: { id: task.id, title: task.title, description: task.description },
    workCommit,
    attemptBase: state.baseCommit,
    verifiedInWorkspace: state.verified,
    signal: context.signal,
    isCurrent: context.isCurrent,
    log: (text) => context.log('integrate', text),
  });
  switch (outcome.status) {
    case 'merged':
      state.merged = true;
      context.log('integrate', `Merged into ${state.integrationBranch} (${outcome.commit.slice(0, 10)}).`);
      return { verdict: 'approve', commitAfter: outcome.commit, workCommit };
    case 'conflict':
      return {
        verdict: { retry: `merge conflict in ${outcome.files.join(', ')}`, feedback: outcome.feedback, exhausted: 'block', immediate: true },
        workCommit,
      };
    case 'red':
      return {
        verdict: { retry: `the check \`${outcome.failed.command}\` failed on the integration tip with this work merged (${outcome.failed.exit})`, feedback: outcome.feedback, exhausted: 'fail', immediate: true },
        workCommit,
      };
  }
}
