import { z } from 'zod';
import { ATTEMPT_STAGES, ATTEMPT_STATUSES } from '../../src-shared/domain/attempt';
import { formatIssues } from '../../src-shared/config/resolve-config';
import { taskRecordOf, type Task, type TaskResult } from '../../src-shared/domain/task';
import { type TaskStatus } from '../../src-shared/domain/task-status';
import { refreshCriticalRanks } from '../engine/ranking';
import type { Store } from '../store/store';
import type { SnapshotOptions, TaskCommitRange, TaskFileChanges, TaskSnapshotSource } from '../workspace/task-source';
import { TaskStatusSchema } from '../../src-shared/domain/field-schemas';

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
  tags: z.array(z.string()).default([]),
  expectsNoChanges: z.boolean().default(false),
  result: z.unknown().nullable(),
  reviewFeedback: z.string().nullable(),
  attempts: z.number().int(),
  failures: z.number().int(),
  completedAt: z.number().nullable(),
});

/** An attempt kept in a rollback's safety snapshot because the rollback removes its task (logs are not kept). */
const SnapshotAttemptSchema = z.object({
  id: z.string(),
  taskId: z.string(),
  runId: z.string().nullable(),
  number: z.number().int(),
  status: z.enum(ATTEMPT_STATUSES),
  backend: z.string(),
  workerOwner: z.string(),
  sessionId: z.string().nullable(),
  workingDirectory: z.string().nullable(),
  worktree: z.string().nullable(),
  branch: z.string().nullable(),
  commitBefore: z.string().nullable(),
  commitAfter: z.string().nullable(),
  workCommit: z.string().nullable().default(null),
  stage: z.enum(ATTEMPT_STAGES).nullable().default(null),
  exitCode: z.number().nullable(),
  output: z.string().nullable(),
  errorClass: z.enum(['transient', 'recoverable', 'permanent']).nullable(),
  errorMessage: z.string().nullable(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cacheCreationInputTokens: z.number(), cacheReadInputTokens: z.number() }),
  costUsd: z.number(),
  review: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
});

const SnapshotSchema = z.object({
  format: z.literal(TASK_SNAPSHOT_FORMAT),
  version: z.literal(TASK_SNAPSHOT_VERSION),
  goal: z.string().nullable(),
  tasks: z.array(SnapshotTaskSchema),
  attempts: z.array(SnapshotAttemptSchema).optional(),
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

  /** A JSON copy of every task; with `replacedBy`, also the attempts of the tasks that snapshot lacks (a FULL rollback removes them). */
  snapshotTasks(options: SnapshotOptions = {}): TaskSnapshot {
    const kept = options.replacedBy === undefined ? null : new Set(SnapshotSchema.safeParse(options.replacedBy).data?.tasks.map((task) => task.id));
    return this.store.read(() => {
      const tasks = this.store.tasks.list();
      const removed = kept === null ? [] : tasks.filter((task) => !kept.has(task.id));
      const attempts = removed.flatMap((task) => this.store.attempts.listForTask(task.id));
      return {
        format: TASK_SNAPSHOT_FORMAT,
        version: TASK_SNAPSHOT_VERSION,
        goal: this.store.meta.get('goal') || null,
        tasks: tasks.map(snapshotTaskOf),
        ...(attempts.length === 0 ? {} : { attempts: attempts.map((attempt) => ({ ...attempt, usage: { ...attempt.usage } })) }),
      };
    });
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
      this.restoreAttempts(parsed.data.attempts ?? [], wanted);
    });
  }

  /** Puts back attempts a rollback removed with their tasks (the undo of that rollback); their logs are gone. */
  private restoreAttempts(attempts: ReadonlyArray<z.output<typeof SnapshotAttemptSchema>>, taskIds: ReadonlySet<string>): void {
    for (const attempt of attempts) {
      if (!taskIds.has(attempt.taskId) || this.store.attempts.get(attempt.id) !== undefined) continue;
      const runId = attempt.runId !== null && this.store.runs.get(attempt.runId) !== undefined ? attempt.runId : null;
      this.store.attempts.insert({ id: attempt.id, taskId: attempt.taskId, runId, number: attempt.number, backend: attempt.backend, workerOwner: attempt.workerOwner }, attempt.startedAt);
      this.store.attempts.setWorkspace(attempt.id, attempt);
      if (attempt.stage !== null) this.store.attempts.setStage(attempt.id, attempt.stage);
      const { status, sessionId, exitCode, output, errorClass, errorMessage, usage, costUsd, review } = attempt;
      // An attempt still marked running belongs to a worker that is long gone.
      const end = { status: status === 'running' ? ('interrupted' as const) : status, sessionId, exitCode, output, errorClass, errorMessage, usage, costUsd, review };
      this.store.attempts.finish(attempt.id, end, attempt.finishedAt ?? attempt.startedAt);
    }
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

  /** The merged attempts of the given tasks that finished after `since`: succeeded, with commits before and after. */
  taskCommits(taskIds: ReadonlyArray<string>, since: Date): ReadonlyArray<TaskCommitRange> {
    return this.store.read(() =>
      taskIds.flatMap((taskId) =>
        this.store.attempts
          .listForTask(taskId)
          .filter((attempt) => attempt.status === 'succeeded' && (attempt.finishedAt ?? attempt.startedAt) >= since.getTime())
          .flatMap((attempt) => {
            // The attempt's own commit when recorded (the pipeline keeps it); else the merge that brought it in.
            const after = attempt.workCommit ?? attempt.commitAfter;
            return attempt.commitBefore === null || after === null || attempt.commitBefore === after
              ? []
              : [{ taskId, attemptId: attempt.id, before: attempt.commitBefore, after, finishedAt: new Date(attempt.finishedAt ?? attempt.startedAt) }];
          }),
      ),
    );
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
