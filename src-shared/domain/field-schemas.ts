import { z } from 'zod';
import { priorityFrom, PRIORITIES, type Priority } from './priority';
import { INVALID_TASK_ID_MESSAGE, TASK_ID_PATTERN } from './task-id';
import { TASK_STATUSES } from './task-status';

/**
 * Zod schemas of a task's fields. They live apart from the plain values and functions of
 * task-status.ts, priority.ts and task-id.ts so that code which only reads tasks (the store,
 * `co list`) loads without zod (docs/BENCHMARKS.md, "`co list --json`").
 */

/** A task status, with a message that lists the valid values. */
export const TaskStatusSchema = z.enum(TASK_STATUSES, {
  error: (issue) => `invalid status ${JSON.stringify(issue.input)}: expected one of ${TASK_STATUSES.join(', ')}`,
});

/** A named priority. */
export const PrioritySchema = z.enum(PRIORITIES, {
  error: (issue) => `invalid priority ${JSON.stringify(issue.input)}: expected high, medium, low or a number 1-10`,
});

/** A named priority or the Python API's numeric 1-10, as a named priority (see priorityFrom). */
export const AnyPrioritySchema = z
  .union([PrioritySchema, z.number()], { error: (issue) => invalidPriority(issue.input) })
  .transform((value, context): Priority => {
    const priority = priorityFrom(value);
    if (priority !== undefined) return priority;
    context.addIssue({ code: 'custom', message: invalidPriority(value), input: value });
    return z.NEVER;
  });

function invalidPriority(input: unknown): string {
  return `invalid priority ${JSON.stringify(input)}: expected high, medium, low or an integer 1-10`;
}

/** A task id (see TASK_ID_PATTERN). */
export const TaskIdSchema = z.string().regex(TASK_ID_PATTERN, INVALID_TASK_ID_MESSAGE);
