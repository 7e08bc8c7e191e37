import { assertNever } from './assert-never';

/** Life cycle of a task (DESIGN.md "Data"). */
export const TASK_STATUSES = [
  'pending',
  'ready',
  'claimed',
  'in_progress',
  'review',
  'done',
  'failed',
  'blocked',
  'cancelled',
  'deferred',
] as const;

/** One of TASK_STATUSES. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses a worker holds a lease on. */
export const LEASED_STATUSES: ReadonlyArray<TaskStatus> = ['claimed', 'in_progress', 'review'];

/** Statuses that will not change without a user's action. */
export const SETTLED_STATUSES: ReadonlyArray<TaskStatus> = ['done', 'failed', 'blocked', 'cancelled', 'deferred'];

/** True when the task still has work the scheduler may do. */
export function isActiveStatus(status: TaskStatus): boolean {
  switch (status) {
    case 'pending':
    case 'ready':
    case 'claimed':
    case 'in_progress':
    case 'review':
      return true;
    case 'done':
    case 'failed':
    case 'blocked':
    case 'cancelled':
    case 'deferred':
      return false;
    default:
      return assertNever(status, 'task status');
  }
}

/** Status names of the seeds' Python API (001). */
export type SeedTaskStatus = 'available' | 'claimed' | 'in_progress' | 'done' | 'failed';

/** Status names of the seeds' Task Master interop / CLI listing. */
export type TaskMasterStatus = 'pending' | 'in-progress' | 'completed' | 'failed' | 'blocked' | 'cancelled' | 'deferred' | 'review' | 'done';

/** Maps a status onto the seeds' Python API names. */
export function toSeedStatus(status: TaskStatus): SeedTaskStatus {
  switch (status) {
    case 'pending':
    case 'ready':
      return 'available';
    case 'claimed':
      return 'claimed';
    case 'in_progress':
    case 'review':
      return 'in_progress';
    case 'done':
      return 'done';
    case 'failed':
    case 'blocked':
    case 'cancelled':
    case 'deferred':
      return 'failed';
    default:
      return assertNever(status, 'task status');
  }
}

/** Maps a status onto the seeds' CLI names (pending/in-progress/completed/failed/blocked). */
export function toTaskMasterStatus(status: TaskStatus): TaskMasterStatus {
  switch (status) {
    case 'pending':
    case 'ready':
      return 'pending';
    case 'claimed':
    case 'in_progress':
      return 'in-progress';
    case 'review':
      return 'review';
    case 'done':
      return 'completed';
    case 'failed':
    case 'blocked':
    case 'cancelled':
    case 'deferred':
      return status;
    default:
      return assertNever(status, 'task status');
  }
}

const FROM_SEED_NAMES: Readonly<Record<string, TaskStatus>> = {
  available: 'pending',
  pending: 'pending',
  ready: 'ready',
  claimed: 'claimed',
  in_progress: 'in_progress',
  'in-progress': 'in_progress',
  review: 'review',
  done: 'done',
  completed: 'done',
  failed: 'failed',
  blocked: 'blocked',
  cancelled: 'cancelled',
  deferred: 'deferred',
};

/** Parses a status given in our names or any of the seeds' names; undefined when unknown. */
export function parseAnyStatus(name: string): TaskStatus | undefined {
  return Object.hasOwn(FROM_SEED_NAMES, name) ? FROM_SEED_NAMES[name] : undefined;
}
