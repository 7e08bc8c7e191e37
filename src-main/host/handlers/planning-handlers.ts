import { RpcError } from '../../../src-shared/rpc/errors';
import type { Handlers } from '../../../src-shared/rpc/server';
import { planToNewTasks } from '../../runtime/plan-import';
import { mapEngineErrors } from '../engine-errors';
import type { ProjectSessions } from '../project-sessions';

type PlanningHandlers = Pick<Handlers, 'prd.plan' | 'prd.accept'>;

/** Handlers of the planning methods: the manager's plan of a PRD as a preview, then its acceptance in one batch. */
export function planningHandlers(sessions: ProjectSessions): PlanningHandlers {
  return {
    'prd.plan': async ({ project, text }) => {
      const runtime = await sessions.get(project);
      return mapEngineErrors(async () => {
        const manager = runtime.manager();
        const plan = await withManagerErrors(() => manager.parsePrd(text, { lessons: runtime.planningLessons() }));
        // Numbered after the project's existing tasks, as `co parse` numbers them.
        const tasks = planToNewTasks(plan.tasks, runtime.orchestrator.store.tasks.maxNumericId());
        const notes: Array<{ kind: string; message: string }> = plan.notes.map(({ kind, message }) => ({ kind, message }));
        if (plan.modelNotes !== undefined && plan.modelNotes.trim() !== '') notes.push({ kind: 'manager', message: plan.modelNotes.trim() });
        return { tasks, notes, costUsd: plan.costUsd };
      });
    },
    'prd.accept': async ({ project, tasks }) => {
      const runtime = await sessions.get(project);
      return mapEngineErrors(() => ({ ids: [...runtime.orchestrator.addTasksBatch(tasks)] }));
    },
  };
}

/** Turns the manager's own failures (refusal, bad key, API down) into rpc errors that carry its message. */
async function withManagerErrors<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error && (error.name === 'ManagerError' || error.name === 'CallAbortedError')) {
      throw new RpcError('failed_precondition', `The manager could not plan this PRD: ${error.message}`);
    }
    throw error;
  }
}
