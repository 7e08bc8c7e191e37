import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectSummary } from '../../../src-shared/rpc/contract';
import type { EventHub } from '../../../src-shared/rpc/event-hub';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { CallContext, Handlers } from '../../../src-shared/rpc/server';
import type { HostDialogs } from '../app-host';
import { initGitRepository } from '../../workspace/layout';
import { resolveProjectFolder } from '../project-folder';
import type { ProjectLocks } from '../project-lock';
import type { ProjectSessions } from '../project-sessions';
import type { ProjectViewers } from '../project-viewers';
import type { RecentProjects } from '../recent-projects';

type AppHandlers = Pick<Handlers, 'app.info' | 'app.ping' | 'app.pickFolder' | 'projects.list' | 'projects.open' | 'projects.forget' | 'projects.close' | 'projects.initGit'>;

interface AppHandlerDeps {
  readonly version: string;
  readonly recent: RecentProjects;
  readonly events: EventHub;
  readonly locks: ProjectLocks;
  readonly sessions: ProjectSessions;
  readonly viewers: ProjectViewers;
  readonly dialogs?: HostDialogs;
  /** Told why a project could not be opened for work when it was opened (its calls say it again). */
  readonly log?: (line: string) => void;
}

/** Handlers of the app-level methods: host info, the folder dialog, and opening, closing and forgetting projects. */
export function appHandlers(deps: AppHandlerDeps): AppHandlers {
  const { recent, events, locks, sessions, viewers, dialogs } = deps;
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
      capabilities: { nativeFolderPicker: dialogs !== undefined },
    }),
    'app.ping': () => ({ at: Date.now() }),
    'app.pickFolder': async ({ title }) => {
      if (dialogs === undefined) {
        throw new RpcError('failed_precondition', 'This host has no folder dialog (it is `co serve`, not the desktop app). Type the folder path instead.');
      }
      return { path: await dialogs.pickFolder(title ?? 'Open a project folder') };
    },
    'projects.list': () => recent.list().map(summarize),
    'projects.open': async ({ path }, context) => {
      const folder = await resolveProjectFolder(path);
      // Say at once when another app has the project, rather than on the first task list.
      locks.assertAvailable(folder.path);
      if (context.client !== undefined) viewers.add(folder.path, context.client);
      // Opened for work now, which runs recovery: what a killed process left (its finished work, tasks it
      // held) is settled before anyone looks. A project that cannot open (a broken config) is still shown,
      // so its settings can be fixed; each of its calls says what is wrong.
      await sessions.get(folder.path).catch((error: unknown) => deps.log?.(`opening ${folder.path} for work failed: ${error instanceof Error ? error.message : String(error)}`));
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
    'projects.close': async ({ project }, context) => {
      const folder = await resolveProjectFolder(project);
      // Another tab or window still showing the project keeps it open.
      if (context.client !== undefined && viewers.remove(folder.path, context.client)) return { closed: false };
      return { closed: await sessions.closeIfIdle(folder.path) };
    },
    'projects.initGit': async ({ project }) => {
      const folder = await resolveProjectFolder(project);
      locks.assertAvailable(folder.path);
      // The runtime chose the shared folder (no worktrees) when it opened; it must reopen with worktrees.
      if (!(await sessions.closeIfIdle(folder.path)) && sessions.isOpen(folder.path)) {
        throw new RpcError('failed_precondition', 'A run is in progress in this folder. Stop it (Run tab), then initialise git.');
      }
      try {
        await initGitRepository(folder.path, { userConsented: true });
      } catch (error) {
        throw new RpcError('failed_precondition', `Could not make ${folder.path} a git repository: ${error instanceof Error ? error.message : String(error)}. Is git installed (git --version)?`);
      }
      const entry = recent.list().find((candidate) => candidate.path === folder.path);
      return summarize({ path: folder.path, name: folder.name, lastOpenedAt: entry?.lastOpenedAt ?? new Date().toISOString() });
    },
  };
}
