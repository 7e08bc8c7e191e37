import type { ErrorClass } from './error-class';
import type { Usage } from './usage';

/** How an attempt stands; 'interrupted' means its worker died or lost its lease. */
export const ATTEMPT_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;

/** One of ATTEMPT_STATUSES. */
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** The stages of the run pipeline an attempt goes through, in order ('done' once integrated). */
export const ATTEMPT_STAGES = ['prepare', 'execute', 'verify', 'review', 'integrate', 'done'] as const;

/** One of ATTEMPT_STAGES. */
export type AttemptStage = (typeof ATTEMPT_STAGES)[number];

/** One try of one task by one worker backend. */
export interface Attempt {
  readonly id: string;
  readonly taskId: string;
  readonly runId: string | null;
  /** 1 for the first attempt of the task. */
  readonly number: number;
  readonly status: AttemptStatus;
  readonly backend: string;
  readonly workerOwner: string;
  readonly sessionId: string | null;
  readonly workingDirectory: string | null;
  readonly worktree: string | null;
  readonly branch: string | null;
  readonly commitBefore: string | null;
  readonly commitAfter: string | null;
  readonly exitCode: number | null;
  readonly output: string | null;
  readonly errorClass: ErrorClass | null;
  readonly errorMessage: string | null;
  readonly usage: Usage;
  readonly costUsd: number;
  /** Reviewer verdict, when a review ran: 'approve', 'request_changes' or 'fail'. */
  readonly review: string | null;
  /** The last pipeline stage the attempt reached (null for attempts recorded before stages existed). */
  readonly stage: AttemptStage | null;
  /** The attempt's own commit on its branch (its work, before any merge), when it committed one. */
  readonly workCommit: string | null;
  readonly startedAt: number;
  readonly finishedAt: number | null;
}

/** One stored structured event of an attempt. */
export interface StoredLogEvent {
  readonly id: number;
  readonly attemptId: string;
  readonly seq: number;
  readonly at: number;
  readonly kind: string;
  readonly text: string;
  readonly data: unknown;
}
