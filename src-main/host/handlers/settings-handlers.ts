import { RpcError } from '../../../src-shared/rpc/errors';
import type { Handlers } from '../../../src-shared/rpc/server';
import type { ProjectSessions } from '../project-sessions';

type SettingsHandlers = Pick<Handlers, 'usage.summary' | 'config.get' | 'config.update' | 'secrets.status' | 'secrets.set' | 'secrets.delete' | 'setup.check'>;

/** Handlers of the settings methods (being built). */
export function settingsHandlers(sessions: ProjectSessions): SettingsHandlers {
  void sessions;
  const notYet = (method: string): never => {
    throw new RpcError('failed_precondition', `${method} is not available yet.`);
  };
  return {
    'usage.summary': () => notYet('usage.summary'),
    'config.get': () => notYet('config.get'),
    'config.update': () => notYet('config.update'),
    'secrets.status': () => notYet('secrets.status'),
    'secrets.set': () => notYet('secrets.set'),
    'secrets.delete': () => notYet('secrets.delete'),
    'setup.check': () => notYet('setup.check'),
  };
}
