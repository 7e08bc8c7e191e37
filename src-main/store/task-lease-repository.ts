import type { Statement } from 'better-sqlite3';
import type { Task, TaskResult } from '../../src-shared/domain/task';
import type { TaskStatus } from '../../src-shared/domain/task-status';
import type { SqliteDatabase } from './database';
import { taskFromRow, type TaskRow } from './task-row';

/** A task whose worker vanished this many times is failed (a crash loop), whatever max_retries says. */
const MIN_RECLAIMS_BEFORE_FAILING = 3;

/** Task and attempt ids freed by lease reclaim. */
export interface ReclaimedLease {
  readonly taskId: string;
  readonly attemptId: string | null;
  /** Its attempts kept ending this way: the task failed instead of going back to ready. */
  readonly failed?: boolean;
  /** Why it was reclaimed, for the task.changed event. */
  readonly reason?: string;
}

const LEASED = `('claimed', 'in_progress', 'review')`;
const READY_ORDER = 'ORDER BY critical_rank DESC, priority_rank DESC, id_key LIMIT 1';
/** A ready task a person holds (terminal takeover, `TaskHoldRepository`) is not claimed until the hold ends or expires. */
const NOT_HELD = 'AND (lease_owner IS NULL OR lease_expires_at < ?)';

/**
 * Leases on rows of the tasks table: claim the best ready task, move it through its statuses
 * only while the same attempt still holds it (fencing), renew, and reclaim expired leases.
 */
export class TaskLeaseRepository {
  private readonly claimAny: Statement<unknown[], TaskRow>;
  private readonly claimScoped: Statement<unknown[], TaskRow>;
  private readonly depsOfStatement: Statement<[string], { depends_on: string }>;
  private readonly fenced: Map<string, Statement> = new Map();

  constructor(private readonly db: SqliteDatabase) {
    const claim = (scope: string) => `UPDATE tasks SET status = 'claimed', lease_owner = ?, lease_expires_at = ?,
      current_attempt_id = ?, attempts = attempts + 1, claimed_at = ?, updated_at = ?, not_before = NULL, status_reason = NULL
      WHERE id = (SELECT id FROM tasks WHERE status = 'ready' AND (not_before IS NULL OR not_before <= ?) ${NOT_HELD} ${scope} ${READY_ORDER})
      RETURNING *`;
    this.claimAny = db.prepare(claim(''));
    this.claimScoped = db.prepare(claim('AND id IN (SELECT value FROM json_each(?))'));
    this.depsOfStatement = db.prepare('SELECT depends_on FROM task_deps WHERE task_id = ?');
  }

  /** Claims the best ready task (critical path, then priority, then id) for `owner`; call inside an IMMEDIATE transaction. */
  claimNextReady(owner: string, attemptId: string, now: number, leaseUntil: number, scope: ReadonlyArray<string> | null): Task | undefined {
    const row = scope
      ? this.claimScoped.get(owner, leaseUntil, attemptId, now, now, now, now, JSON.stringify(scope))
      : this.claimAny.get(owner, leaseUntil, attemptId, now, now, now, now);
    return row ? taskFromRow(row, this.depsOfStatement.all(row.id).map((dep) => dep.depends_on)) : undefined;
  }

  /** The task the scheduler would claim next (without claiming it), or undefined. */
  peekNextReady(now: number): Task | undefined {
    const row = this.db
      .prepare<[number, number], TaskRow>(`SELECT * FROM tasks WHERE status = 'ready' AND (not_before IS NULL OR not_before <= ?) ${NOT_HELD} ${READY_ORDER}`)
      .get(now, now);
    return row ? taskFromRow(row, this.depsOfStatement.all(row.id).map((dep) => dep.depends_on)) : undefined;
  }

  /** Moves a leased task to `status` if `attemptId` still holds it; false when the lease was lost. */
  transitionLeased(id: string, attemptId: string, status: TaskStatus, now: number): boolean {
    const extra = status === 'in_progress' ? ', started_at = @now' : '';
    return this.runFenced(`SET status = @status, updated_at = @now${extra}`, { id, attemptId, status, now });
  }

  /** Marks a leased task done with its result, releasing the lease; false when the lease was lost. */
  completeLeased(id: string, attemptId: string, result: TaskResult, now: number): boolean {
    return this.runFenced(
      `SET status = 'done', result = @result, status_reason = NULL, review_feedback = NULL, resume_attempt_id = NULL, lease_owner = NULL,
       lease_expires_at = NULL, current_attempt_id = NULL, completed_at = @now, updated_at = @now`,
      { id, attemptId, result: JSON.stringify(result), now },
    );
  }

  /** Fails a leased task for good; false when the lease was lost. */
  failLeased(id: string, attemptId: string, reason: string, result: TaskResult, now: number): boolean {
    return this.runFenced(
      `SET status = 'failed', status_reason = @reason, result = @result, failures = failures + 1, resume_attempt_id = NULL, lease_owner = NULL,
       lease_expires_at = NULL, current_attempt_id = NULL, completed_at = @now, updated_at = @now`,
      { id, attemptId, reason, result: JSON.stringify(result), now },
    );
  }

  /** Puts a leased task back to ready, optionally not before a time and counting a failure; false when the lease was lost. */
  releaseLeased(
    id: string,
    attemptId: string,
    options: { readonly notBefore: number | null; readonly reason: string | null; readonly countFailure: boolean; readonly reviewFeedback?: string; readonly resumeAttemptId?: string },
    now: number,
  ): boolean {
    const feedback = `${options.reviewFeedback !== undefined ? ', review_feedback = @feedback' : ''}${options.resumeAttemptId !== undefined ? ', resume_attempt_id = @resume' : ''}`;
    return this.runFenced(
      `SET status = 'ready', status_reason = @reason, not_before = @notBefore, failures = failures + @failure,
       lease_owner = NULL, lease_expires_at = NULL, current_attempt_id = NULL, updated_at = @now${feedback}`,
      {
        id,
        attemptId,
        reason: options.reason,
        notBefore: options.notBefore,
        failure: options.countFailure ? 1 : 0,
        feedback: options.reviewFeedback ?? null,
        resume: options.resumeAttemptId ?? null,
        now,
      },
    );
  }

  /** Cancels a leased task; false when the lease was lost. */
  cancelLeased(id: string, attemptId: string, reason: string, now: number): boolean {
    return this.runFenced(
      `SET status = 'cancelled', status_reason = @reason, resume_attempt_id = NULL, lease_owner = NULL, lease_expires_at = NULL,
       current_attempt_id = NULL, completed_at = @now, updated_at = @now`,
      { id, attemptId, reason, now },
    );
  }

  private runFenced(set: string, params: Record<string, unknown>): boolean {
    let statement = this.fenced.get(set);
    if (!statement) {
      statement = this.db.prepare(`UPDATE tasks ${set} WHERE id = @id AND current_attempt_id = @attemptId`);
      this.fenced.set(set, statement);
    }
    return statement.run(params).changes === 1;
  }

  /** Leased tasks whose lease ran out go back to ready; call inside a transaction. */
  reclaimExpired(now: number): ReadonlyArray<ReclaimedLease> {
    const expired = this.db
      .prepare<[number], { id: string; current_attempt_id: string | null }>(
        `SELECT id, current_attempt_id FROM tasks WHERE status IN ${LEASED} AND lease_expires_at < ?`,
      )
      .all(now);
    const release = this.db.prepare(`UPDATE tasks SET status = 'ready', lease_owner = NULL, lease_expires_at = NULL, failures = failures + 1,
      current_attempt_id = NULL, status_reason = 'its worker stopped (lease expired); it will run again', updated_at = ? WHERE id = ?`);
    for (const task of expired) release.run(now, task.id);
    return expired.map((task) => ({ taskId: task.id, attemptId: task.current_attempt_id }));
  }

  /** The distinct owners holding a lease on some task (live or not). */
  leaseHolders(): ReadonlyArray<string> {
    return this.db
      .prepare<[], { lease_owner: string }>(`SELECT DISTINCT lease_owner FROM tasks WHERE status IN ${LEASED} AND lease_owner IS NOT NULL`)
      .all()
      .map((row) => row.lease_owner);
  }

  /**
   * Leased tasks whose owner is provably dead (`isAlive` false) go back to ready at once, without
   * waiting for the lease to expire; call inside a transaction. `isAlive` is asked once per owner.
   */
  reclaimDeadOwners(isAlive: (owner: string) => boolean, now: number): ReadonlyArray<ReclaimedLease> {
    const owners = this.leaseHolders().filter((owner) => !isAlive(owner));
    if (owners.length === 0) return [];
    const held = this.db.prepare<[string], { id: string; current_attempt_id: string | null }>(
      `SELECT id, current_attempt_id FROM tasks WHERE status IN ${LEASED} AND lease_owner = ?`,
    );
    const release = this.db.prepare(`UPDATE tasks SET status = 'ready', lease_owner = NULL, lease_expires_at = NULL, failures = failures + 1,
      current_attempt_id = NULL, status_reason = 'its worker process died; it will run again', updated_at = ? WHERE id = ?`);
    const freed: ReclaimedLease[] = [];
    for (const owner of owners) {
      for (const task of held.all(owner)) {
        release.run(now, task.id);
        freed.push({ taskId: task.id, attemptId: task.current_attempt_id });
      }
    }
    return freed;
  }

  /**
   * Reclaimed tasks whose attempts keep ending with their worker gone (more failures than max_retries,
   * and at least three: one crash or kill of the app must never fail a task, even with max_retries 0)
   * fail instead of running again; returns their ids. Call inside a transaction, after a reclaim.
   */
  failRepeatedlyReclaimed(ids: ReadonlyArray<string>, maxRetries: number, now: number): ReadonlyArray<string> {
    if (ids.length === 0) return [];
    return this.db
      .prepare<[number, number, string, number], { id: string }>(`UPDATE tasks SET status = 'failed', completed_at = ?, updated_at = ?,
        status_reason = 'its attempts kept ending with their worker process gone (' || failures || ' times); it is not run again until you retry it'
        WHERE id IN (SELECT value FROM json_each(?)) AND status = 'ready' AND failures > ? RETURNING id`)
      .all(now, now, JSON.stringify(ids), Math.max(maxRetries, MIN_RECLAIMS_BEFORE_FAILING - 1))
      .map((row) => row.id);
  }

  /** Extends the lease of one task while `attemptId` of `owner` holds it; false when the lease was lost. */
  renewLease(id: string, owner: string, attemptId: string, leaseUntil: number): boolean {
    return this.db
      .prepare(`UPDATE tasks SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND current_attempt_id = ? AND status IN ${LEASED}`)
      .run(leaseUntil, id, owner, attemptId).changes === 1;
  }

  /** Extends every lease `owner` holds; returns how many. */
  renewLeases(owner: string, leaseUntil: number): number {
    return this.db
      .prepare(`UPDATE tasks SET lease_expires_at = ? WHERE lease_owner = ? AND status IN ${LEASED}`)
      .run(leaseUntil, owner).changes;
  }

  /** Attempt ids currently holding a lease, owned by `owner`. */
  leasedAttemptIds(owner: string): ReadonlySet<string> {
    const rows = this.db
      .prepare<[string], { current_attempt_id: string | null }>(
        `SELECT current_attempt_id FROM tasks WHERE lease_owner = ? AND status IN ${LEASED}`,
      )
      .all(owner);
    return new Set(rows.flatMap((row) => (row.current_attempt_id ? [row.current_attempt_id] : [])));
  }

  /** Earliest retry time among ready tasks that wait (in scope), or null. */
  nextNotBefore(scope: ReadonlyArray<string> | null): number | null {
    const row = scope
      ? this.db
          .prepare<[string], { t: number | null }>(
            "SELECT min(not_before) AS t FROM tasks WHERE status = 'ready' AND not_before IS NOT NULL AND id IN (SELECT value FROM json_each(?))",
          )
          .get(JSON.stringify(scope))
      : this.db.prepare<[], { t: number | null }>("SELECT min(not_before) AS t FROM tasks WHERE status = 'ready' AND not_before IS NOT NULL").get();
    return row?.t ?? null;
  }

  /** Marks a leased task blocked (e.g. a merge conflict) with the reason; false when the lease was lost. */
  blockLeased(id: string, attemptId: string, reason: string, now: number, options: { readonly countFailure?: boolean; readonly resumeAttemptId?: string } = {}): boolean {
    return this.runFenced(
      `SET status = 'blocked', status_reason = @reason, failures = failures + @failure, lease_owner = NULL, lease_expires_at = NULL,
       current_attempt_id = NULL, updated_at = @now${options.resumeAttemptId !== undefined ? ', resume_attempt_id = @resume' : ''}`,
      { id, attemptId, reason, now, failure: options.countFailure === true ? 1 : 0, resume: options.resumeAttemptId ?? null },
    );
  }
}
