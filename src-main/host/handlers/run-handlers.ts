import type { Handlers } from '../../../src-shared/rpc/server';
import { mapEngineErrors } from '../engine-errors';
import type { ProjectSessions } from '../project-sessions';

type RunHandlers = Pick<Handlers, 'runs.start' | 'runs.stop' | 'runs.status' | 'runs.integrate'>;

/** Handlers that start, stop and report runs. */
export function runHandlers(sessions: ProjectSessions): RunHandlers {
  return {
    'runs.start': async ({ project, taskIds }) => {
      const runtime = await sessions.get(project);
      return mapEngineErrors(() => runtime.start(taskIds === undefined ? {} : { taskIds }));
    },
    'runs.stop': async ({ project }) => {
      const { orchestrator } = await sessions.get(project);
      return mapEngineErrors(async () => (await orchestrator.stop()) ?? null);
    },
    'runs.integrate': async ({ project }) => {
      const runtime = await sessions.get(project);
      return mapEngineErrors(async () => {
        const reports = await runtime.integrateKept();
        return {
          integrated: reports.filter((report) => report.status === 'integrated').map((report) => report.runId),
          lines: reports.flatMap((report) => report.lines),
          stillKept: runtime.unintegrated().filter((integration) => integration.status === 'kept'),
        };
      });
    },
    'runs.status': async ({ project }) => {
      const runtime = await sessions.get(project);
      const { orchestrator } = runtime;
      return mapEngineErrors(() => {
        const status = orchestrator.getStatus();
        const totals = orchestrator.store.usage.totalsForProject();
        const run = status.runId === null ? null : (orchestrator.store.runs.get(status.runId) ?? null);
        return {
          running: status.running,
          run,
          counts: status.counts,
          total: status.total,
          activeWorkers: status.activeWorkers,
          pausedUntil: status.pausedUntil ?? null,
          usage: totals.usage,
          costUsd: totals.costUsd,
          // A client opened (or reloaded) mid-run has missed these attempts' attempt.started events.
          activeAttempts: orchestrator.getActiveAttempts().map((attempt) => ({ ...attempt, taskTitle: orchestrator.store.tasks.get(attempt.taskId)?.title ?? '' })),
          unintegrated: [...runtime.unintegrated()],
          lastIntegration: [...runtime.lastIntegrationReport()],
          finishing: runtime.finishing(),
        };
      });
    },
  };
}
