import { TASK_STATUSES, type TaskStatus } from '../../../src-shared/domain/task-status';
import { compareTaskIds } from '../../../src-shared/domain/task-id';
import type { Task } from '../../../src-shared/rpc/contract';

/** A status to show, or every status. */
export type StatusFilter = TaskStatus | 'all';

/** What the task list is narrowed by. */
export interface TaskFilter {
  readonly status: StatusFilter;
  readonly search: string;
}

/** The fields a search looks in, lower-cased. */
function searchableText(task: Pick<Task, 'id' | 'title' | 'description'>): string {
  return `${task.id} ${task.title} ${task.description}`.toLowerCase();
}

/** Tasks matching the status and every whitespace-separated search word (id, title or description), in natural id order. */
export function filterTasks<T extends Pick<Task, 'id' | 'title' | 'description' | 'status'>>(
  tasks: ReadonlyArray<T>,
  filter: TaskFilter,
): ReadonlyArray<T> {
  const words = filter.search.toLowerCase().split(/\s+/).filter((word) => word !== '');
  return tasks
    .filter((task) => filter.status === 'all' || task.status === filter.status)
    .filter((task) => {
      if (words.length === 0) return true;
      const text = searchableText(task);
      return words.every((word) => text.includes(word));
    })
    .sort((a, b) => compareTaskIds(a.id, b.id));
}

/** Tasks grouped into board columns, one per status in life-cycle order; empty statuses included. */
export function groupByStatus<T extends Pick<Task, 'id' | 'status'>>(tasks: ReadonlyArray<T>): ReadonlyArray<{ readonly status: TaskStatus; readonly tasks: ReadonlyArray<T> }> {
  const groups = new Map<TaskStatus, T[]>(TASK_STATUSES.map((status) => [status, []]));
  for (const task of tasks) groups.get(task.status)?.push(task);
  return TASK_STATUSES.map((status) => ({ status, tasks: (groups.get(status) ?? []).sort((a, b) => compareTaskIds(a.id, b.id)) }));
}

/** Counts per status of a task list. */
export function countByStatus(tasks: ReadonlyArray<Pick<Task, 'status'>>): Readonly<Record<TaskStatus, number>> {
  const counts = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>;
  for (const task of tasks) counts[task.status] += 1;
  return counts;
}

/** Non-empty trimmed lines of a text area (acceptance criteria are entered one per line). */
export function parseLines(text: string): ReadonlyArray<string> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A status as people read it ("in_progress" → "in progress"). */
export function statusLabel(status: TaskStatus): string {
  return status.replace('_', ' ');
}
