import { runGit } from './git';

/**
 * How the user's HEAD moved between a checkpoint and now. Rollback restores files (and tasks)
 * but never moves a branch, so commits made after the checkpoint stay on the branch; the
 * restored files then show those commits' changes undone, as uncommitted changes.
 */
export interface HeadMovement {
  /** HEAD is not the commit it was when the checkpoint was taken. */
  readonly moved: boolean;
  /** The branch HEAD is on now; null when HEAD is detached. */
  readonly branch: string | null;
  /** Commits on HEAD now that it did not have at the checkpoint (the run's merges, the user's own commits). */
  readonly commitsSinceCheckpoint: number;
  /** Commits HEAD had at the checkpoint and no longer has (a reset, a rebase or a switch of branch since). */
  readonly commitsNoLongerOnHead: number;
}

/** Compares HEAD at a checkpoint with HEAD now (`currentHead`, or read from the repository when not given). */
export async function headMovementSince(projectDir: string, checkpointHead: string | null, currentHead?: string | null): Promise<HeadMovement> {
  const [head, branch] = await Promise.all([currentHead === undefined ? resolveHead(projectDir) : Promise.resolve(currentHead), currentBranch(projectDir)]);
  if (head === checkpointHead) return { moved: false, branch, commitsSinceCheckpoint: 0, commitsNoLongerOnHead: 0 };
  if (head === null || checkpointHead === null) {
    // One side has no commits at all: everything on the other side is the difference.
    const only = head ?? checkpointHead;
    const count = only === null ? 0 : await countCommits(projectDir, [only]);
    return { moved: true, branch, commitsSinceCheckpoint: head === null ? 0 : count, commitsNoLongerOnHead: head === null ? count : 0 };
  }
  // "A...B" with --left-right --count: commits only in A, then commits only in B.
  const counts = await runGit(projectDir, ['rev-list', '--left-right', '--count', `${checkpointHead}...${head}`], { allowExitCodes: [128] });
  const [behind = 0, ahead = 0] = counts.exitCode === 0 ? counts.stdout.trim().split(/\s+/).map(Number) : [];
  return { moved: true, branch, commitsSinceCheckpoint: ahead, commitsNoLongerOnHead: behind };
}

async function resolveHead(projectDir: string): Promise<string | null> {
  const result = await runGit(projectDir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { allowExitCodes: [1, 128] });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

async function currentBranch(projectDir: string): Promise<string | null> {
  const result = await runGit(projectDir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowExitCodes: [1, 128] });
  const name = result.stdout.trim();
  return result.exitCode === 0 && name !== '' ? name : null;
}

async function countCommits(projectDir: string, tips: ReadonlyArray<string>): Promise<number> {
  const result = await runGit(projectDir, ['rev-list', '--count', ...tips], { allowExitCodes: [128] });
  return result.exitCode === 0 ? Number(result.stdout.trim()) : 0;
}
