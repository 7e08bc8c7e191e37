import type { NewTaskInput } from '../../../src-shared/domain/task';

/** One task of the manager's proposed plan, as the preview shows and edits it. */
export interface ProposedTask {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly details: string;
  readonly testStrategy: string;
  readonly acceptanceCriteria: ReadonlyArray<string>;
  readonly priority: 'high' | 'medium' | 'low';
  readonly dependencies: ReadonlyArray<string>;
  readonly contextFiles: ReadonlyArray<string>;
  readonly hints: ReadonlyArray<string>;
}

/** A note shown above the preview: the manager's repairs, and what the user's edits changed. */
export interface PlanNote {
  readonly kind: string;
  readonly message: string;
}

/** The plan under edit: tasks, notes, and what planning cost. */
export interface PlanDraft {
  readonly tasks: ReadonlyArray<ProposedTask>;
  readonly notes: ReadonlyArray<PlanNote>;
  readonly costUsd: number;
}

/** Changes one task's fields, leaving the others as they are. */
export function updateTask(draft: PlanDraft, id: string, patch: Partial<Pick<ProposedTask, 'title' | 'priority'>>): PlanDraft {
  return { ...draft, tasks: draft.tasks.map((task) => (task.id === id ? { ...task, ...patch } : task)) };
}

/** Adds or removes one dependency of a task (never on itself). */
export function toggleDependency(draft: PlanDraft, id: string, dependencyId: string, on: boolean): PlanDraft {
  if (id === dependencyId) return draft;
  return {
    ...draft,
    tasks: draft.tasks.map((task) => {
      if (task.id !== id) return task;
      const others = task.dependencies.filter((dependency) => dependency !== dependencyId);
      return { ...task, dependencies: on ? [...others, dependencyId] : others };
    }),
  };
}

/** Removes a task; tasks that depended on it lose that dependency, and a note says which. */
export function removeTask(draft: PlanDraft, id: string): PlanDraft {
  const removed = draft.tasks.find((task) => task.id === id);
  if (removed === undefined) return draft;
  const dependants: string[] = [];
  const tasks = draft.tasks
    .filter((task) => task.id !== id)
    .map((task) => {
      if (!task.dependencies.includes(id)) return task;
      dependants.push(task.id);
      return { ...task, dependencies: task.dependencies.filter((dependency) => dependency !== id) };
    });
  const message =
    dependants.length === 0
      ? `Removed task ${id} "${removed.title}".`
      : `Removed task ${id} "${removed.title}"; ${dependants.length === 1 ? 'task' : 'tasks'} ${dependants.join(', ')} no longer depend on it.`;
  return { ...draft, tasks, notes: [...draft.notes, { kind: 'edit', message }] };
}

/** The tasks to send to prd.accept, exactly as the user left them. */
export function toNewTasks(draft: PlanDraft): NewTaskInput[] {
  return draft.tasks.map((task) => ({
    id: task.id,
    title: task.title,
    description: task.description,
    details: task.details,
    testStrategy: task.testStrategy,
    acceptanceCriteria: [...task.acceptanceCriteria],
    priority: task.priority,
    dependencies: [...task.dependencies],
    contextFiles: [...task.contextFiles],
    hints: [...task.hints],
  }));
}
