import type { Task } from '../../src-shared/domain/task';
import type { AttemptContext, ReviewVerdict } from '../engine/lifecycle';
import { diffAttempt, type AttemptDiff } from '../workspace/diff';
import type { AttemptState } from './attempt-state';

/** What a reviewer is told besides the diff. */
export interface ReviewNotes {
  /** The attempt changed no file. */
  readonly emptyDiff: boolean;
  /** The task is marked as needing no file changes. */
  readonly expectsNoChanges: boolean;
}

/** Reviews a successful attempt's diff against the task's acceptance criteria (the manager does this). */
export type AttemptReviewer = (task: Task, diff: AttemptDiff, workerOutput: string, signal: AbortSignal, notes: ReviewNotes) => Promise<ReviewVerdict>;

/** What the review stage needs. */
export interface ReviewDeps {
  readonly projectDir: string;
  /** Null: review is off (`models.enable_opus_review` false). */
  readonly reviewer: AttemptReviewer | null;
  /** Tries of an unreachable reviewer before the work waits for a later review (default 3). */
  readonly reviewTries?: number;
  /** Pause between those tries (default 2 s, doubling). */
  readonly reviewRetryDelayMs?: number;
  /** Reviews that could not run in a row, across attempts (shared by the pipeline's attempts). */
  readonly outage?: ReviewOutage;
}

/**
 * Counts attempts in a row whose review could not run at all (every try failed); a review that runs
 * resets it. Once `limit` attempts have waited for an unreachable manager, the run stops instead of
 * every other task doing its work and waiting too — the work is kept for review either way.
 */
export class ReviewOutage {
  private unreviewed = 0;

  constructor(readonly limit = 2) {}

  /** A review ran (whatever its verdict). */
  reviewed(): void {
    this.unreviewed = 0;
  }

  /** A review could not run; true when that makes `limit` in a row. */
  failed(): boolean {
    this.unreviewed += 1;
    return this.unreviewed >= this.limit;
  }
}

/**
 * Stage 4, review: the manager judges the diff against the acceptance criteria (told when the diff
 * is empty). With review off, an attempt that changed nothing fails unless the task needs no changes.
 * A reviewer that cannot be reached is tried again; if it still cannot, the committed work is kept for
 * the next attempt to resume at this stage — it is never thrown away for the reviewer's sake — and
 * when that keeps happening (`ReviewOutage`) the run stops.
 */
export async function reviewAttempt(deps: ReviewDeps, task: Task, workerOutput: string, state: AttemptState, context: AttemptContext): Promise<ReviewVerdict> {
  const emptyDiff = state.workCommit === null;
  if (deps.reviewer === null) {
    if (emptyDiff && !task.expectsNoChanges) {
      return {
        retry: 'the attempt changed no file',
        feedback: 'Your previous attempt finished without changing any file, but this task needs changes. Make the changes the task asks for (and check them) before you finish.',
        exhausted: 'fail',
        immediate: true,
      };
    }
    return 'approve';
  }
  context.enterStage('review');
  const diff = await diffAttempt(deps.projectDir, { baseCommit: state.baseCommit, branch: state.branch });
  const tries = deps.reviewTries ?? 3;
  let delay = deps.reviewRetryDelayMs ?? 2_000;
  let lastError = '';
  for (let attempt = 1; attempt <= tries; attempt += 1) {
    context.signal.throwIfAborted();
    try {
      const verdict = await deps.reviewer(task, diff, workerOutput, context.signal, { emptyDiff, expectsNoChanges: task.expectsNoChanges });
      deps.outage?.reviewed();
      return verdict;
    } catch (error) {
      if (context.signal.aborted) throw error;
      lastError = error instanceof Error ? error.message : String(error);
      // No key, a refused key: every review would fail the same way, so the run stops once, saying why.
      if (typeof error === 'object' && error !== null && (error as { stopsRun?: unknown }).stopsRun === true) return { stopRun: `the review cannot run: ${lastError}`, resume: state.workCommit !== null };
      context.log('review', `The review could not run (try ${attempt} of ${tries}): ${lastError}`);
      if (attempt < tries) await sleep(delay, context.signal);
      delay *= 2;
    }
  }
  if (deps.outage?.failed() === true) {
    const kept = state.workCommit === null ? '' : '; the work is kept for review';
    return { stopRun: `the manager could not review ${deps.outage.limit} attempts in a row (${lastError})${kept}; run again once the manager can be reached`, resume: state.workCommit !== null };
  }
  if (state.workCommit === null) {
    return { retry: `the review could not run: ${lastError}`, feedback: '', exhausted: 'block' };
  }
  return {
    retry: `the review could not run: ${lastError}; the work is kept on ${state.branch} for a later review`,
    feedback: '',
    exhausted: 'block',
    resume: true,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
