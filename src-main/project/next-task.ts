import { priorityRank } from '../../src-shared/domain/priority';
import type { Task } from '../../src-shared/domain/task';
import { compareTaskIds } from '../../src-shared/domain/task-id';

/**
 * The task a worker would claim next, without claiming it: a ready task whose retry wait is over,
 * ranked as the scheduler ranks (critical path, then priority, then id). Null when none is ready.
 */
export function pickNextReadyTask(tasks: ReadonlyArray<Task>, now: number): Task | null {
  const ready = tasks.filter((task) => task.status === 'ready' && (task.notBefore === null || task.notBefore <= now));
  const sorted = [...ready].sort(
    (a, b) => b.criticalRank - a.criticalRank || priorityRank(b.priority) - priorityRank(a.priority) || compareTaskIds(a.id, b.id),
  );
  return sorted[0] ?? null;
}

/** Why no task is ready, in the words of `co next` and the MCP server's next_task. */
export function noReadyTaskMessage(counts: Readonly<Record<'pending' | 'blocked' | 'done', number>>): string {
  return `No task is ready (${counts.pending} pending on dependencies, ${counts.blocked} blocked, ${counts.done} done).`;
}
