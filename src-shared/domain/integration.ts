/**
 * Where a run's approved work stands: 'open' while the run merges into its integration branch,
 * 'integrated' once that branch is merged into the user's branch, 'kept' when that merge was refused
 * (the work waits on the branch, with the reason), 'empty' when the run merged nothing.
 */
export const INTEGRATION_STATUSES = ['open', 'integrated', 'kept', 'empty'] as const;

/** One of INTEGRATION_STATUSES. */
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];

/** A run's integration branch and what became of it. */
export interface Integration {
  readonly runId: string;
  /** The branch approved attempts are merged into, e.g. orchestrator/run-…. */
  readonly branch: string;
  /** The commit the branch started from (the user's HEAD, or the tip of earlier work that was kept). */
  readonly baseCommit: string;
  /** The user's branch when the run started (null: a detached HEAD, or recorded before this was kept). */
  readonly startedOnBranch: string | null;
  /** The user's HEAD when the run started: the finish merges only into a checkout that holds it (null: recorded before this was kept). */
  readonly startedAtCommit: string | null;
  /** The branch's tip as last recorded (after each merge). */
  readonly tip: string;
  readonly status: IntegrationStatus;
  /** Why the work was kept, or what integrating it did. */
  readonly note: string | null;
  /** The commit on the user's branch that brought the work in. */
  readonly integratedCommit: string | null;
  /** Lease-owner id of the process that merges into the branch. */
  readonly owner: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}
