import { z } from 'zod';
import type { Priority } from './priority';
import type { TaskStatus } from './task-status';
import { AnyPrioritySchema, TaskIdSchema } from './field-schemas';

/** What a finished (or finally failed) task produced. */
export interface TaskResult {
  readonly output: string;
  readonly filesModified: ReadonlyArray<string>;
  readonly filesCreated: ReadonlyArray<string>;
  readonly error: string | null;
  /** Ids of discoveries stored by the task's attempts. */
  readonly discoveryIds: ReadonlyArray<number>;
  /** Ids of subtasks the worker created. */
  readonly subtasksCreated: ReadonlyArray<string>;
}

/** A unit of work in the project's task graph. */
export interface Task {
  readonly id: string;
  readonly parentId: string | null;
  readonly title: string;
  readonly description: string;
  readonly details: string;
  readonly testStrategy: string;
  readonly acceptanceCriteria: ReadonlyArray<string>;
  readonly priority: Priority;
  readonly status: TaskStatus;
  /** Why the task is blocked, failed, cancelled or waiting to retry; null otherwise. */
  readonly statusReason: string | null;
  readonly dependencies: ReadonlyArray<string>;
  readonly contextFiles: ReadonlyArray<string>;
  readonly hints: ReadonlyArray<string>;
  /** Where the task came from, e.g. "prd.md#L12" or a Task Master id. */
  readonly sourceRef: string | null;
  /** Free labels, e.g. the labels of the GitHub issue the task was imported from. */
  readonly tags: ReadonlyArray<string>;
  /** A task that needs no file changes (e.g. verification only): an attempt that changes nothing is not a failure. */
  readonly expectsNoChanges: boolean;
  readonly result: TaskResult | null;
  /** Feedback for the next attempt: the last review's requested changes, a failed check's output, a merge conflict. */
  readonly reviewFeedback: string | null;
  /** An earlier attempt whose committed work waits for a review that could not run; the next attempt resumes it. */
  readonly resumeAttemptId: string | null;
  /** Number of attempts started. */
  readonly attempts: number;
  /** Failed attempts counted against max_retries. */
  readonly failures: number;
  /** Length of the longest dependency chain from this task to the end (the scheduler's first key). */
  readonly criticalRank: number;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: number | null;
  /** The attempt holding the lease, if any. */
  readonly currentAttemptId: string | null;
  /** A retry waits until this time (epoch ms). */
  readonly notBefore: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly claimedAt: number | null;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
}

const text = (max: number) => z.string().max(max, `too long: at most ${max} characters`);
const list = z.array(z.string().max(4_000)).max(1_000);

/** Input of a new task, as users, the CLI, the manager and the Python-style API give it. */
export const NewTaskSchema = z.strictObject({
  id: TaskIdSchema.optional(),
  parentId: TaskIdSchema.nullable().optional(),
  title: z.string().trim().min(1, 'a task needs a title').max(500, 'title too long: at most 500 characters'),
  description: text(100_000).default(''),
  details: text(100_000).default(''),
  testStrategy: text(20_000).default(''),
  acceptanceCriteria: list.default([]),
  priority: AnyPrioritySchema.default('medium'),
  dependencies: z.array(TaskIdSchema).max(1_000).default([]),
  contextFiles: list.default([]),
  hints: list.default([]),
  sourceRef: z.string().max(1_000).nullable().default(null),
  tags: z.array(z.string().max(200)).max(100).default([]),
  /** The task needs no file changes (verification only); without it an attempt that changes nothing is not done. */
  expectsNoChanges: z.boolean().default(false),
  /** A new task starts pending (or ready when it has no open dependency); 'deferred' parks it. */
  deferred: z.boolean().default(false),
});

/** Input of a new task before defaults (what callers write). */
export type NewTaskInput = z.input<typeof NewTaskSchema>;

/** A new task after validation and defaults. */
export type NewTask = z.output<typeof NewTaskSchema>;

/** Fields a user may change on an existing task. */
export const TaskPatchSchema = z.strictObject({
  title: NewTaskSchema.shape.title.optional(),
  description: text(100_000).optional(),
  details: text(100_000).optional(),
  testStrategy: text(20_000).optional(),
  acceptanceCriteria: list.optional(),
  priority: AnyPrioritySchema.optional(),
  dependencies: z.array(TaskIdSchema).max(1_000).optional(),
  contextFiles: list.optional(),
  hints: list.optional(),
  tags: z.array(z.string().max(200)).max(100).optional(),
  expectsNoChanges: z.boolean().optional(),
});

/** Input of a task patch before defaults. */
export type TaskPatchInput = z.input<typeof TaskPatchSchema>;

/** A plain, mutable copy of what defines a task and its outcome (no lease or schedule fields): what state files and checkpoints keep. */
export function taskRecordOf(task: Task) {
  return {
    id: task.id,
    parentId: task.parentId,
    title: task.title,
    description: task.description,
    details: task.details,
    testStrategy: task.testStrategy,
    acceptanceCriteria: [...task.acceptanceCriteria],
    priority: task.priority,
    dependencies: [...task.dependencies],
    contextFiles: [...task.contextFiles],
    hints: [...task.hints],
    sourceRef: task.sourceRef,
    tags: [...task.tags],
    expectsNoChanges: task.expectsNoChanges,
    status: task.status,
    statusReason: task.statusReason,
    result: task.result
      ? {
          ...task.result,
          filesModified: [...task.result.filesModified],
          filesCreated: [...task.result.filesCreated],
          discoveryIds: [...task.result.discoveryIds],
          subtasksCreated: [...task.result.subtasksCreated],
        }
      : null,
    reviewFeedback: task.reviewFeedback,
    attempts: task.attempts,
    failures: task.failures,
    completedAt: task.completedAt,
  };
}
