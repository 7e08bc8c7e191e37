import type { Task } from '../../src-shared/domain/task';
import type { AttemptOutcome } from './worker-backend';

/** Where an attempt works, as `prepare` decided (e.g. a fresh git worktree). */
export interface PreparedWorkspace {
  readonly workingDirectory: string;
  readonly worktree?: string;
  readonly branch?: string;
  readonly commitBefore?: string;
}

/** What the caller knows about the attempt in each hook. */
export interface AttemptContext {
  readonly attemptId: string;
  readonly attemptNumber: number;
  readonly runId: string | null;
  readonly signal: AbortSignal;
}

/**
 * Verdict after a successful attempt: keep it; send it back with feedback (a new attempt);
 * fail the task; or block it (e.g. a merge conflict, the files named) until a user steps in.
 */
export type ReviewVerdict = 'approve' | { readonly requestChanges: string } | { readonly fail: string } | { readonly block: string };

/** Result of `afterSuccess`: the verdict plus workspace facts to store (e.g. the merged commit). */
export interface AfterSuccessResult {
  readonly verdict: ReviewVerdict;
  readonly commitAfter?: string;
}

/**
 * Hooks around each attempt, so git worktrees (prepare), manager review and integration
 * (afterSuccess) and cleanup slot in without touching the scheduler. A hook that throws fails the
 * attempt as a recoverable error with the hook's message.
 */
export interface AttemptLifecycle {
  /** Before the backend runs: make the working directory. */
  prepare(task: Task, context: AttemptContext): Promise<PreparedWorkspace>;
  /** After a successful run: review and integrate, with the task in 'review'. Absent = approve without a review step. */
  afterSuccess?(task: Task, outcome: AttemptOutcome & { readonly status: 'succeeded' }, context: AttemptContext): Promise<AfterSuccessResult>;
  /** After every attempt, whatever happened (remove a worktree, ...). Errors are logged, not fatal. */
  cleanup?(task: Task, outcome: AttemptOutcome, context: AttemptContext): Promise<void>;
}

/** Works in the project folder and approves every success without a review step. */
export function noOpLifecycle(workingDirectory: string): AttemptLifecycle {
  return { prepare: async () => ({ workingDirectory }) };
}
