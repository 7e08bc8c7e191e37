/** Task ids: Task Master style ("3", "3.1") or any short slug of letters, digits, '.', '_' and '-'. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** What is wrong with a string that is not a task id. */
export const INVALID_TASK_ID_MESSAGE = 'invalid task id: use 1-64 letters, digits, ".", "_" or "-"';

/** True when `id` has a task id's shape. */
export function isTaskId(id: string): boolean {
  return TASK_ID_PATTERN.test(id);
}

/** Sort key that orders ids naturally ("2" before "10", "1.2" before "1.10"). */
export function taskIdSortKey(id: string): string {
  return id
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? part.padStart(12, '0') : `~${part}`))
    .join('.');
}

/** Natural comparison of task ids. */
export function compareTaskIds(a: string, b: string): number {
  const ka = taskIdSortKey(a);
  const kb = taskIdSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
