import type { AttemptStage } from '../../src-shared/domain/attempt';
import type { Task } from '../../src-shared/domain/task';
import type { AttemptOutcome } from './worker-backend';

/** Where an attempt works, as `prepare` decided (e.g. a pooled git worktree on a new branch). */
export interface PreparedWorkspace {
  readonly workingDirectory: string;
  readonly worktree?: string;
  readonly branch?: string;
  readonly commitBefore?: string;
  /**
   * The attempt resumes committed work of an earlier attempt (e.g. its review could not run):
   * the backend is not run again, this outcome stands for it and the pipeline goes on from review.
   */
  readonly resumedOutcome?: AttemptOutcome & { readonly status: 'succeeded' };
  /**
   * The lifecycle commits the attempt's work and reads the files it changed from that commit
   * (afterSuccess returns them): the backend need not scan the whole folder before and after.
   */
  readonly changesFromCommit?: boolean;
}

/** What the caller knows about the attempt in each hook. */
export interface AttemptContext {
  readonly attemptId: string;
  readonly attemptNumber: number;
  readonly runId: string | null;
  readonly signal: AbortSignal;
  /** True while this attempt still holds its task's lease (checked in the database): work is merged only then. */
  isCurrent(): boolean;
  /** Records the pipeline stage the attempt has reached (shown in the Run and Tasks views). */
  enterStage(stage: AttemptStage): void;
  /** Adds a line to the attempt's log (check output, merge notes). */
  log(kind: string, text: string): void;
}

/**
 * Verdict after a successful attempt:
 * - approve: keep it (it is integrated);
 * - requestChanges: the reviewer sent it back; a new attempt gets the feedback;
 * - retry: a stage found a problem the worker can fix (a failed check, a merge conflict, no changes):
 *   a new attempt gets `feedback`; once retries are spent the task ends `failed` or `blocked` as `exhausted` says;
 * - fail: the task fails for good; block: it stops until a user steps in;
 * - stopRun: the environment is broken for every task (e.g. no commits): the task goes back to ready and the run stops.
 */
export type ReviewVerdict =
  | 'approve'
  | { readonly requestChanges: string }
  | {
      readonly retry: string;
      readonly feedback: string;
      readonly exhausted: 'fail' | 'block';
      readonly immediate?: boolean;
      /** The attempt's committed work is kept for the next attempt to resume (its review could not run). */
      readonly resume?: boolean;
    }
  | { readonly fail: string }
  | { readonly block: string }
  | { readonly stopRun: string; readonly resume?: boolean };

/** Result of `afterSuccess`: the verdict plus workspace facts to store (the attempt's commit, the merged commit). */
export interface AfterSuccessResult {
  readonly verdict: ReviewVerdict;
  /** The integration commit that contains the work (after a merge). */
  readonly commitAfter?: string;
  /** The attempt's own commit on its branch. */
  readonly workCommit?: string;
  /** The files the attempt's commit created and modified (when the workspace said `changesFromCommit`). */
  readonly changedFiles?: ChangedFiles;
  /** False when nothing judged the work (review off): an approved attempt then records no verdict, not 'approve'. */
  readonly reviewed?: boolean;
}

/** Files an attempt changed, relative to its working directory. */
export interface ChangedFiles {
  readonly filesCreated: ReadonlyArray<string>;
  readonly filesModified: ReadonlyArray<string>;
}

/**
 * Hooks around each attempt — the run pipeline's stages: `prepare` (workspace), the backend
 * (execute), then `afterSuccess` (verify, review, integrate) and `cleanup`. The scheduler knows
 * nothing about git or the manager. A hook that throws fails the attempt as a recoverable error.
 */
export interface AttemptLifecycle {
  /** Before the backend runs: make the working directory. */
  prepare(task: Task, context: AttemptContext): Promise<PreparedWorkspace>;
  /** After a successful run: verify, review and integrate, with the task in 'review'. Absent = approve without a review step. */
  afterSuccess?(task: Task, outcome: AttemptOutcome & { readonly status: 'succeeded' }, context: AttemptContext): Promise<AfterSuccessResult>;
  /** After every attempt, whatever happened (give the workspace back, ...). Errors are logged, not fatal. */
  cleanup?(task: Task, outcome: AttemptOutcome, context: AttemptContext): Promise<void>;
}

/** Works in the project folder and approves every success without a review step. */
export function noOpLifecycle(workingDirectory: string): AttemptLifecycle {
  return { prepare: async () => ({ workingDirectory }) };
}
