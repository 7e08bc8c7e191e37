import { z } from 'zod';
import { assertNever } from './assert-never';

/** Task priority as Task Master names it. */
export const PRIORITIES = ['high', 'medium', 'low'] as const;

/** One of PRIORITIES. */
export type Priority = (typeof PRIORITIES)[number];

/** Zod schema of a named priority. */
export const PrioritySchema = z.enum(PRIORITIES, {
  error: (issue) => `invalid priority ${JSON.stringify(issue.input)}: expected high, medium, low or a number 1-10`,
});

/**
 * Accepts a named priority or the Python API's numeric 1-10 (10 most urgent):
 * 8-10 → high, 4-7 → medium, 1-3 → low.
 */
export const AnyPrioritySchema = z
  .union([PrioritySchema, z.number()], {
    error: (issue) => `invalid priority ${JSON.stringify(issue.input)}: expected high, medium, low or an integer 1-10`,
  })
  .refine((value) => typeof value === 'string' || (Number.isInteger(value) && value >= 1 && value <= 10), {
    error: (issue) => `invalid priority ${JSON.stringify(issue.input)}: expected high, medium, low or an integer 1-10`,
  })
  .transform((value): Priority => (typeof value === 'number' ? priorityFromNumber(value) : value));

/** Maps the Python API's 1-10 priority onto a named priority. */
export function priorityFromNumber(value: number): Priority {
  if (value >= 8) return 'high';
  if (value >= 4) return 'medium';
  return 'low';
}

/** Larger is more urgent; used for ordering. */
export function priorityRank(priority: Priority): number {
  switch (priority) {
    case 'high':
      return 3;
    case 'medium':
      return 2;
    case 'low':
      return 1;
    default:
      return assertNever(priority, 'priority');
  }
}

/** Representative 1-10 number of a named priority, for the Python-style API. */
export function priorityToNumber(priority: Priority): number {
  switch (priority) {
    case 'high':
      return 9;
    case 'medium':
      return 5;
    case 'low':
      return 2;
    default:
      return assertNever(priority, 'priority');
  }
}
