import type { Statement } from 'better-sqlite3';
import { priorityRank, type Priority } from '../../src-shared/domain/priority';
import type { Task, TaskResult } from '../../src-shared/domain/task';
import { taskIdSortKey } from '../../src-shared/domain/task-id';
import { TASK_STATUSES, type TaskStatus } from '../../src-shared/domain/task-status';
import type { SqliteDatabase } from './database';
import { taskFromRow, type TaskRow } from './task-row';

/** A task as inserted; dependencies go to the dependency repository. */
export interface TaskInsert {
  readonly id: string;
  readonly parentId: string | null;
  readonly title: string;
  readonly description: string;
  readonly details: string;
  readonly testStrategy: string;
  readonly acceptanceCriteria: ReadonlyArray<string>;
  readonly priority: Priority;
  readonly status: TaskStatus;
  readonly contextFiles: ReadonlyArray<string>;
  readonly hints: ReadonlyArray<string>;
  readonly sourceRef: string | null;
  readonly tags?: ReadonlyArray<string>;
  readonly expectsNoChanges?: boolean;
}

/** Editable fields of a task row. */
export type TaskFieldPatch = Partial<
  Pick<TaskInsert, 'title' | 'description' | 'details' | 'testStrategy' | 'acceptanceCriteria' | 'priority' | 'contextFiles' | 'hints' | 'tags' | 'expectsNoChanges'>
>;

/** Filter of TaskRepository.list. */
export interface TaskFilter {
  readonly statuses?: ReadonlyArray<TaskStatus>;
  readonly parentId?: string | null;
  readonly ids?: ReadonlyArray<string>;
}


/** The tasks table: rows, user status changes and readiness propagation (leases: TaskLeaseRepository). */
export class TaskRepository {
  private readonly insertStatement: Statement;
  private readonly getStatement: Statement<[string], TaskRow>;
  private readonly depsOfStatement: Statement<[string], { depends_on: string }>;
  private readonly promoteDependents: Statement<[number, string], { id: string }>;

  constructor(private readonly db: SqliteDatabase) {
    this.insertStatement = db.prepare(`INSERT INTO tasks (id, id_key, parent_id, title, description, details, test_strategy,
      acceptance, priority, priority_rank, status, context_files, hints, source_ref, tags, expects_no_changes, created_at, updated_at)
      VALUES (@id, @idKey, @parentId, @title, @description, @details, @testStrategy, @acceptance, @priority, @priorityRank,
      @status, @contextFiles, @hints, @sourceRef, @tags, @expectsNoChanges, @now, @now)`);
    this.getStatement = db.prepare('SELECT * FROM tasks WHERE id = ?');
    this.depsOfStatement = db.prepare('SELECT depends_on FROM task_deps WHERE task_id = ?');
    this.promoteDependents = db.prepare(`UPDATE tasks SET status = 'ready', status_reason = NULL, updated_at = ?
      WHERE +status = 'pending' AND id IN (SELECT task_id FROM task_deps WHERE depends_on = ?)
      AND NOT EXISTS (SELECT 1 FROM task_deps d JOIN tasks t ON t.id = d.depends_on WHERE d.task_id = tasks.id AND t.status <> 'done')
      RETURNING id`);
  }

  /** Inserts one task row. */
  insert(task: TaskInsert, now: number): void {
    this.insertStatement.run({
      id: task.id,
      idKey: taskIdSortKey(task.id),
      parentId: task.parentId,
      title: task.title,
      description: task.description,
      details: task.details,
      testStrategy: task.testStrategy,
      acceptance: JSON.stringify(task.acceptanceCriteria),
      priority: task.priority,
      priorityRank: priorityRank(task.priority),
      status: task.status,
      contextFiles: JSON.stringify(task.contextFiles),
      hints: JSON.stringify(task.hints),
      sourceRef: task.sourceRef,
      tags: JSON.stringify(task.tags ?? []),
      expectsNoChanges: task.expectsNoChanges === true ? 1 : 0,
      now,
    });
  }

  /** One task with its dependencies, or undefined. */
  get(id: string): Task | undefined {
    const row = this.getStatement.get(id);
    return row ? taskFromRow(row, this.depsOfStatement.all(id).map((dep) => dep.depends_on)) : undefined;
  }

  /** Tasks matching the filter, in natural id order, with their dependencies. */
  list(filter: TaskFilter = {}): ReadonlyArray<Task> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.statuses) {
      where.push('status IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.statuses));
    }
    if (filter.parentId !== undefined) {
      where.push(filter.parentId === null ? 'parent_id IS NULL' : 'parent_id = ?');
      if (filter.parentId !== null) params.push(filter.parentId);
    }
    if (filter.ids) {
      where.push('id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.ids));
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    // Sorted here rather than by ORDER BY: SQLite would copy every whole row into a temporary
    // sorter (there is no index on id_key); sorting the fetched rows by their key costs far less.
    const rows = this.db.prepare<unknown[], TaskRow>(`SELECT * FROM tasks ${clause}`).all(...params);
    rows.sort(byIdKey);
    const deps = new Map<string, string[]>();
    const edgeRows = this.db
      .prepare<unknown[], { task_id: string; depends_on: string }>(
        `SELECT task_id, depends_on FROM task_deps ${clause ? `WHERE task_id IN (SELECT id FROM tasks ${clause})` : ''}`,
      )
      .all(...params);
    for (const edge of edgeRows) {
      const list = deps.get(edge.task_id);
      if (list) list.push(edge.depends_on);
      else deps.set(edge.task_id, [edge.depends_on]);
    }
    return rows.map((row) => taskFromRow(row, deps.get(row.id) ?? []));
  }

  /** Every task id. */
  ids(): ReadonlyArray<string> {
    return this.db.prepare<[], { id: string }>('SELECT id FROM tasks').all().map((row) => row.id);
  }

  /** The task and its subtasks at any depth (what deleting it removes), the task first; empty when it does not exist. */
  subtreeIds(id: string): ReadonlyArray<string> {
    return this.db
      .prepare<[string], { id: string }>(`WITH RECURSIVE subtree(id) AS (
          SELECT id FROM tasks WHERE id = ?
          UNION SELECT t.id FROM tasks t JOIN subtree s ON t.parent_id = s.id)
        SELECT id FROM subtree`)
      .all(id)
      .map((row) => row.id);
  }

  /** Number of tasks per status, over all tasks or the given ones. */
  countByStatus(ids?: ReadonlyArray<string>): Readonly<Record<TaskStatus, number>> {
    const counts = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>;
    const rows = ids
      ? this.db
          .prepare<[string], { status: TaskStatus; n: number }>(
            'SELECT status, count(*) AS n FROM tasks WHERE id IN (SELECT value FROM json_each(?)) GROUP BY status',
          )
          .all(JSON.stringify(ids))
      : this.db.prepare<[], { status: TaskStatus; n: number }>('SELECT status, count(*) AS n FROM tasks GROUP BY status').all();
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  /** Largest plain numeric top-level id, for generating the next one. */
  maxNumericId(): number {
    const row = this.db
      .prepare<[], { max: number | null }>(
        "SELECT max(CAST(id AS INTEGER)) AS max FROM tasks WHERE id NOT GLOB '*[^0-9]*' AND id <> ''",
      )
      .get();
    return row?.max ?? 0;
  }

  /** Number of subtasks of a parent, for generating "parent.n" ids. */
  maxSubtaskNumber(parentId: string): number {
    const rows = this.db.prepare<[string], { id: string }>('SELECT id FROM tasks WHERE parent_id = ?').all(parentId);
    let max = 0;
    for (const row of rows) {
      const suffix = row.id.slice(parentId.length + 1);
      if (row.id.startsWith(`${parentId}.`) && /^\d+$/.test(suffix)) max = Math.max(max, Number(suffix));
    }
    return max;
  }

  /** Updates editable fields. */
  updateFields(id: string, patch: TaskFieldPatch, now: number): void {
    const columns: Record<string, unknown> = {};
    if (patch.title !== undefined) columns.title = patch.title;
    if (patch.description !== undefined) columns.description = patch.description;
    if (patch.details !== undefined) columns.details = patch.details;
    if (patch.testStrategy !== undefined) columns.test_strategy = patch.testStrategy;
    if (patch.acceptanceCriteria !== undefined) columns.acceptance = JSON.stringify(patch.acceptanceCriteria);
    if (patch.priority !== undefined) {
      columns.priority = patch.priority;
      columns.priority_rank = priorityRank(patch.priority);
    }
    if (patch.contextFiles !== undefined) columns.context_files = JSON.stringify(patch.contextFiles);
    if (patch.hints !== undefined) columns.hints = JSON.stringify(patch.hints);
    if (patch.tags !== undefined) columns.tags = JSON.stringify(patch.tags);
    if (patch.expectsNoChanges !== undefined) columns.expects_no_changes = patch.expectsNoChanges ? 1 : 0;
    const names = Object.keys(columns);
    if (names.length === 0) return;
    const sets = names.map((name) => `${name} = @${name}`).join(', ');
    this.db.prepare(`UPDATE tasks SET ${sets}, updated_at = @now WHERE id = @id`).run({ ...columns, id, now });
  }

  /** Sets a status outside the lease protocol (user actions), clearing any lease. */
  setStatus(id: string, status: TaskStatus, reason: string | null, now: number): void {
    this.db
      .prepare(`UPDATE tasks SET status = ?, status_reason = ?, lease_owner = NULL, lease_expires_at = NULL,
        current_attempt_id = NULL, not_before = NULL, updated_at = ?,
        completed_at = CASE WHEN ? IN ('done', 'failed', 'cancelled') THEN ? ELSE completed_at END WHERE id = ?`)
      .run(status, reason, now, status, now, id);
  }

  /** Clears failures and result so the task can run again (user "retry"). */
  resetForRetry(id: string, now: number): void {
    this.db
      .prepare(`UPDATE tasks SET status = 'pending', status_reason = NULL, failures = 0, result = NULL, not_before = NULL,
        lease_owner = NULL, lease_expires_at = NULL, current_attempt_id = NULL, completed_at = NULL, updated_at = ? WHERE id = ?`)
      .run(now, id);
  }

  /** Stores critical-path ranks computed by the engine. */
  setCriticalRanks(ranks: ReadonlyMap<string, number>): void {
    const statement = this.db.prepare('UPDATE tasks SET critical_rank = ? WHERE id = ? AND critical_rank <> ?');
    for (const [id, rank] of ranks) statement.run(rank, id, rank);
  }


  /** Pending dependents of `id` whose dependencies are now all done become ready; returns their ids. */
  promoteDependentsOf(id: string, now: number): ReadonlyArray<string> {
    return this.promoteDependents.all(now, id).map((row) => row.id);
  }

  /** Every pending task whose dependencies are all done becomes ready; returns their ids. */
  promoteAllReady(now: number): ReadonlyArray<string> {
    return this.db
      .prepare<[number], { id: string }>(`UPDATE tasks SET status = 'ready', status_reason = NULL, updated_at = ? WHERE status = 'pending'
        AND NOT EXISTS (SELECT 1 FROM task_deps d JOIN tasks t ON t.id = d.depends_on WHERE d.task_id = tasks.id AND t.status <> 'done')
        RETURNING id`)
      .all(now)
      .map((row) => row.id);
  }

  /** Ready tasks that gained an unfinished dependency go back to pending; returns their ids. */
  demoteNotReady(now: number): ReadonlyArray<string> {
    return this.db
      .prepare<[number], { id: string }>(`UPDATE tasks SET status = 'pending', updated_at = ? WHERE status = 'ready'
        AND EXISTS (SELECT 1 FROM task_deps d JOIN tasks t ON t.id = d.depends_on WHERE d.task_id = tasks.id AND t.status <> 'done')
        RETURNING id`)
      .all(now)
      .map((row) => row.id);
  }

  /** Every open task downstream of `id` becomes blocked with `reason`; returns their ids. */
  blockDependentsOf(id: string, reason: string, now: number): ReadonlyArray<string> {
    return this.db
      .prepare<[string, string, number], { id: string }>(`WITH RECURSIVE downstream(id) AS (
          SELECT task_id FROM task_deps WHERE depends_on = ?
          UNION SELECT d.task_id FROM task_deps d JOIN downstream ds ON d.depends_on = ds.id)
        UPDATE tasks SET status = 'blocked', status_reason = ?, updated_at = ?
        WHERE id IN (SELECT id FROM downstream) AND status IN ('pending', 'ready') RETURNING id`)
      .all(id, reason, now)
      .map((row) => row.id);
  }

  /**
   * Open tasks downstream of `id` (which failed or is blocked) stay pending, saying what they wait for;
   * they become ready by themselves once `id` is done. Returns their ids.
   */
  markDependentsWaiting(id: string, reason: string, now: number): ReadonlyArray<string> {
    return this.db
      .prepare<[string, string, number], { id: string }>(`WITH RECURSIVE downstream(id) AS (
          SELECT task_id FROM task_deps WHERE depends_on = ?
          UNION SELECT d.task_id FROM task_deps d JOIN downstream ds ON d.depends_on = ds.id)
        UPDATE tasks SET status = 'pending', status_reason = ?, updated_at = ?
        WHERE id IN (SELECT id FROM downstream) AND status IN ('pending', 'ready') RETURNING id`)
      .all(id, reason, now)
      .map((row) => row.id);
  }

  /** Blocked tasks downstream of `id` go back to pending (after a retry of `id`); returns their ids. */
  unblockDependentsOf(id: string, now: number): ReadonlyArray<string> {
    return this.db
      .prepare<[string, number], { id: string }>(`WITH RECURSIVE downstream(id) AS (
          SELECT task_id FROM task_deps WHERE depends_on = ?
          UNION SELECT d.task_id FROM task_deps d JOIN downstream ds ON d.depends_on = ds.id)
        UPDATE tasks SET status = 'pending', status_reason = NULL, updated_at = ?
        WHERE id IN (SELECT id FROM downstream) AND status = 'blocked' RETURNING id`)
      .all(id, now)
      .map((row) => row.id);
  }


  /** Restores run-time fields of a task loaded from a state file. */
  restore(id: string, fields: { status: TaskStatus; statusReason: string | null; result: TaskResult | null; attempts: number; failures: number; reviewFeedback: string | null; completedAt: number | null }, now: number): void {
    this.db
      .prepare(`UPDATE tasks SET status = ?, status_reason = ?, result = ?, attempts = ?, failures = ?, review_feedback = ?,
        completed_at = ?, updated_at = ? WHERE id = ?`)
      .run(fields.status, fields.statusReason, fields.result ? JSON.stringify(fields.result) : null, fields.attempts, fields.failures,
        fields.reviewFeedback, fields.completedAt, now, id);
  }

  /** Deletes every task (dependencies, attempts and logs cascade). */
  deleteAll(): void {
    this.db.prepare('DELETE FROM tasks').run();
  }

  /** Deletes a task (its dependency rows, attempts and subtasks cascade). */
  delete(id: string): void {
    this.db.prepare('DELETE FROM tasks WHERE id = ?').run(id);
  }
}

/** Natural task id order (taskIdSortKey), as the id_key column stores it. */
function byIdKey(a: TaskRow, b: TaskRow): number {
  return a.id_key < b.id_key ? -1 : a.id_key > b.id_key ? 1 : 0;
}
