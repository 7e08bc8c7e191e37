import type { Task } from '../../src-shared/domain/task';
import { LEASED_STATUSES } from '../../src-shared/domain/task-status';
import type { Store } from '../store/store';

/**
 * Whether a ready task must wait because of the tasks running now (e.g. workers sharing one
 * folder without git). A task that conflicts waits; it is neither failed nor blocked.
 */
export type TaskConflictRule = (candidate: Task, running: ReadonlyArray<Task>) => boolean;

/** The ready tasks the rule lets start now, and when the next one it lets start but that waits to retry falls due. */
export interface ConflictFreeTasks {
  /** Ids of ready tasks in scope that conflict with nothing running and are due; the claim picks the best of them. */
  readonly ids: ReadonlyArray<string>;
  /** Earliest future retry time (epoch ms) of a ready task that conflicts with nothing running, or null. */
  readonly nextRetryAt: number | null;
}

/**
 * The ready tasks in scope that `rule` lets start beside those running: every leased task in the
 * database (whichever process or external worker holds it) plus `stillRunning`, attempts of this
 * process that have not ended although their lease is gone. Call inside the claim's write
 * transaction, so no other process can start a task between this check and the claim.
 */
export function conflictFreeReadyTasks(
  store: Store,
  rule: TaskConflictRule,
  scope: ReadonlyArray<string> | null,
  stillRunning: Iterable<Task>,
  now: number,
): ConflictFreeTasks {
  const ready = store.tasks.list(scope ? { statuses: ['ready'], ids: scope } : { statuses: ['ready'] });
  if (ready.length === 0) return { ids: [], nextRetryAt: null };
  const running = [...store.tasks.list({ statuses: LEASED_STATUSES })];
  const leasedIds = new Set(running.map((task) => task.id));
  for (const task of stillRunning) if (!leasedIds.has(task.id)) running.push(task);
  const ids: string[] = [];
  let nextRetryAt: number | null = null;
  for (const task of ready) {
    if (running.length > 0 && rule(task, running)) continue;
    if (task.notBefore === null || task.notBefore <= now) ids.push(task.id);
    else if (nextRetryAt === null || task.notBefore < nextRetryAt) nextRetryAt = task.notBefore;
  }
  return { ids, nextRetryAt };
}
