import type { SqliteDatabase } from './database';

/** Statuses in which a worker holds the task; a person cannot take it over then. */
const WORKER_HELD = `('claimed', 'in_progress', 'review')`;

/** Why a task could not be held. */
export type HoldRefusal = { readonly reason: 'missing' } | { readonly reason: 'worker'; readonly status: string } | { readonly reason: 'held'; readonly holder: string };

/**
 * A person's hold on a task (terminal takeover): the task keeps its status, but its lease columns
 * name the holder until `lease_expires_at`, and the scheduler claims no task whose lease is
 * current (`TaskLeaseRepository.claimNextReady`), so no worker starts another attempt of it while a
 * person drives its session. The holder renews the hold; a hold nobody renews (the app died)
 * simply expires, so a crash never strands the task.
 */
export class TaskHoldRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Holds a task no worker and no other person holds; call inside a write. Returns null when held, else why not. */
  hold(taskId: string, holder: string, until: number, now: number): HoldRefusal | null {
    const row = this.db
      .prepare<[string], { status: string; lease_owner: string | null; lease_expires_at: number | null }>('SELECT status, lease_owner, lease_expires_at FROM tasks WHERE id = ?')
      .get(taskId);
    if (row === undefined) return { reason: 'missing' };
    if (['claimed', 'in_progress', 'review'].includes(row.status)) return { reason: 'worker', status: row.status };
    if (row.lease_owner !== null && row.lease_owner !== holder && (row.lease_expires_at ?? 0) >= now) return { reason: 'held', holder: row.lease_owner };
    this.db.prepare(`UPDATE tasks SET lease_owner = ?, lease_expires_at = ? WHERE id = ? AND status NOT IN ${WORKER_HELD}`).run(holder, until, taskId);
    return null;
  }

  /** Extends a hold; false when it was lost (a worker or someone else took the task, or it was reset). */
  renew(taskId: string, holder: string, until: number): boolean {
    return this.db.prepare(`UPDATE tasks SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND status NOT IN ${WORKER_HELD}`).run(until, taskId, holder).changes === 1;
  }

  /** Lets go of a hold (nothing happens when `holder` no longer has it). */
  release(taskId: string, holder: string): void {
    this.db.prepare(`UPDATE tasks SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ? AND status NOT IN ${WORKER_HELD}`).run(taskId, holder);
  }

  /**
   * Ends a hold by handing the person's committed work to the pipeline: the task goes back to ready
   * (a pending one stays pending) with `resume_attempt_id`, so its next attempt resumes that work
   * at verify and review instead of running a worker. The person's attempt counts as one (the next is
   * numbered after it). False when `holder` no longer held it.
   */
  releaseForReview(taskId: string, holder: string, resume: { readonly attemptId: string; readonly number: number }, reason: string, now: number): boolean {
    return this.db
      .prepare(`UPDATE tasks SET status = CASE WHEN status = 'pending' THEN 'pending' ELSE 'ready' END, status_reason = ?, resume_attempt_id = ?,
        review_feedback = NULL, not_before = NULL, attempts = max(attempts + 1, ?), lease_owner = NULL, lease_expires_at = NULL, completed_at = NULL, updated_at = ?
        WHERE id = ? AND lease_owner = ? AND status NOT IN ${WORKER_HELD}`)
      .run(reason, resume.attemptId, resume.number, now, taskId, holder).changes === 1;
  }
}
