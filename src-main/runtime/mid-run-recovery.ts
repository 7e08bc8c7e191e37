import type { EngineEventBus } from '../engine/engine-events';
import { announceReclaimed } from '../engine/reclaimed-leases';
import { deadOwnersLeftWork, recoverProject, type RecoveryOptions, type RecoveryReport } from '../pipeline/recover';

/** What the mid-run recovery needs from the runtime. */
export interface MidRunRecoveryDeps {
  /** The same options as recovery on open (read when it runs: the store opens lazily). */
  readonly options: () => RecoveryOptions;
  readonly events: EngineEventBus;
  /** The run in progress here, for the events. */
  readonly runId: () => string | null;
  /** Told what recovery brought in or kept (the lines `co run` prints on open). */
  readonly log?: (line: string) => void;
}

/**
 * The scheduler's `recoverDeadOwners`: while this process runs, another one sharing the project
 * (`co run` beside the app) may die. Its leftovers get the same recovery as on open — a task whose
 * work it had already merged is done, not redone; its agents are killed; its other tasks are ready;
 * its run's integration branch is merged into the user's branch (or kept, with the reason) — and
 * clients hear what changed. Only when a dead owner left something (checked cheaply at every poll).
 */
export function midRunRecovery(deps: MidRunRecoveryDeps): () => Promise<void> {
  return async () => {
    const options = deps.options();
    if (!deadOwnersLeftWork(options.store, options.isOwnerAlive)) return;
    const report = await recoverProject(options);
    announce(deps, report);
  };
}

function announce(deps: MidRunRecoveryDeps, report: RecoveryReport): void {
  const runId = deps.runId();
  for (const taskId of report.completedTasks) {
    deps.events.emit('task.changed', { taskId, status: 'done', previousStatus: null, reason: 'its process stopped after its work was merged; recovered', runId });
  }
  announceReclaimed(deps.events, report.releasedTasks, runId);
  for (const integration of report.integrations) deps.events.emit('integration.changed', { runId: integration.runId, status: integration.status, lines: integration.lines });
  for (const line of report.lines) deps.log?.(line);
}

/** Recovery passes while no run goes on here, kept apart from a run's own start. */
export interface IdleRecovery {
  /** Runs `work` once no pass is under way; no pass starts until it is done (a run's start recovers and opens its branch in one go). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** No more passes; resolves when the one under way is done. */
  stop(): Promise<void>;
}

/**
 * The app keeps a project open between runs: when a process sharing it (`co run`) dies meanwhile,
 * `recover` runs within `intervalMs` (when it finds something to do), not only at the next run or
 * the next opening. Passes never overlap, and none runs while a run is going on here (the
 * scheduler's own hook covers that time).
 */
export function recoverWhileIdle(recover: () => Promise<void>, options: { readonly intervalMs: number; readonly isRunning: () => boolean; readonly log?: (line: string) => void }): IdleRecovery {
  let queue: Promise<unknown> = Promise.resolve();
  let passQueued = false;
  let stopped = false;
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  const timer = setInterval(() => {
    if (stopped || passQueued || options.isRunning()) return;
    passQueued = true;
    exclusive(async () => {
      passQueued = false;
      if (!stopped && !options.isRunning()) await recover();
    }).catch((error: unknown) => options.log?.(`recovering what a stopped process left failed: ${error instanceof Error ? error.message : String(error)}`));
  }, options.intervalMs);
  timer.unref();
  return {
    exclusive,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await queue;
    },
  };
}
