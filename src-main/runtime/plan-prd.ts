import type { Plan } from '../agents/manager';
import { planToNewTasks, type PlannedNewTask } from './plan-import';
import type { ProjectRuntime } from './project-runtime';

/** The tasks the manager planned from a PRD, and their ids (added, or proposed with dryRun). */
export interface PrdPlanOutcome {
  readonly plan: Plan;
  readonly tasks: ReadonlyArray<PlannedNewTask>;
  readonly ids: ReadonlyArray<string>;
}

/**
 * The manager turns a PRD into tasks with dependencies (`co parse`, the MCP server's parse_prd),
 * numbered after the project's existing tasks, and adds them all or nothing unless dryRun.
 */
export async function planTasksFromPrd(runtime: ProjectRuntime, text: string, request: { readonly dryRun?: boolean; readonly maxTasks?: number } = {}): Promise<PrdPlanOutcome> {
  const plan = await runtime.manager().parsePrd(text, { lessons: runtime.planningLessons(), ...(request.maxTasks === undefined ? {} : { maxTasks: request.maxTasks }) });
  const tasks = planToNewTasks(plan.tasks, runtime.orchestrator.store.tasks.maxNumericId());
  const ids = request.dryRun === true ? tasks.map((task) => task.id) : runtime.orchestrator.addTasksBatch(tasks);
  return { plan, tasks, ids };
}
