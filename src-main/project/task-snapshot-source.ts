import { z } from 'zod';
import { formatIssues } from '../../src-shared/config/resolve-config';
import { taskRecordOf, type Task, type TaskResult } from '../../src-shared/domain/task';
import { TaskStatusSchema, type TaskStatus } from '../../src-shared/domain/task-status';
import { refreshCriticalRanks } from '../engine/ranking';
import type { Store } from '../store/store';
import type { TaskFileChanges, TaskSnapshotSource } from '../workspace/task-source';

/** Marker and version of the task snapshot stored with each checkpoint. */
export const TASK_SNAPSHOT_FORMAT = 'claude-orchestrator-task-snapshot';
const TASK_SNAPSHOT_VERSION = 1;

const SnapshotTaskSchema = z.looseObject({
  id: z.string(),
  parentId: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  details: z.string(),
  testStrategy: z.string(),
  acceptanceCriteria: z.array(z.string()),
  priority: z.enum(['high', 'medium', 'low']),
  status: TaskStatusSchema,
  statusReason: z.string().nullable(),
  dependencies: z.array(z.string()),
  contextFiles: z.array(z.string()),
  hints: z.array(z.string()),
  sourceRef: z.string().nullable(),
  expectsNoChanges: z.boolean().default(false),
  result: z.unknown().nullable(),
  reviewFeedback: z.string().nullable(),
  attempts: z.number().int(),
  failures: z.number().int(),
  completedAt: z.number().nullable(),
});

const SnapshotSchema = z.object({
  format: z.literal(TASK_SNAPSHOT_FORMAT),
  version: z.literal(TASK_SNAPSHOT_VERSION),
  goal: z.string().nullable(),
  tasks: z.array(SnapshotTaskSchema),
});

/** The JSON document stored with a checkpoint. */
export type TaskSnapshot = z.output<typeof SnapshotSchema>;

const LEASED: ReadonlyArray<TaskStatus> = ['claimed', 'in_progress', 'review'];

/**
 * The workspace's TaskSnapshotSource over the project store: snapshots are the task table
 * (without leases); restoring keeps the attempts and logs of tasks that still exist.
 */
export class StoreTaskSnapshotSource implements TaskSnapshotSource {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** A JSON copy of every task. */
  snapshotTasks(): TaskSnapshot {
    return this.store.read(() => ({
      format: TASK_SNAPSHOT_FORMAT,
      version: TASK_SNAPSHOT_VERSION,
      goal: this.store.meta.get('goal') || null,
      tasks: this.store.tasks.list().map(snapshotTaskOf),
    }));
  }

  /** Puts the task table back as in the snapshot, in one transaction; running tasks come back ready to run. */
  restoreTasks(snapshot: unknown): void {
    const parsed = SnapshotSchema.safeParse(snapshot);
    if (!parsed.success) throw new Error(`the checkpoint's task snapshot is not readable: ${formatIssues(parsed.error).join('; ')}`);
    const tasks = parsed.data.tasks;
    const now = this.now();
    this.store.write(() => {
      const wanted = new Set(tasks.map((task) => task.id));
      for (const id of this.store.tasks.ids()) if (!wanted.has(id)) this.store.tasks.delete(id);
      this.store.db.pragma('defer_foreign_keys = ON');
      for (const task of tasks) {
        const fields = { ...task, parentId: task.parentId, status: 'pending' as const };
        if (this.store.tasks.get(task.id)) this.store.tasks.updateFields(task.id, fields, now);
        else this.store.tasks.insert(fields, now);
        this.store.dependencies.replace(task.id, task.dependencies);
      }
      for (const task of tasks) {
        const status: TaskStatus = LEASED.includes(task.status) || task.status === 'ready' ? 'pending' : task.status;
        this.store.tasks.setStatus(task.id, status, task.statusReason, now);
        this.store.tasks.restore(task.id, { ...task, status, result: task.result as TaskResult | null }, now);
      }
      this.store.tasks.promoteAllReady(now);
      refreshCriticalRanks(this.store);
      if (parsed.data.goal !== null) this.store.meta.set('goal', parsed.data.goal);
    });
  }

  /** These tasks go back to pending (leases, failures and results cleared); readiness is recomputed. */
  resetTasksToPending(taskIds: ReadonlyArray<string>): void {
    const now = this.now();
    this.store.write(() => {
      for (const id of taskIds) {
        if (!this.store.tasks.get(id)) continue;
        this.store.tasks.resetForRetry(id, now);
        this.store.tasks.unblockDependentsOf(id, now);
      }
      this.store.tasks.demoteNotReady(now);
      this.store.tasks.promoteAllReady(now);
    });
  }

  /** Tasks done after `since`, with the files their result lists. */
  tasksCompletedSince(since: Date): ReadonlyArray<TaskFileChanges> {
    return this.store.tasks
      .list({ statuses: ['done'] })
      .filter((task) => (task.completedAt ?? 0) >= since.getTime())
      .map(fileChangesOf);
  }

  /** The files the given tasks' results list, when they finished after `since`. */
  filesChangedByTasks(taskIds: ReadonlyArray<string>, since: Date): ReadonlyArray<TaskFileChanges> {
    return this.store.tasks
      .list({ ids: taskIds })
      .filter((task) => (task.completedAt ?? task.updatedAt) >= since.getTime())
      .map(fileChangesOf);
  }
}

function fileChangesOf(task: Task): TaskFileChanges {
  return { taskId: task.id, filesChanged: task.result ? [...new Set([...task.result.filesCreated, ...task.result.filesModified])] : [] };
}

function snapshotTaskOf(task: Task): TaskSnapshot['tasks'][number] {
  return taskRecordOf(task);
}
