import type { Task } from '../../src-shared/domain/task';
import type { AfterSuccessResult, AttemptContext, AttemptLifecycle, PreparedWorkspace, ReviewVerdict } from '../engine/lifecycle';
import type { AttemptOutcome } from '../engine/worker-backend';
import { diffAttempt, type AttemptDiff } from '../workspace/diff';
import { mergeAttemptBranch } from '../workspace/merge';
import {
  commitAllChanges,
  createAttemptWorktree,
  ensureIntegrationBranch,
  integrationBranchName,
  removeAttemptWorktree,
  taskCommitMessage,
  type AttemptWorktree,
} from '../workspace/worktrees';

/** Reviews a successful attempt's diff against the task's acceptance criteria (the manager does this). */
export type AttemptReviewer = (task: Task, diff: AttemptDiff, workerOutput: string, signal: AbortSignal) => Promise<ReviewVerdict>;

/** Options of the git lifecycle. */
export interface GitLifecycleOptions {
  readonly projectDir: string;
  /** Prefix of each task's commit message (the seeds' git.commit_message_prefix). */
  readonly commitMessagePrefix: string;
  /** Null: approve every success without a review. */
  readonly reviewer: AttemptReviewer | null;
}

/**
 * Isolates every attempt in its own git worktree and branch, made from the run's integration
 * branch (so it sees its dependencies' merged work); after success, commits, optionally has
 * the manager review the diff, and merges approved work back into the integration branch.
 * The user's working tree, index and branch are untouched throughout.
 */
export function gitLifecycle(options: GitLifecycleOptions): AttemptLifecycle {
  const worktrees = new Map<string, AttemptWorktree>();
  const branchOf = (runId: string | null): string => integrationBranchName(runId ?? 'adhoc');

  return {
    async prepare(_task: Task, context: AttemptContext): Promise<PreparedWorkspace> {
      const integration = await ensureIntegrationBranch(options.projectDir, { runId: context.runId ?? 'adhoc' });
      const worktree = await createAttemptWorktree(options.projectDir, { attemptId: context.attemptId, integrationBranch: integration.branch });
      worktrees.set(context.attemptId, worktree);
      return { workingDirectory: worktree.path, worktree: worktree.path, branch: worktree.branch, commitBefore: worktree.baseCommit };
    },

    async afterSuccess(task, outcome, context): Promise<AfterSuccessResult> {
      const worktree = worktrees.get(context.attemptId);
      if (worktree === undefined) throw new Error(`No worktree is recorded for attempt ${context.attemptId}.`);
      const committed = await commitAllChanges(worktree.path, taskCommitMessage(options.commitMessagePrefix, task));
      if (committed === null) return { verdict: 'approve', commitAfter: worktree.baseCommit };
      if (options.reviewer !== null) {
        const diff = await diffAttempt(options.projectDir, { baseCommit: worktree.baseCommit, branch: worktree.branch, worktreePath: worktree.path });
        const verdict = await options.reviewer(task, diff, outcome.output, context.signal);
        if (verdict !== 'approve') return { verdict, commitAfter: committed };
      }
      const merged = await mergeAttemptBranch(options.projectDir, {
        integrationBranch: branchOf(context.runId),
        attemptBranch: worktree.branch,
        message: `Merge task ${task.id}: ${task.title}\n`,
      });
      switch (merged.status) {
        case 'merged':
        case 'up-to-date':
          return { verdict: 'approve', commitAfter: merged.commit };
        case 'conflict':
          return {
            verdict: {
              block: `Merge conflict in ${merged.conflictingFiles.join(', ')}. The work is kept on branch ${worktree.branch}; resolve it there (or re-run the task) and set the task back to pending.`,
            },
            commitAfter: committed,
          };
        case 'blocked-by-local-changes':
          return { verdict: { block: `Local changes in ${merged.files.join(', ')} are in the way of the merge; commit or stash them.` }, commitAfter: committed };
      }
    },

    async cleanup(_task: Task, _outcome: AttemptOutcome, context: AttemptContext): Promise<void> {
      const worktree = worktrees.get(context.attemptId);
      if (worktree === undefined) return;
      worktrees.delete(context.attemptId);
      await removeAttemptWorktree(options.projectDir, worktree);
    },
  };
}
