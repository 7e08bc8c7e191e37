import { EventHub } from '../../src-shared/rpc/event-hub';
import { RpcServer, type Handlers } from '../../src-shared/rpc/server';
import type { DesktopNotifier } from '../notify/desktop-notifier';
import { redactSecrets } from '../workspace/redact';
import { openAppDatabase } from './app-database';
import { appHandlers } from './handlers/app-handlers';
import { checkpointHandlers } from './handlers/checkpoint-handlers';
import { commentHandlers } from './handlers/comment-handlers';
import { feedbackHandlers } from './handlers/feedback-handlers';
import { gitHubHandlers } from './handlers/github-handlers';
import { planningHandlers } from './handlers/planning-handlers';
import { runHandlers } from './handlers/run-handlers';
import { settingsHandlers } from './handlers/settings-handlers';
import { taskHandlers } from './handlers/task-handlers';
import { terminalHandlers } from './handlers/terminal-handlers';
import { TerminalSessions } from '../terminal/terminal-sessions';
import { openProjectRuntime } from '../runtime/project-runtime';
import { ProjectLocks } from './project-lock';
import { ProjectSessions, type RuntimeFactory } from './project-sessions';
import { ProjectViewers } from './project-viewers';
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
  /** Native dialogs; only the Electron shell has them. */
  readonly dialogs?: HostDialogs;
  /** How another app names this one when the project is open here, e.g. "the desktop app". */
  readonly appLabel?: string;
}

/** The desktop shell's native dialogs, offered to the renderer through `app.pickFolder`. */
export interface HostDialogs {
  /** Shows a folder picker; null when the user cancelled. */
  pickFolder(title: string): Promise<string | null>;
}

/** The wired-up host: one RPC server and one event hub, shared by every transport. */
export interface AppHost {
  readonly server: RpcServer;
  readonly events: EventHub;
  readonly sessions: ProjectSessions;
  /** A client (socket, window) went away: projects no other client shows are closed unless running. */
  clientGone(client: string): void;
  close(): Promise<void>;
}

/** Wires the app database, the open projects and the handlers of every method into one host. */
export function createAppHost(options: AppHostOptions): AppHost {
  const db = openAppDatabase(options.userDataDir);
  const recent = new RecentProjects(db);
  const events = new EventHub();
  const viewers = new ProjectViewers();
  const locks = new ProjectLocks(options.appLabel ?? 'another Claude Orchestrator app');
  const terminals = new TerminalSessions({ emit: (event, payload) => events.emit(event, payload) });
  const sessions = new ProjectSessions(events, lockedRuntimes(locks, options.openRuntime ?? openProjectRuntime), {
    ...(options.desktopNotifier === undefined ? {} : { desktopNotifier: options.desktopNotifier }),
    ...(options.log === undefined ? {} : { log: options.log }),
    // A terminal keeps its project open, as a run does; the host's close ends both.
    keepsOpen: (projectDir) => terminals.list(projectDir).length > 0,
  });

  const handlers: Handlers = {
    ...appHandlers({
      version: options.version,
      recent,
      events,
      locks,
      sessions,
      viewers,
      ...(options.dialogs === undefined ? {} : { dialogs: options.dialogs }),
      ...(options.log === undefined ? {} : { log: (line: string) => options.log?.(redactSecrets(`[host] ${line}`)) }),
    }),
    ...taskHandlers(sessions),
    ...runHandlers(sessions),
    ...planningHandlers(sessions),
    ...checkpointHandlers(sessions),
    ...commentHandlers(sessions),
    ...feedbackHandlers(sessions),
    ...gitHubHandlers(sessions, options.desktopNotifier === undefined ? {} : { desktopNotifier: options.desktopNotifier }),
    ...terminalHandlers(sessions, terminals),
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
    clientGone: (client) => {
      for (const projectDir of viewers.removeClient(client)) {
        sessions.closeIfIdle(projectDir).catch((error: unknown) => options.log?.(redactSecrets(`[host] closing ${projectDir} failed: ${String(error)}`)));
      }
    },
    close: async () => {
      await terminals.closeAll();
      await sessions.closeAll();
      locks.releaseAll();
      db.close();
    },
  };
}

/** Opens runtimes only under the project's lock, and lets go of the lock when the runtime closes. */
function lockedRuntimes(locks: ProjectLocks, open: RuntimeFactory): RuntimeFactory {
  return async (options) => {
    locks.acquire(options.projectDir);
    try {
      const runtime = await open(options);
      return {
        ...runtime,
        close: async () => {
          try {
            await runtime.close();
          } finally {
            locks.release(options.projectDir);
          }
        },
      };
    } catch (error) {
      locks.release(options.projectDir);
      throw error;
    }
  };
}
