import { RpcError } from '../../../src-shared/rpc/errors';
import type { Handlers } from '../../../src-shared/rpc/server';
import type { ProjectSessions } from '../project-sessions';

type CheckpointHandlers = Pick<Handlers, 'checkpoints.list' | 'checkpoints.create' | 'checkpoints.delete' | 'checkpoints.preview' | 'checkpoints.rollback' | 'attempts.diff' | 'tasks.review'>;

/** Handlers of the checkpoint methods (being built). */
export function checkpointHandlers(sessions: ProjectSessions): CheckpointHandlers {
  void sessions;
  const notYet = (method: string): never => {
    throw new RpcError('failed_precondition', `${method} is not available yet.`);
  };
  return {
    'checkpoints.list': () => notYet('checkpoints.list'),
    'checkpoints.create': () => notYet('checkpoints.create'),
    'checkpoints.delete': () => notYet('checkpoints.delete'),
    'checkpoints.preview': () => notYet('checkpoints.preview'),
    'checkpoints.rollback': () => notYet('checkpoints.rollback'),
    'attempts.diff': () => notYet('attempts.diff'),
    'tasks.review': () => notYet('tasks.review'),
  };
}
