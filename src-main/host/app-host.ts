import { EventHub } from '../../src-shared/rpc/event-hub';
import { RpcServer, type Handlers } from '../../src-shared/rpc/server';
import type { DesktopNotifier } from '../notify/desktop-notifier';
import { redactSecrets } from '../workspace/redact';
import { openAppDatabase } from './app-database';
import { appHandlers } from './handlers/app-handlers';
import { checkpointHandlers } from './handlers/checkpoint-handlers';
import { planningHandlers } from './handlers/planning-handlers';
import { runHandlers } from './handlers/run-handlers';
import { settingsHandlers } from './handlers/settings-handlers';
import { taskHandlers } from './handlers/task-handlers';
import { ProjectSessions, type RuntimeFactory } from './project-sessions';
import { RecentProjects } from './recent-projects';

/** What the host needs from whoever starts it (the Electron shell or `co serve`). */
export interface AppHostOptions {
  readonly userDataDir: string;
  readonly version: string;
  readonly log?: (line: string) => void;
  /** Opens a project's runtime; tests pass one with an in-process backend. */
  readonly openRuntime?: RuntimeFactory;
  /** OS notifications (the Electron shell passes its own). */
  readonly desktopNotifier?: DesktopNotifier;
}

/** The wired-up host: one RPC server and one event hub, shared by every transport. */
export interface AppHost {
  readonly server: RpcServer;
  readonly events: EventHub;
  readonly sessions: ProjectSessions;
  close(): Promise<void>;
}

/** Wires the app database, the open projects and the handlers of every method into one host. */
export function createAppHost(options: AppHostOptions): AppHost {
  const db = openAppDatabase(options.userDataDir);
  const recent = new RecentProjects(db);
  const events = new EventHub();
  const sessions = new ProjectSessions(events, options.openRuntime, {
    ...(options.desktopNotifier === undefined ? {} : { desktopNotifier: options.desktopNotifier }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });

  const handlers: Handlers = {
    ...appHandlers({ version: options.version, recent, events }),
    ...taskHandlers(sessions),
    ...runHandlers(sessions),
    ...planningHandlers(sessions),
    ...checkpointHandlers(sessions),
    ...settingsHandlers(sessions, {
      afterConfigSaved: async (project) => {
        await sessions.closeIfIdle(project);
      },
    }),
  };
  const server = new RpcServer(handlers, {
    redact: redactSecrets,
    onUnexpectedError: (method, error) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      options.log?.(redactSecrets(`[host] ${method} failed unexpectedly: ${text}`));
    },
  });
  return {
    server,
    events,
    sessions,
    close: async () => {
      await sessions.closeAll();
      db.close();
    },
  };
}
