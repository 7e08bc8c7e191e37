import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { ProjectSummary } from '../../src-shared/rpc/contract';
import { EventHub } from '../../src-shared/rpc/event-hub';
import { RpcServer, type CallContext, type Handlers } from '../../src-shared/rpc/server';
import { openAppDatabase } from './app-database';
import { resolveProjectFolder } from './project-folder';
import { RecentProjects } from './recent-projects';

/** What the host needs from whoever starts it (the Electron shell or `co serve`). */
export interface AppHostOptions {
  readonly userDataDir: string;
  readonly version: string;
  readonly redact?: (text: string) => string;
  readonly log?: (line: string) => void;
}

/** The wired-up host: one RPC server and one event hub, shared by every transport. */
export interface AppHost {
  readonly server: RpcServer;
  readonly events: EventHub;
  close(): void;
}

/** Wires the app database and the handlers of every method into one host. */
export function createAppHost(options: AppHostOptions): AppHost {
  const db: Database.Database = openAppDatabase(options.userDataDir);
  const recent = new RecentProjects(db);
  const events = new EventHub();

  const summarize = (entry: { path: string; name: string; lastOpenedAt: string }): ProjectSummary => ({
    ...entry,
    isGitRepository: existsSync(join(entry.path, '.git')),
  });

  const handlers: Handlers = {
    'app.info': (_input, context: CallContext) => ({
      name: 'Claude Orchestrator',
      version: options.version,
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

  const server = new RpcServer(handlers, {
    ...(options.redact === undefined ? {} : { redact: options.redact }),
    onUnexpectedError: (method, error) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      options.log?.((options.redact ?? ((line: string) => line))(`[host] ${method} failed unexpectedly: ${text}`));
    },
  });
  return { server, events, close: () => db.close() };
}
