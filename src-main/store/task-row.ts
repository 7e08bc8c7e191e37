import type { Priority } from '../../src-shared/domain/priority';
import type { Task, TaskResult } from '../../src-shared/domain/task';
import type { TaskStatus } from '../../src-shared/domain/task-status';
import { parseJson, parseStringArray } from './json-columns';

/** A row of the tasks table as SQLite returns it. */
export interface TaskRow {
  readonly id: string;
  readonly id_key: string;
  readonly parent_id: string | null;
  readonly title: string;
  readonly description: string;
  readonly details: string;
  readonly test_strategy: string;
  readonly acceptance: string;
  readonly priority: string;
  readonly priority_rank: number;
  readonly status: string;
  readonly status_reason: string | null;
  readonly context_files: string;
  readonly hints: string;
  readonly source_ref: string | null;
  readonly tags: string;
  readonly result: string | null;
  readonly review_feedback: string | null;
  readonly critical_rank: number;
  readonly attempts: number;
  readonly failures: number;
  readonly lease_owner: string | null;
  readonly lease_expires_at: number | null;
  readonly current_attempt_id: string | null;
  readonly not_before: number | null;
  readonly created_at: number;
  readonly updated_at: number;
  readonly claimed_at: number | null;
  readonly started_at: number | null;
  readonly completed_at: number | null;
  readonly expects_no_changes: number;
  readonly resume_attempt_id: string | null;
}

/** Maps a row (plus its dependencies) onto the domain type. */
export function taskFromRow(row: TaskRow, dependencies: ReadonlyArray<string>): Task {
  return {
    id: row.id,
    parentId: row.parent_id,
    title: row.title,
    description: row.description,
    details: row.details,
    testStrategy: row.test_strategy,
    acceptanceCriteria: parseStringArray(row.acceptance),
    priority: row.priority as Priority,
    status: row.status as TaskStatus,
    statusReason: row.status_reason,
    dependencies,
    contextFiles: parseStringArray(row.context_files),
    hints: parseStringArray(row.hints),
    sourceRef: row.source_ref,
    tags: parseStringArray(row.tags),
    expectsNoChanges: row.expects_no_changes === 1,
    result: parseJson<TaskResult>(row.result),
    reviewFeedback: row.review_feedback,
    resumeAttemptId: row.resume_attempt_id,
    attempts: row.attempts,
    failures: row.failures,
    criticalRank: row.critical_rank,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    currentAttemptId: row.current_attempt_id,
    notBefore: row.not_before,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    claimedAt: row.claimed_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
  };
}
