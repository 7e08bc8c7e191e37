import type { EventName, EventPayload } from '../../src-shared/rpc/contract';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import type { EngineEvents } from '../engine/engine-events';
import { openProjectRuntime, type ProjectRuntime, type ProjectRuntimeOptions } from '../runtime/project-runtime';
import { mapEngineErrors } from './engine-errors';
import { resolveProjectFolder } from './project-folder';

/** Engine events forwarded to clients, by name; the payload gains the project's path. */
const FORWARDED: ReadonlyArray<keyof EngineEvents & EventName> = [
  'task.changed',
  'task.removed',
  'tasks.reset',
  'attempt.started',
  'attempt.finished',
  'attempt.stage',
  'attempt.log',
  'run.started',
  'run.progress',
  'run.finished',
  'run.finishing',
  'run.summarized',
  'integration.changed',
  'pool.paused',
  'pool.resumed',
  'discovery',
];

type Forwarded = (typeof FORWARDED)[number];
/** Forwarded events whose engine payload, with the project added, is not what the contract says the event carries. */
type MismatchedPayloads = { [K in Forwarded]: EngineEvents[K] & { readonly project: string } extends EventPayload<K> ? never : K }[Forwarded];
// Fails to compile, naming the event, when an engine payload and the contract drift apart (the forwarding below casts).
const payloadsMatch: [MismatchedPayloads] extends [never] ? true : MismatchedPayloads = true;
void payloadsMatch;

/** How often an open project with no run going on looks for processes sharing it that died (`co run` killed beside the app). */
const IDLE_RECOVERY_INTERVAL_MS = 2_000;

/** Builds a runtime for a project; tests pass one with an in-process backend. */
export type RuntimeFactory = (options: ProjectRuntimeOptions) => Promise<ProjectRuntime>;

/** The projects this host has open, each with its runtime, opened on first use and shared by all clients. */
export class ProjectSessions {
  private readonly sessions = new Map<string, Promise<ProjectRuntime>>();

  constructor(
    private readonly events: EventHub,
    private readonly openRuntime: RuntimeFactory = openProjectRuntime,
    private readonly extras: Pick<ProjectRuntimeOptions, 'desktopNotifier' | 'log'> & {
      /** Whether something besides a run keeps a project open (a terminal a person drives in it). */
      readonly keepsOpen?: (projectDir: string) => boolean;
    } = {},
  ) {}

  /** The runtime of a project folder, opening it if needed. */
  async get(projectPath: string): Promise<ProjectRuntime> {
    const folder = await resolveProjectFolder(projectPath);
    let session = this.sessions.get(folder.path);
    if (session === undefined) {
      session = mapEngineErrors(() => this.open(folder.path));
      this.sessions.set(folder.path, session);
      session.catch(() => this.sessions.delete(folder.path));
    }
    return session;
  }

  /** Whether this host has a project's runtime open (`projectDir` as resolved, i.e. a real path). */
  isOpen(projectDir: string): boolean {
    return this.sessions.has(projectDir);
  }

  /**
   * Closes a project's runtime when no run is in progress or finishing (merge, final review) and no
   * terminal is open in it, so the next use reads its new settings; true when closed.
   */
  async closeIfIdle(projectPath: string): Promise<boolean> {
    const folder = await resolveProjectFolder(projectPath).catch(() => null);
    const session = folder === null ? undefined : this.sessions.get(folder.path);
    if (folder === null || session === undefined) return false;
    const runtime = await session.catch(() => null);
    if (runtime !== null && (runtime.orchestrator.getStatus().running || runtime.finishing() !== null)) return false;
    if (this.extras.keepsOpen?.(folder.path) === true) return false;
    this.sessions.delete(folder.path);
    await runtime?.close();
    return true;
  }

  /** Closes every open project (stopping their runs). */
  async closeAll(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(open.map(async (session) => (await session).close()));
  }

  private async open(projectDir: string): Promise<ProjectRuntime> {
    const { keepsOpen: _keepsOpen, ...extras } = this.extras;
    const runtime = await this.openRuntime({ projectDir, ...extras, recoverWhileIdleMs: IDLE_RECOVERY_INTERVAL_MS });
    const bus = runtime.orchestrator.events;
    for (const name of FORWARDED) {
      bus.on(name, (payload) => {
        this.events.emit(name, { ...(payload as object), project: projectDir } as never);
      });
    }
    return runtime;
  }
}
