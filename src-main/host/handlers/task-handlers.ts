import type { Task } from '../../../src-shared/domain/task';
import { compareTaskIds } from '../../../src-shared/domain/task-id';
import { priorityRank } from '../../../src-shared/domain/priority';
import type { Handlers } from '../../../src-shared/rpc/server';
import { RpcError } from '../../../src-shared/rpc/errors';
import { mapEngineErrors } from '../engine-errors';
import type { ProjectSessions } from '../project-sessions';

type TaskHandlers = Pick<
  Handlers,
  'tasks.list' | 'tasks.get' | 'tasks.create' | 'tasks.update' | 'tasks.setStatus' | 'tasks.delete' | 'tasks.cancel' | 'tasks.next' | 'attempts.list' | 'attempts.logs' | 'discoveries.list'
>;

/** Handlers of the task and attempt methods, over each project's orchestrator. */
export function taskHandlers(sessions: ProjectSessions): TaskHandlers {
  const withProject = async <T>(project: string, body: (runtime: Awaited<ReturnType<ProjectSessions['get']>>) => T): Promise<T> => {
    const runtime = await sessions.get(project);
    return mapEngineErrors(() => body(runtime));
  };
  return {
    'tasks.list': ({ project, status, parentId }) =>
      withProject(project, ({ orchestrator }) => [
        ...orchestrator.listTasks({ ...(status === undefined ? {} : { statuses: [status] }), ...(parentId === undefined ? {} : { parentId }) }),
      ]),
    'tasks.get': ({ project, id }) => withProject(project, ({ orchestrator }) => orchestrator.getTask(id)),
    'tasks.create': ({ project, task }) =>
      withProject(project, ({ orchestrator }) => orchestrator.getTask(orchestrator.addTask(task))),
    'tasks.update': ({ project, id, patch }) => withProject(project, ({ orchestrator }) => orchestrator.updateTask(id, patch)),
    'tasks.setStatus': ({ project, id, status, reason }) => withProject(project, ({ orchestrator }) => orchestrator.setTaskStatus(id, status, reason)),
    'tasks.delete': ({ project, id, force }) =>
      withProject(project, ({ orchestrator }) => {
        orchestrator.deleteTask(id, { force });
        return { deleted: true as const };
      }),
    'tasks.cancel': ({ project, id }) => withProject(project, ({ orchestrator }) => orchestrator.cancelTask(id)),
    'tasks.next': ({ project }) => withProject(project, ({ orchestrator }) => [...orchestrator.listTasks({ statuses: ['ready'] })].sort(byScheduleOrder)[0] ?? null),
    'attempts.list': ({ project, id }) =>
      withProject(project, ({ orchestrator }) => {
        orchestrator.getTask(id);
        return [...orchestrator.store.attempts.listForTask(id)];
      }),
    'discoveries.list': ({ project, taskId }) =>
      withProject(project, ({ orchestrator }) => {
        if (taskId === undefined) return [...orchestrator.store.discoveries.list()].reverse();
        orchestrator.getTask(taskId);
        return [...orchestrator.store.discoveries.listForTask(taskId)];
      }),
    'attempts.logs': ({ project, attemptId, afterSeq, limit, tail }) =>
      withProject(project, ({ orchestrator }) => {
        const { store } = orchestrator;
        if (store.attempts.get(attemptId) === undefined) throw new RpcError('not_found', `No attempt ${attemptId} in this project.`);
        // Lines already pushed as attempt.log may still wait in the batched writer; a client joining mid-run needs them too.
        store.logWriter.flush();
        const events = tail ? store.logEvents.listLatestForAttempt(attemptId, afterSeq, limit) : store.logEvents.listForAttempt(attemptId, afterSeq, limit);
        return events.map(({ attemptId: id, seq, at, kind, text }) => ({ attemptId: id, seq, at, kind, text }));
      }),
  };
}

/** The scheduler's order: longest remaining chain first, then priority, then id. */
function byScheduleOrder(a: Task, b: Task): number {
  return b.criticalRank - a.criticalRank || priorityRank(b.priority) - priorityRank(a.priority) || compareTaskIds(a.id, b.id);
}
