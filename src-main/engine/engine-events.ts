import type { Attempt } from '../../src-shared/domain/attempt';
import type { StoredDiscovery } from '../../src-shared/domain/discovery';
import type { Run } from '../../src-shared/domain/run';
import type { RunFinishing } from '../../src-shared/domain/run-finishing';
import type { RunSummary } from '../../src-shared/domain/run-summary';
import type { TaskStatus } from '../../src-shared/domain/task-status';
import { TypedEventBus } from './event-bus';

/** A task's status (or content) changed. */
export interface TaskChangedEvent {
  readonly taskId: string;
  readonly status: TaskStatus;
  readonly previousStatus: TaskStatus | null;
  /** Why, for blocked/failed/cancelled/retrying tasks. */
  readonly reason: string | null;
  readonly runId: string | null;
}

/** A task left the table: deleted by hand, or taken along as a subtask of a deleted task (one event per task). */
export interface TaskRemovedEvent {
  readonly taskId: string;
}

/** Why many tasks changed at once, outside the task service's own events. */
export type TasksResetReason = 'rollback' | 'state-loaded' | 'import' | 'external';

/** The task table was rewritten wholesale (rollback, state file, import): listeners reload it instead of patching. */
export interface TasksResetEvent {
  readonly reason: TasksResetReason;
  /** The tasks whose work was undone, when known (a partial or selective rollback). */
  readonly taskIds?: ReadonlyArray<string>;
}

/** One log event of a running attempt. */
export interface AttemptLogPayload {
  readonly attemptId: string;
  readonly taskId: string;
  readonly runId: string | null;
  readonly seq: number;
  readonly at: number;
  readonly kind: string;
  readonly text: string;
}

/** Counts of a run's tasks per status. */
export interface RunProgressEvent {
  readonly runId: string;
  readonly counts: Readonly<Record<TaskStatus, number>>;
  readonly total: number;
  /** Tasks in a settled status (done, failed, blocked, cancelled, deferred). */
  readonly settled: number;
  readonly activeWorkers: number;
}

/** Every event the engine emits, by name; the RPC layer can forward them one to one. */
export interface EngineEvents {
  'task.changed': TaskChangedEvent;
  'task.removed': TaskRemovedEvent;
  'tasks.reset': TasksResetEvent;
  'attempt.started': { readonly attempt: Attempt };
  'attempt.log': AttemptLogPayload;
  'attempt.finished': { readonly attempt: Attempt };
  /** An attempt entered a pipeline stage (verify, review, integrate, …). */
  'attempt.stage': { readonly attempt: Attempt };
  'run.started': { readonly run: Run };
  'run.progress': RunProgressEvent;
  'run.finished': { readonly run: Run; readonly counts: Readonly<Record<TaskStatus, number>> };
  /** The run reached budget.max_usd_per_run: it claims nothing more. */
  'run.budget': { readonly runId: string; readonly spentUsd: number; readonly budgetUsd: number; readonly message: string };
  /** A run's finish stage moved to its next step (merge, final review, summary), or ended ('done'). */
  'run.finishing': RunFinishing;
  /** A run's summary was stored by its finish stage (final review included), or the user decided on its follow-up tasks. */
  'run.summarized': { readonly runId: string; readonly summary: RunSummary };
  /** A run's work was merged into the user's branch, or kept on its branch (the runtime's finish stage and Integrate). */
  'integration.changed': { readonly runId: string; readonly status: 'open' | 'integrated' | 'kept' | 'empty'; readonly lines: ReadonlyArray<string> };
  discovery: { readonly discovery: StoredDiscovery };
  'pool.paused': { readonly until: number; readonly reason: string };
  'pool.resumed': Record<string, never>;
}

/** Names of EngineEvents. */
export type EngineEventName = keyof EngineEvents;

/** The engine's event bus. */
export class EngineEventBus extends TypedEventBus<EngineEvents> {}
