/**
 * The kinds of feedback a run produces (seed 003's FeedbackCollector): review verdicts, failed
 * checks, merge conflicts, other failed or interrupted attempts (with their error class), rate-limit
 * pauses, the final review's unmet criteria, and what the user did by hand.
 */
export const FEEDBACK_KINDS = ['review', 'check', 'conflict', 'error', 'rate_limit', 'final_review', 'user_verdict', 'user_edit', 'rollback'] as const;

/** One of FEEDBACK_KINDS. */
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** One structured feedback signal, tied to what produced it. */
export interface FeedbackEntry {
  readonly id: number;
  readonly runId: string | null;
  readonly taskId: string | null;
  readonly attemptId: string | null;
  /** The worker model of the attempt, when the signal is about one. */
  readonly model: string | null;
  readonly kind: FeedbackKind;
  /** What groups recurring signals: the check's command, the error's shape, the verdict, … */
  readonly cause: string;
  /** The signal in words: the check's failing line, the review's feedback, the error message (redacted). */
  readonly detail: string;
  /** Files involved: the attempt's changed files, a conflict's files. */
  readonly files: ReadonlyArray<string>;
  readonly errorClass: string | null;
  readonly createdAt: number;
}

/** A feedback signal before it is stored. */
export type NewFeedback = Omit<FeedbackEntry, 'id'>;

/** A lesson for later workers and the manager, derived from recurring feedback (or written by the user). */
export interface Lesson {
  readonly id: number;
  /** What it was derived from (e.g. `check:npm test`); one lesson per key, so lessons are never duplicated. */
  readonly key: string;
  readonly text: string;
  /** Where it came from: how many signals, which tasks and runs. */
  readonly source: string;
  /** Files it is about (a conflict's file); empty for project-wide lessons. */
  readonly files: ReadonlyArray<string>;
  readonly occurrences: number;
  /** The user changed the text: later derivations keep it. */
  readonly edited: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A lesson as a worker's prompt carries it. */
export interface WorkerLesson {
  readonly text: string;
  readonly source: string;
}
