import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectSummary } from '../../../src-shared/rpc/contract';
import type { EventHub } from '../../../src-shared/rpc/event-hub';
import type { CallContext, Handlers } from '../../../src-shared/rpc/server';
import { resolveProjectFolder } from '../project-folder';
import type { RecentProjects } from '../recent-projects';

type AppHandlers = Pick<Handlers, 'app.info' | 'projects.list' | 'projects.open' | 'projects.forget'>;

/** Handlers of the app-level methods: host info and recent projects. */
export function appHandlers(deps: { readonly version: string; readonly recent: RecentProjects; readonly events: EventHub }): AppHandlers {
  const { recent, events } = deps;
  const summarize = (entry: { path: string; name: string; lastOpenedAt: string }): ProjectSummary => ({
    ...entry,
    isGitRepository: existsSync(join(entry.path, '.git')),
  });
  return {
    'app.info': (_input, context: CallContext) => ({
      name: 'Claude Orchestrator',
      version: deps.version,
      platform: process.platform,
      nodeVersion: process.versions.node,
      transport: context.transport,
    }),
    'projects.list': () => recent.list().map(summarize),
    'projects.open': async ({ path }) => {
      const folder = await resolveProjectFolder(path);
      const openedAt = new Date();
      recent.touch(folder.path, folder.name, openedAt);
      const summary: ProjectSummary = { ...folder, lastOpenedAt: openedAt.toISOString() };
      events.emit('project.opened', summary);
      events.emit('projects.changed', { count: recent.list().length });
      return summary;
    },
    'projects.forget': ({ path }) => {
      const removed = recent.remove(path);
      if (removed) events.emit('projects.changed', { count: recent.list().length });
      return { removed };
    },
  };
}
