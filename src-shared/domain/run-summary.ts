import type { Priority } from './priority';
import type { RunStatus } from './run';

/** The final review's judgement of the run's integrated change against the goal and the criteria. */
export const FINAL_REVIEW_VERDICTS = ['met', 'partially_met', 'not_met'] as const;

/** One of FINAL_REVIEW_VERDICTS. */
export type FinalReviewVerdict = (typeof FINAL_REVIEW_VERDICTS)[number];

/** Whether the final review ran: reviewed, skipped (with why), or failed (the manager could not be reached). */
export type FinalReviewStatus = 'reviewed' | 'skipped' | 'failed';

/** The manager's judgement of one acceptance criterion of one task. */
export interface CriterionVerdict {
  readonly taskId: string;
  /** 1-based position of the criterion in the task's list. */
  readonly index: number;
  readonly criterion: string;
  readonly met: boolean;
  readonly note: string | null;
}

/** A follow-up task the final review proposes for a gap (through analyzeAndPlan). */
export interface FollowUpTask {
  /** The id the manager numbered it with; a new id is given when the proposal is accepted. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly details: string;
  readonly testStrategy: string;
  readonly acceptanceCriteria: ReadonlyArray<string>;
  readonly priority: Priority;
  readonly dependencies: ReadonlyArray<string>;
  readonly contextFiles: ReadonlyArray<string>;
  readonly hints: ReadonlyArray<string>;
  readonly expectsNoChanges: boolean;
}

/** Proposed follow-up tasks: shown to the user, who accepts or discards them; never added silently. */
export interface FollowUpProposal {
  readonly status: 'proposed' | 'accepted' | 'discarded';
  readonly tasks: ReadonlyArray<FollowUpTask>;
  /** The manager's own remarks and repairs of the proposal. */
  readonly notes: ReadonlyArray<string>;
  /** Ids the tasks got when accepted. */
  readonly acceptedIds: ReadonlyArray<string>;
}

/** The final review of a run (the finish stage). */
export interface FinalReview {
  readonly status: FinalReviewStatus;
  readonly verdict: FinalReviewVerdict | null;
  /** The manager's summary, or why the review was skipped or failed. */
  readonly note: string;
  readonly criteria: ReadonlyArray<CriterionVerdict>;
  /** Gaps against the goal or PRD that no criterion covers. */
  readonly gaps: ReadonlyArray<string>;
  readonly costUsd: number;
  readonly followUps: FollowUpProposal | null;
}

/** A task in a run summary. */
export interface SummaryTask {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly attempts: number;
  /** Why it failed or is blocked (null for done tasks). */
  readonly reason: string | null;
}

/** What a run did, stored with it: done and failed tasks, cost, time, discoveries, the final review. */
export interface RunSummary {
  readonly runId: string;
  readonly goal: string | null;
  readonly status: RunStatus;
  /** Why the run stopped before its tasks were through (a broken environment, a refused key, a scheduler error); null otherwise (absent in summaries stored before it existed). */
  readonly stopped?: string | null;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly durationMs: number;
  readonly costUsd: number;
  /** Some of the cost is Claude Code's estimate on a subscription login, not a bill (absent in older summaries). */
  readonly costEstimated?: boolean;
  /** Some usage is of a model without a price row (absent in older summaries). */
  readonly costUnpriced?: boolean;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly completed: ReadonlyArray<SummaryTask>;
  readonly failed: ReadonlyArray<SummaryTask>;
  /** Tasks of the run still waiting (on a failed dependency, or not reached). */
  readonly waiting: number;
  /** Of those, tasks whose committed work waits for a review (the run stopped, or the manager could not be reached): the next run reviews it without running the worker again (absent in older summaries). */
  readonly awaitingReview?: ReadonlyArray<SummaryTask>;
  readonly discoveries: ReadonlyArray<{ readonly taskId: string | null; readonly summary: string }>;
  /** Where the work went: merged into the user's branch, or kept and why. */
  readonly integration: ReadonlyArray<string>;
  readonly finalReview: FinalReview | null;
  /** The whole summary as text for people (the CLI, notifications, a pull request). */
  readonly text: string;
}
