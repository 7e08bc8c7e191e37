import type { Attempt } from '../../src-shared/domain/attempt';
import type { AcquiredWorkspace } from '../workspace/attempt-workspaces';
import { gitText, resolveCommit, runGit } from '../workspace/git';
import { worktreePool } from '../workspace/worktree-pool';
import { commitAllChanges, taskAttemptBranchName } from '../workspace/worktrees';

/** A pool slot checked out for a person to work in, on a branch of its own. */
export interface TakeoverWorkspace {
  readonly workspace: AcquiredWorkspace;
  /** The commit the slot started from: the attempt's work as it left it. */
  readonly baseCommit: string;
  /** What a review of the person's work compares against (see `reviewBaseOf`). */
  readonly reviewBase: string;
}

/**
 * Checks an attempt's work out into a slot of the worktree pool, on a new branch named like an
 * attempt's (`orchestrator/task-<id>-attempt-<n>-<id>`), for a person to take over. The attempt's
 * own slot may have been given to a later attempt since, so the work is taken from git, not from
 * its folder: the attempt's branch when it still exists (a failed attempt's holds its uncommitted
 * work too: a slot commits it when given back), else its recorded commit, else where it started.
 */
export async function checkOutForTakeover(projectDir: string, attempt: Attempt, takeover: { readonly attemptId: string; readonly number: number }): Promise<TakeoverWorkspace> {
  const base = await attemptTip(projectDir, attempt);
  if (base === null) {
    throw new Error(`Attempt ${attempt.number} of task ${attempt.taskId} left no commit to start from (its branch and commits are gone). Start a new attempt instead.`);
  }
  const branch = taskAttemptBranchName(attempt.taskId, takeover.number, takeover.attemptId);
  const workspace = await worktreePool(projectDir).acquire({ attemptId: takeover.attemptId, branch, baseCommit: base });
  return { workspace, baseCommit: base, reviewBase: reviewBaseOf(attempt, base) };
}

/**
 * Where the review of a person's work starts: for an attempt whose work was merged, the person's
 * own changes on top of it; for one whose work never was (failed, blocked), everything since the
 * attempt started, since all of it goes to review and merge together.
 */
function reviewBaseOf(attempt: Attempt, base: string): string {
  if (attempt.status === 'succeeded') return base;
  return attempt.commitBefore ?? base;
}

async function attemptTip(projectDir: string, attempt: Attempt): Promise<string | null> {
  if (attempt.branch !== null) {
    const tip = await resolveCommit(projectDir, `refs/heads/${attempt.branch}`);
    if (tip !== null) return tip;
  }
  for (const commit of [attempt.workCommit, attempt.commitBefore]) {
    if (commit === null) continue;
    const found = await resolveCommit(projectDir, commit);
    if (found !== null) return found;
  }
  return null;
}

/** Commits what the person left uncommitted; returns the slot's HEAD (their own commits included). */
export async function commitTakeoverWork(takeover: TakeoverWorkspace, message: string): Promise<string> {
  await commitAllChanges(takeover.workspace.path, message);
  return gitText(takeover.workspace.path, ['rev-parse', 'HEAD']);
}

/** Throws the person's changes away: the slot back at its base, the takeover branch deleted. */
export async function discardTakeoverWork(projectDir: string, takeover: TakeoverWorkspace): Promise<void> {
  const folder = takeover.workspace.path;
  await runGit(folder, ['reset', '-q', '--hard', takeover.baseCommit], { allowExitCodes: [128] });
  await runGit(folder, ['clean', '-q', '-ffd'], { allowExitCodes: [1, 128] });
  await runGit(folder, ['update-ref', '--no-deref', '-m', 'orchestrator: takeover discarded', 'HEAD', takeover.baseCommit]);
  await deleteTakeoverBranch(projectDir, takeover);
}

/** Deletes the takeover branch (HEAD of a given-back slot is detached, so it may go). */
export async function deleteTakeoverBranch(projectDir: string, takeover: TakeoverWorkspace): Promise<void> {
  await runGit(projectDir, ['branch', '-q', '-D', takeover.workspace.branch], { allowExitCodes: [1] });
}

/** Gives the slot back to the pool (uncommitted work is committed to the takeover branch first, as for any attempt). */
export async function releaseTakeoverWorkspace(projectDir: string, takeover: TakeoverWorkspace): Promise<void> {
  await worktreePool(projectDir).release(takeover.workspace);
}
