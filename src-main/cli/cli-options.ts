import { priorityFrom, type Priority } from '../../src-shared/domain/priority';
import { TASK_STATUSES, parseAnyStatus, type TaskStatus } from '../../src-shared/domain/task-status';
import { isTaskId } from '../../src-shared/domain/task-id';
import { CliError } from './cli-error';

/** Collects a repeatable option's values (`--file a --file b`). */
export function collect(value: string, previous: ReadonlyArray<string> | undefined): ReadonlyArray<string> {
  return [...(previous ?? []), value];
}

/** Parses high|medium|low or 1-10 into a named priority. */
export function parsePriority(value: string, option = '--priority'): Priority {
  const input = /^\s*\d+\s*$/.test(value) ? Number(value) : value.trim().toLowerCase();
  const priority = priorityFrom(input);
  if (priority === undefined) throw new CliError(`${option} must be high, medium, low or a whole number 1-10 (10 most urgent); got "${value}".`);
  return priority;
}

/** Parses a status in our names or the seeds' / Task Master's names. */
export function parseStatus(value: string, option = '--status'): TaskStatus {
  const status = parseAnyStatus(value.trim().toLowerCase());
  if (status === undefined) throw new CliError(`${option}: unknown status "${value}"; use one of ${TASK_STATUSES.join(', ')}.`);
  return status;
}

/** Parses a comma-separated list of statuses. */
export function parseStatusList(value: string, option: string): ReadonlyArray<TaskStatus> {
  return splitList(value).map((item) => parseStatus(item, option));
}

/** Parses "1,2, 3" into task ids, checking each one's shape. */
export function parseIdList(value: string, option: string): ReadonlyArray<string> {
  const ids = splitList(value);
  if (ids.length === 0) throw new CliError(`${option} needs at least one task id, e.g. ${option} 1,2.`);
  for (const id of ids) parseTaskId(id, option);
  return ids;
}

/** Checks one task id's shape. */
export function parseTaskId(id: string, what = 'task id'): string {
  if (!isTaskId(id)) throw new CliError(`${what}: "${id}" is not a task id (ids look like 3 or 3.1).`);
  return id;
}

/** A task's title from its description: the first line, cut to 120 characters. */
export function titleFromDescription(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** Splits "a, b,c" into its non-empty items. */
export function splitList(value: string): ReadonlyArray<string> {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
