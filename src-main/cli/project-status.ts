import type { Orchestrator } from '../engine/orchestrator';
import type { PoolSlotInfo } from '../workspace/pool-maintenance';

/** What `co status --json` and the MCP server's get_run_status report. */
export type ProjectStatus = ReturnType<typeof readProjectStatus>;

/**
 * The project's state in one read: task counts, runs in progress (this process's or another's, as
 * stored), workers holding leases, finished work not integrated yet, usage, a rate-limit pause, and
 * the worktree pool.
 */
export function readProjectStatus(workingDir: string, orchestrator: Orchestrator, poolSlots: ReadonlyArray<PoolSlotInfo>) {
  const store = orchestrator.store;
  const now = Date.now();
  return store.read(() => {
    const status = orchestrator.getStatus();
    const leases = store.tasks.list({ statuses: ['claimed', 'in_progress', 'review'] }).map((task) => ({
      taskId: task.id,
      title: task.title,
      status: task.status,
      worker: task.leaseOwner,
      leaseExpiresAt: task.leaseExpiresAt,
      leaseExpired: task.leaseExpiresAt !== null && task.leaseExpiresAt < now,
    }));
    const runs = store.runs.list(20).filter((run) => run.status === 'running');
    const unintegrated = store.integrations.listUnintegrated().map((integration) => ({
      runId: integration.runId,
      branch: integration.branch,
      status: integration.status,
      reason: integration.note,
      tip: integration.tip,
      /** The one command that brings the work in (null while the run is still merging into it). */
      integrateWith: integration.status === 'kept' ? 'co integrate' : null,
    }));
    return {
      workingDir,
      goal: status.goal,
      total: status.total,
      counts: status.counts,
      maxWorkers: status.maxWorkers,
      runningRuns: runs,
      leases,
      /** Finished work not on your branch yet: kept on a run branch (with why), or a run still merging. */
      unintegrated,
      usage: store.usage.totalsForProject(),
      /** A rate-limit pause of a pool (this process's or one stored by a running `co run` or app). */
      rateLimit: status.pausedUntil === null ? null : { pausedUntil: status.pausedUntil, reason: status.pauseReason },
      /** Pooled attempt worktrees under .orchestrator/pool: free, in use (pid, attempt), or stale (their process is gone). */
      workspacePool: poolSlots,
    };
  });
}
