import { RpcError } from '../../../src-shared/rpc/errors';
import type { Handlers } from '../../../src-shared/rpc/server';
import { mapEngineErrors } from '../engine-errors';
import type { ProjectSessions } from '../project-sessions';

type CommentHandlers = Pick<Handlers, 'attempts.comments' | 'attempts.addComment' | 'attempts.deleteComment'>;

/** Handlers of the user's line comments on attempts' diffs (sent to the next attempt by tasks.review's request_changes). */
export function commentHandlers(sessions: ProjectSessions): CommentHandlers {
  return {
    'attempts.comments': async ({ project, attemptId }) => {
      const { orchestrator } = await sessions.get(project);
      return mapEngineErrors(() => {
        requireAttempt(orchestrator.store.attempts.get(attemptId), attemptId);
        return [...orchestrator.store.attemptComments.listForAttempt(attemptId)];
      });
    },
    'attempts.addComment': async ({ project, attemptId, comment }) => {
      const { orchestrator } = await sessions.get(project);
      return mapEngineErrors(() => {
        const { store } = orchestrator;
        return store.write(() => {
          requireAttempt(store.attempts.get(attemptId), attemptId);
          return store.attemptComments.insert({ attemptId, ...comment, createdAt: Date.now() });
        });
      });
    },
    'attempts.deleteComment': async ({ project, id }) => {
      const { orchestrator } = await sessions.get(project);
      return mapEngineErrors(() => ({ deleted: orchestrator.store.write(() => orchestrator.store.attemptComments.delete(id)) }));
    },
  };
}

function requireAttempt<T>(attempt: T | undefined, attemptId: string): asserts attempt is T {
  if (attempt === undefined) throw new RpcError('not_found', `No attempt ${attemptId} in this project.`);
}
