import type { Priority } from '../../src-shared/domain/priority';
import type { NewTaskInput } from '../../src-shared/domain/task';
import type { PlannedTask } from '../agents/manager';

/** A planned task ready to add: every field the plan gives is filled in, with the plan's named priority. */
export type PlannedNewTask = NewTaskInput &
  Required<Pick<NewTaskInput, 'id' | 'description' | 'details' | 'testStrategy' | 'acceptanceCriteria' | 'dependencies' | 'contextFiles' | 'hints'>> & { priority: Priority };

/**
 * Turns a manager plan (ids "1".."n", or "<parent>.1".. for subtasks) into new tasks that do
 * not collide with the project's existing ids: plain numeric ids are shifted past the highest
 * existing one, and dependencies follow. Dependencies on ids outside the plan are kept as they are
 * (they name existing tasks, e.g. an expanded task's siblings).
 */
export function planToNewTasks(tasks: ReadonlyArray<PlannedTask>, highestExistingNumericId: number, parentId: string | null = null): PlannedNewTask[] {
  const planIds = new Set(tasks.map((task) => task.id));
  const shift = (id: string): string => (planIds.has(id) && /^\d+$/.test(id) ? String(Number(id) + highestExistingNumericId) : id);
  return tasks.map((task) => ({
    id: shift(task.id),
    ...(parentId === null ? {} : { parentId }),
    title: task.title,
    description: task.description,
    details: task.details,
    testStrategy: task.testStrategy,
    acceptanceCriteria: [...task.acceptanceCriteria],
    priority: task.priority,
    dependencies: task.dependencies.map(shift),
    contextFiles: [...task.contextFiles],
    hints: [...task.hints],
    expectsNoChanges: task.expectsNoChanges,
  }));
}
