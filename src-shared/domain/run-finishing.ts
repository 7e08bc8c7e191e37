/**
 * The steps of a run's finish stage, in order: 'merge' (its integration branch into the user's
 * branch), 'final-review' (the manager's review of the integrated change; only when it really asks
 * the manager), 'summary' (composing and storing the summary), then 'done' when the stage has ended,
 * its summary stored or not.
 */
export const FINISH_STEPS = ['merge', 'final-review', 'summary', 'done'] as const;

/** One of FINISH_STEPS. */
export type FinishStep = (typeof FINISH_STEPS)[number];

/** Where a run's finish stage is: what the app says instead of the run's outcome until it is known. */
export interface RunFinishing {
  readonly runId: string;
  readonly step: FinishStep;
  /** The user's branch the run's work is merged into (null: a detached HEAD, or no git). */
  readonly branch: string | null;
}
