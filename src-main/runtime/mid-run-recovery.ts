import type { EngineEventBus } from '../engine/engine-events';
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
  for (const lease of report.releasedTasks) {
    const failed = lease.failed === true;
    const reason = failed ? 'its attempts kept ending with their worker process gone' : (lease.reason ?? 'its worker process died; it will run again');
    deps.events.emit('task.changed', { taskId: lease.taskId, status: failed ? 'failed' : 'ready', previousStatus: null, reason, runId });
  }
  for (const integration of report.integrations) deps.events.emit('integration.changed', { runId: integration.runId, status: integration.status, lines: integration.lines });
  for (const line of report.lines) deps.log?.(line);
}
