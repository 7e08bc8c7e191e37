import type { Store } from '../store/store';
import { isAncestor, runGit } from '../workspace/git';
import { BRANCH_PREFIX, taskBranchPart, taskPartOfAttemptBranch } from '../workspace/worktrees';

/** Where the unmerged attempt branches of deleted tasks are kept, out of `git branch`'s listing. */
export const DELETED_TASKS_REF_PREFIX = 'refs/orchestrator/deleted-tasks/';

/** What a prune did. */
export interface BranchPrune {
  /** Branches of done tasks (their work is on the integration branch), deleted. */
  readonly deleted: ReadonlyArray<string>;
  /** Branches of deleted tasks: kept under DELETED_TASKS_REF_PREFIX when their work is not on the user's branch, else deleted. */
  readonly ofDeletedTasks: ReadonlyArray<string>;
}

/**
 * Deletes attempt branches whose task is resolved (done: its work is on the integration branch). Failed, blocked and waiting tasks keep their attempts' branches (the work stays
 * inspectable, and a resumed review needs it); branches of runs are left to the finish stage. Branches of tasks that no longer
 * exist leave `git branch` too: deleted when the user's branch holds their work, otherwise moved to
 * `refs/orchestrator/deleted-tasks/<branch>` (kept from gc; `git branch <name> <that ref>` brings one back).
 */
export async function pruneResolvedAttemptBranches(projectDir: string, store: Store): Promise<BranchPrune> {
  const listed = await runGit(projectDir, ['for-each-ref', '--format=%(refname:strip=2) %(objectname)', `refs/heads/${BRANCH_PREFIX}`]);
  const existing = new Map(listed.stdout.split('\n').filter((line) => /^orchestrator\/(task-|attempt-)/.test(line)).map((line) => line.split(' ') as [string, string]));
  if (existing.size === 0) return { deleted: [], ofDeletedTasks: [] };
  const keep = new Set<string>();
  const resolved = new Set<string>();
  const taskParts = new Set<string>();
  for (const task of store.tasks.list()) {
    taskParts.add(taskBranchPart(task.id));
    for (const attempt of store.attempts.listForTask(task.id)) {
      if (attempt.branch === null) continue;
      if (task.status === 'done' && attempt.status !== 'running') resolved.add(attempt.branch);
      else keep.add(attempt.branch);
    }
  }
  // Only branches a resolved task's attempts name: one no row names yet may be an attempt another process is starting.
  const deleted = [...existing.keys()].filter((branch) => resolved.has(branch) && !keep.has(branch));
  // ...unless its task is gone: no attempt of a task that does not exist can be starting.
  const ofDeletedTasks = [...existing.keys()].filter((branch) => {
    const part = taskPartOfAttemptBranch(branch);
    return part !== undefined && !taskParts.has(part) && !keep.has(branch) && !resolved.has(branch);
  });
  for (const branch of ofDeletedTasks) {
    const commit = existing.get(branch) as string;
    if (!(await isAncestor(projectDir, commit, 'HEAD').catch(() => false))) {
      await runGit(projectDir, ['update-ref', '-m', 'orchestrator: its task was deleted', `${DELETED_TASKS_REF_PREFIX}${branch}`, commit]);
    }
  }
  const doomed = [...deleted, ...ofDeletedTasks];
  for (let index = 0; index < doomed.length; index += 50) {
    await runGit(projectDir, ['branch', '-D', '-q', ...doomed.slice(index, index + 50)], { allowExitCodes: [1] });
  }
  return { deleted, ofDeletedTasks };
}
