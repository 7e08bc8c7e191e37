import type { TaskCommitRange, TaskFileChanges, TaskSnapshotSource } from '../../../src-main/workspace';

/** A task row as the in-memory table keeps it. */
export interface MemoryTask {
  id: string;
  status: 'pending' | 'in_progress' | 'done' | 'failed';
  completedAt: Date | null;
  filesChanged: string[];
  changedAt: Date | null;
}

/** The simplest TaskSnapshotSource: an array of tasks, for checkpoint and rollback tests. */
export class MemoryTaskTable implements TaskSnapshotSource {
  tasks: MemoryTask[] = [];
  /** Merged attempts, as the store's attempts table would record them (not part of the snapshot). */
  commits: TaskCommitRange[] = [];

  add(id: string): void {
    this.tasks.push({ id, status: 'pending', completedAt: null, filesChanged: [], changedAt: null });
  }

  /** Records a task's work: done (or failed) now, with the files it changed. */
  finish(id: string, files: string[], status: 'done' | 'failed' = 'done', at = new Date()): void {
    const task = this.require(id);
    task.status = status;
    task.completedAt = status === 'done' ? at : null;
    task.filesChanged = files;
    task.changedAt = at;
  }

  /** Records a merged attempt of a task: its work went from `before` to `after` (commits). */
  recordCommit(taskId: string, before: string, after: string, at = new Date()): void {
    this.commits.push({ taskId, attemptId: `${taskId}-a${this.commits.length + 1}`, before, after, finishedAt: at });
  }

  statusOf(id: string): MemoryTask['status'] {
    return this.require(id).status;
  }

  snapshotTasks(): unknown {
    return JSON.parse(JSON.stringify(this.tasks)) as unknown;
  }

  restoreTasks(snapshot: unknown): void {
    const rows = snapshot as Array<Omit<MemoryTask, 'completedAt' | 'changedAt'> & { completedAt: string | null; changedAt: string | null }>;
    this.tasks = rows.map((row) => ({
      ...row,
      completedAt: row.completedAt === null ? null : new Date(row.completedAt),
      changedAt: row.changedAt === null ? null : new Date(row.changedAt),
    }));
  }

  resetTasksToPending(taskIds: readonly string[]): void {
    for (const id of taskIds) {
      const task = this.require(id);
      task.status = 'pending';
      task.completedAt = null;
    }
  }

  tasksCompletedSince(since: Date): TaskFileChanges[] {
    return this.tasks
      .filter((task) => task.status === 'done' && task.completedAt !== null && task.completedAt >= since)
      .map((task) => ({ taskId: task.id, filesChanged: task.filesChanged }));
  }

  filesChangedByTasks(taskIds: readonly string[], since: Date): TaskFileChanges[] {
    return this.tasks
      .filter((task) => taskIds.includes(task.id) && task.changedAt !== null && task.changedAt >= since)
      .map((task) => ({ taskId: task.id, filesChanged: task.filesChanged }));
  }

  taskCommits(taskIds: readonly string[], since: Date): TaskCommitRange[] {
    return this.commits.filter((commit) => taskIds.includes(commit.taskId) && commit.finishedAt >= since);
  }

  private require(id: string): MemoryTask {
    const task = this.tasks.find((candidate) => candidate.id === id);
    if (task === undefined) throw new Error(`no task ${id}`);
    return task;
  }
}
