import type { NewTaskInput } from '../../src-shared/domain/task';
import type { RepairNote } from '../agents/manager';
import { InvalidStateError } from '../engine/errors';
import { planToNewTasks } from './plan-import';
import type { ProjectRuntime } from './project-runtime';

/** What the manager may be told when it splits a task. */
export interface ExpandRequest {
  /** Show the proposed subtasks without adding them. */
  readonly dryRun?: boolean;
  /** At most this many subtasks. */
  readonly maxSubtasks?: number;
  /** Extra context for the split (what the user wants the subtasks to cover). */
  readonly context?: string;
}

/** The subtasks proposed (and, without dryRun, added) for a task. */
export interface ExpandOutcome {
  readonly parent: string;
  readonly subtasks: ReadonlyArray<NewTaskInput>;
  readonly notes: ReadonlyArray<RepairNote>;
}

/**
 * The manager splits a task into subtasks "<id>.1…" (`co expand`, the MCP server's expand_task).
 * The subtasks inherit the task's dependencies, and the task then depends on its subtasks (it
 * becomes their integration step). Refused for a task that has subtasks already or has started.
 */
export async function expandTaskIntoSubtasks(runtime: ProjectRuntime, id: string, request: ExpandRequest = {}): Promise<ExpandOutcome> {
  const { orchestrator } = runtime;
  const task = orchestrator.getTask(id);
  const existing = orchestrator.listTasks({ parentId: task.id });
  if (existing.length > 0) {
    throw new InvalidStateError(`task ${task.id} already has subtasks (${existing.map((sub) => sub.id).join(', ')}); delete them first to expand it again.`);
  }
  if (task.status !== 'pending' && task.status !== 'ready' && task.status !== 'deferred') {
    throw new InvalidStateError(`task ${task.id} is ${task.status}; only tasks that have not started can be expanded.`);
  }
  const plan = await runtime.manager().expandTask(task, {
    lessons: runtime.planningLessons(),
    ...(request.maxSubtasks === undefined ? {} : { maxSubtasks: request.maxSubtasks }),
    ...(request.context === undefined ? {} : { projectContext: request.context }),
  });
  const subtasks = planToNewTasks(plan.tasks, 0, task.id).map((subtask) => ({
    ...subtask,
    dependencies: [...(subtask.dependencies ?? []), ...task.dependencies],
  }));
  if (request.dryRun !== true) {
    const ids = orchestrator.addTasksBatch(subtasks);
    orchestrator.updateTask(task.id, { dependencies: [...task.dependencies, ...ids] });
  }
  return { parent: task.id, subtasks, notes: plan.notes };
}
