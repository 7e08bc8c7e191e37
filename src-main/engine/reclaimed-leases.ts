import type { Store } from '../store/store';
import type { ReclaimedLease } from '../store/task-lease-repository';
import type { EngineEventBus } from './engine-events';

/** Leases just taken back from workers that stopped, with what to record on their attempts and tell about their tasks. */
export interface ReclaimedGroup {
  readonly leases: ReadonlyArray<ReclaimedLease>;
  /** Why their attempts were interrupted (stored on each attempt). */
  readonly interrupted: string;
  /** Why their tasks are ready again (the task.changed event). */
  readonly reason: string;
}

const KEPT_DYING = 'its attempts kept ending with their worker process gone';

/**
 * Settles reclaimed leases, for the scheduler's reclaim and recovery alike: their attempts become
 * interrupted; an attempt that took its worker down counts as a failure, so a task that keeps doing
 * it fails (with `maxRetries`; its dependents then wait) instead of running again. Returns the leases
 * with their reason, `failed` set on those. Call inside a write.
 */
export function settleReclaimedLeases(store: Store, groups: ReadonlyArray<ReclaimedGroup>, maxRetries: number | undefined, now: number): ReadonlyArray<ReclaimedLease> {
  for (const group of groups) store.attempts.interrupt(group.leases.flatMap((lease) => (lease.attemptId === null ? [] : [lease.attemptId])), group.interrupted, now);
  const reclaimed = groups.flatMap((group) => group.leases.map((lease) => ({ ...lease, reason: group.reason })));
  if (maxRetries === undefined) return reclaimed;
  const failed = new Set(store.leases.failRepeatedlyReclaimed(reclaimed.map((lease) => lease.taskId), maxRetries, now));
  for (const taskId of failed) store.tasks.markDependentsWaiting(taskId, `waiting for task ${taskId} (failed: ${KEPT_DYING})`, now);
  return reclaimed.map((lease) => (failed.has(lease.taskId) ? { ...lease, failed: true } : lease));
}

/** Tells listeners about settled reclaimed leases, once their transaction has committed: each task is ready again, or failed. */
export function announceReclaimed(bus: EngineEventBus, reclaimed: ReadonlyArray<ReclaimedLease>, runId: string | null): void {
  for (const lease of reclaimed) {
    const failed = lease.failed === true;
    const reason = failed ? KEPT_DYING : (lease.reason ?? 'reclaimed: its worker stopped');
    bus.emit('task.changed', { taskId: lease.taskId, status: failed ? 'failed' : 'ready', previousStatus: null, reason, runId });
  }
}
