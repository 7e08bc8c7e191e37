import { createAttemptWorktreeAt, removeAttemptWorktree } from './worktrees';

/** A checkout an attempt works in: a new branch at a base commit, isolated from the user's tree and other attempts. */
export interface AcquiredWorkspace {
  readonly path: string;
  readonly branch: string;
  readonly baseCommit: string;
  /** True when the checkout was made now (no warm ignored folders yet, so setup must run). */
  readonly created: boolean;
  /** What was done to get the checkout, for the attempt's log ("re-pointed pooled worktree slot-2"), if worth saying. */
  readonly note?: string;
  /** Opaque handle for `release` (a pool slot, say). */
  readonly handle?: unknown;
}

/**
 * Where attempts get their checkouts: a fresh `git worktree add` per attempt, or a pool of
 * worktrees re-pointed to each new branch. The caller commits or abandons the work before `release`;
 * the attempt's branch outlives the checkout.
 */
export interface AttemptWorkspaces {
  acquire(request: { readonly attemptId: string; readonly branch: string; readonly baseCommit: string }): Promise<AcquiredWorkspace>;
  /**
   * Gives the checkout back. Uncommitted changes are committed to the attempt's branch first (a
   * failed or stopped attempt's work is kept), unless `saveLeftovers` is false: the work was
   * committed already and what is left is the checks' output (and saving it would cost a scan of
   * the whole tree).
   */
  release(workspace: AcquiredWorkspace, options?: { readonly saveLeftovers?: boolean }): Promise<void>;
}

/** One new worktree per attempt under .orchestrator/worktrees, removed afterwards (its branch stays). */
export function freshWorktrees(projectDir: string): AttemptWorkspaces {
  return {
    async acquire(request) {
      const worktree = await createAttemptWorktreeAt(projectDir, request);
      return { path: worktree.path, branch: worktree.branch, baseCommit: worktree.baseCommit, created: true };
    },
    async release(workspace) {
      await removeAttemptWorktree(projectDir, { path: workspace.path, branch: workspace.branch });
    },
  };
}
