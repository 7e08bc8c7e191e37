import { RpcError } from '../../../src-shared/rpc/errors';
import type { Handlers } from '../../../src-shared/rpc/server';
import type { ProjectSessions } from '../project-sessions';

type PlanningHandlers = Pick<Handlers, 'prd.plan' | 'prd.accept'>;

/** Handlers of the planning methods (being built). */
export function planningHandlers(sessions: ProjectSessions): PlanningHandlers {
  void sessions;
  const notYet = (method: string): never => {
    throw new RpcError('failed_precondition', `${method} is not available yet.`);
  };
  return {
    'prd.plan': () => notYet('prd.plan'),
    'prd.accept': () => notYet('prd.accept'),
  };
}
