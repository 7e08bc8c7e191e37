/** A value or a promise of it: the store is synchronous (better-sqlite3), adapters may not be. */
export type Awaitable<T> = T | Promise<T>;

/** The files one task changed. */
export interface TaskFileChanges {
  readonly taskId: string;
  /** Project-relative paths with forward slashes; a rename lists both the old and the new path. */
  readonly filesChanged: ReadonlyArray<string>;
}

/** One merged attempt of a task, as its git history records it. */
export interface TaskCommitRange {
  readonly taskId: string;
  readonly attemptId: string;
  /** The integration tip the attempt started from. */
  readonly before: string;
  /** What merging the attempt gave: a "Merge task …" commit, or the attempt's own commit after a fast-forward. */
  readonly after: string;
  readonly finishedAt: Date;
}

/** Options of `TaskSnapshotSource.snapshotTasks`. */
export interface SnapshotOptions {
  /**
   * The snapshot a FULL rollback is about to restore: tasks it lacks are about to be removed,
   * so their attempts go into this snapshot too, and restoring it (the undo) brings them back.
   */
  readonly replacedBy?: unknown;
}

/**
 * What checkpoints and rollback need from the task table, which another module owns. The
 * store implements this; tests use an in-memory one. Nothing here knows the table's shape.
 */
export interface TaskSnapshotSource {
  /** A JSON-serialisable copy of the whole task table, stored with a checkpoint. */
  snapshotTasks(options?: SnapshotOptions): Awaitable<unknown>;
  /** Puts the task table back exactly as in a snapshot (FULL rollback), with any attempts the snapshot kept. */
  restoreTasks(snapshot: unknown): Awaitable<void>;
  /** Sets these tasks back to pending, clearing leases and results (PARTIAL and SELECTIVE). */
  resetTasksToPending(taskIds: ReadonlyArray<string>): Awaitable<void>;
  /** Tasks that became done after `since`, with the files each changed (PARTIAL). */
  tasksCompletedSince(since: Date): Awaitable<ReadonlyArray<TaskFileChanges>>;
  /** The files the given tasks changed after `since`, whatever their status now (SELECTIVE without git history). */
  filesChangedByTasks(taskIds: ReadonlyArray<string>, since: Date): Awaitable<ReadonlyArray<TaskFileChanges>>;
  /** The merged attempts of the given tasks that finished after `since` (SELECTIVE). */
  taskCommits(taskIds: ReadonlyArray<string>, since: Date): Awaitable<ReadonlyArray<TaskCommitRange>>;
}
