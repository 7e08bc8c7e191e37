import type { Run } from '../../src-shared/domain/run';
import { resolveCommit } from '../workspace/git';
import { mergeIntoCurrentBranch } from '../workspace/merge';
import { integrationBranchName } from '../workspace/worktrees';

/**
 * Brings a finished run's integration branch (all approved, merged work) into the user's
 * current branch. Never loses work: on a conflict or local changes in the way, the branch is
 * kept and the lines returned say how to merge it by hand.
 */
export async function integrateRun(projectDir: string, run: Run): Promise<ReadonlyArray<string>> {
  const branch = integrationBranchName(run.id);
  if ((await resolveCommit(projectDir, `refs/heads/${branch}`)) === null) return [];
  try {
    const merged = await mergeIntoCurrentBranch(projectDir, { sourceBranch: branch, message: `Merge orchestrator run ${run.id}\n` });
    switch (merged.status) {
      case 'merged':
        return [`Merged the run's approved work into your current branch (${merged.commit.slice(0, 10)}).`];
      case 'up-to-date':
        return [];
      case 'conflict':
        return [`The run's work conflicts with your branch in ${merged.conflictingFiles.join(', ')}; it is kept on branch ${branch}. Merge it with \`git merge ${branch}\` and resolve.`];
      case 'blocked-by-local-changes':
        return [`Your uncommitted changes in ${merged.files.join(', ')} are in the way; the run's work is kept on branch ${branch}. Commit or stash, then \`git merge ${branch}\`.`];
    }
  } catch (error) {
    return [`The run's work is kept on branch ${branch}; merging it into your branch failed: ${error instanceof Error ? error.message : String(error)}`];
  }
}
