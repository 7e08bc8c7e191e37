import { assertNever } from './assert-never';

/** Task priority as Task Master names it. */
export const PRIORITIES = ['high', 'medium', 'low'] as const;

/** One of PRIORITIES. */
export type Priority = (typeof PRIORITIES)[number];

/**
 * A named priority, or the Python API's numeric 1-10 (10 most urgent) mapped onto one:
 * 8-10 → high, 4-7 → medium, 1-3 → low; undefined for anything else.
 */
export function priorityFrom(value: unknown): Priority | undefined {
  if (typeof value === 'string') return (PRIORITIES as ReadonlyArray<string>).includes(value) ? (value as Priority) : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 10) return priorityFromNumber(value);
  return undefined;
}

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
