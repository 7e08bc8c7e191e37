/** How a run stands. */
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;

/** One of RUN_STATUSES. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One scheduling session over the project's tasks (or a chosen subset). */
export interface Run {
  readonly id: string;
  readonly goal: string | null;
  readonly status: RunStatus;
  readonly owner: string;
  readonly maxWorkers: number;
  /** Tasks the run is limited to; null = every task of the project. */
  readonly taskIds: ReadonlyArray<string> | null;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly summary: string | null;
}
