import type { Store } from '../store/store';
import { runGit } from '../workspace/git';
import { BRANCH_PREFIX } from '../workspace/worktrees';

/**
 * Deletes attempt branches whose task is resolved (done: its work is on the integration branch). Failed, blocked and waiting tasks keep their attempts' branches (the work stays
 * inspectable, and a resumed review needs it); branches of runs are left to the finish stage.
 */
export async function pruneResolvedAttemptBranches(projectDir: string, store: Store): Promise<ReadonlyArray<string>> {
  const listed = await runGit(projectDir, ['for-each-ref', '--format=%(refname:strip=2)', `refs/heads/${BRANCH_PREFIX}`]);
  const existing = listed.stdout.split('\n').filter((branch) => /^orchestrator\/(task-|attempt-)/.test(branch));
  if (existing.length === 0) return [];
  const keep = new Set<string>();
  const resolved = new Set<string>();
  for (const task of store.tasks.list()) {
    for (const attempt of store.attempts.listForTask(task.id)) {
      if (attempt.branch === null) continue;
      if (task.status === 'done' && attempt.status !== 'running') resolved.add(attempt.branch);
      else keep.add(attempt.branch);
    }
  }
  // Only branches a resolved task's attempts name: one no row names yet may be an attempt another process is starting.
  const doomed = existing.filter((branch) => resolved.has(branch) && !keep.has(branch));
  for (let index = 0; index < doomed.length; index += 50) {
    await runGit(projectDir, ['branch', '-D', '-q', ...doomed.slice(index, index + 50)], { allowExitCodes: [1] });
  }
  return doomed;
}
