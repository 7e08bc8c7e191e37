import { RpcError } from '../../../src-shared/rpc/errors';
import type { Handlers } from '../../../src-shared/rpc/server';
import { readInsights } from '../../feedback/insights';
import { mapEngineErrors } from '../engine-errors';
import type { ProjectSessions } from '../project-sessions';

type FeedbackHandlers = Pick<Handlers, 'runs.summary' | 'runs.followUps' | 'insights.get' | 'lessons.list' | 'lessons.update' | 'lessons.delete'>;

/** Handlers of run summaries and their follow-up proposals, insights, and lessons. */
export function feedbackHandlers(sessions: ProjectSessions): FeedbackHandlers {
  const withRuntime = async <T>(project: string, body: (runtime: Awaited<ReturnType<ProjectSessions['get']>>) => T): Promise<T> => {
    const runtime = await sessions.get(project);
    return mapEngineErrors(() => body(runtime));
  };
  return {
    'runs.summary': ({ project, runId }) =>
      withRuntime(project, (runtime) => {
        if (runId !== undefined && runtime.orchestrator.store.runs.get(runId) === undefined) throw new RpcError('not_found', `No run ${runId} in this project.`);
        return runtime.summary(runId) ?? null;
      }),
    'runs.followUps': ({ project, runId, decision }) => withRuntime(project, (runtime) => runtime.decideFollowUps(runId, decision)),
    'insights.get': ({ project }) => withRuntime(project, ({ orchestrator }) => readInsights(orchestrator.store.db)),
    'lessons.list': ({ project }) => withRuntime(project, ({ orchestrator }) => [...orchestrator.store.lessons.list()]),
    'lessons.update': ({ project, id, text }) =>
      withRuntime(project, ({ orchestrator }) => {
        const { store } = orchestrator;
        if (!store.write(() => store.lessons.updateText(id, text, Date.now()))) throw new RpcError('not_found', `No lesson ${id}; it may have been deleted.`);
        return store.lessons.get(id) as NonNullable<ReturnType<typeof store.lessons.get>>;
      }),
    'lessons.delete': ({ project, id }) =>
      withRuntime(project, ({ orchestrator }) => {
        const { store } = orchestrator;
        return { deleted: store.write(() => store.lessons.delete(id, Date.now())) };
      }),
  };
}
