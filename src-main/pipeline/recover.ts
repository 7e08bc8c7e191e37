import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { settleReclaimedLeases } from '../engine/reclaimed-leases';
import type { Store } from '../store/store';
import type { ReclaimedLease } from '../store/task-lease-repository';
import { isAncestor, resolveCommit } from '../workspace/git';
import { runGit } from '../workspace/git';
import { workspacePaths } from '../workspace/layout';
import { recoverPoolSlots } from '../workspace/pool-maintenance';
import { cleanupStaleWorktrees, listWorktrees } from '../workspace/worktrees';
import { finishRunIntegration, markContainedIntegrated, type IntegrationReport } from './run-finish';

/** What recovery found and did, as lines for people. */
export interface RecoveryReport {
  /** Tasks whose work had reached the integration branch when their process died: now done. */
  readonly completedTasks: ReadonlyArray<string>;
  /** Tasks dead processes held that are ready again (or failed, when their attempts kept dying with their worker). */
  readonly releasedTasks: ReadonlyArray<ReclaimedLease>;
  /** What finishing each interrupted run's integration branch did. */
  readonly integrations: ReadonlyArray<IntegrationReport>;
  /** Lines about interrupted runs whose work was brought into the user's branch, or kept. */
  readonly lines: ReadonlyArray<string>;
}

/** What recovery needs from its caller. */
export interface RecoveryOptions {
  readonly projectDir: string;
  readonly store: Store;
  /** False only when the owner is provably dead (see engine/owner.ts). */
  readonly isOwnerAlive: (owner: string) => boolean;
  /** Kills leftover agent process groups of dead owners (identity-checked); optional. */
  readonly killOrphans?: () => Promise<void> | void;
  /** execution.max_retries: a released task whose attempts kept dying with their worker more often fails, as the scheduler's reclaim does. */
  readonly maxRetries?: number;
  /** execution.max_workers: free worktree pool slots above it are removed. */
  readonly maxWorkers?: number;
}

/**
 * Recovery, run by every entry point before it works on a project (the app and `co serve` opening it,
 * `co run`), and by a live run when another process sharing the project dies (runtime/mid-run-recovery.ts):
 * runs of dead processes are marked interrupted; a task whose attempt had already merged
 * its work when its process died is marked done (its work is not redone twice); leftover agent
 * processes are killed; the other tasks dead processes held are ready again; the integration
 * branches of interrupted runs are merged into the user's branch as a normal finish would (or kept,
 * with the reason); stale worktrees are pruned. Nothing that a live process owns is touched.
 */
export async function recoverProject(options: RecoveryOptions): Promise<RecoveryReport> {
  const { projectDir, store, isOwnerAlive } = options;
  store.write(() => store.runs.interruptStale(isOwnerAlive, Date.now()));
  const completedTasks = await completeMergedAttempts(options);
  await options.killOrphans?.();
  const releasedTasks = releaseDeadOwnersLeases(options);
  const lines: string[] = [];
  const integrations: IntegrationReport[] = [];
  for (const integration of store.integrations.listUnintegrated()) {
    if (integration.status !== 'open' || isOwnerAlive(integration.owner)) continue;
    const report = await finishRunIntegration(projectDir, store, integration.runId);
    integrations.push(report);
    if (report.lines.length > 0) lines.push(`Recovered interrupted run ${integration.runId}:`, ...report.lines.map((line) => `  ${line}`));
  }
  await markContainedIntegrated(projectDir, store, 'already on your branch');
  await pruneStaleWorktrees(options);
  return { completedTasks, releasedTasks, integrations, lines };
}

/** Nothing to recover: a report that recovered nothing. */
export const NOTHING_RECOVERED: RecoveryReport = { completedTasks: [], releasedTasks: [], integrations: [], lines: [] };

/**
 * Whether a dead process left something recovery handles: a task it still leases, or its run's
 * integration branch still open. Cheap (two queries and a process look-up per owner): a live run asks
 * at every poll, and runs `recoverProject` only when this says so.
 */
export function deadOwnersLeftWork(store: Store, isOwnerAlive: (owner: string) => boolean): boolean {
  if (store.leases.leaseHolders().some((owner) => !isOwnerAlive(owner))) return true;
  return store.integrations.listUnintegrated().some((integration) => integration.status === 'open' && !isOwnerAlive(integration.owner));
}

/** Leased tasks of dead owners whose attempt's own commit is already in its run's integration branch become done. */
async function completeMergedAttempts(options: RecoveryOptions): Promise<ReadonlyArray<string>> {
  const { projectDir, store, isOwnerAlive } = options;
  const completed: string[] = [];
  const stranded = store.tasks.list({ statuses: ['claimed', 'in_progress', 'review'] }).filter((task) => task.leaseOwner !== null && !isOwnerAlive(task.leaseOwner));
  for (const task of stranded) {
    const attempt = task.currentAttemptId === null ? undefined : store.attempts.get(task.currentAttemptId);
    if (attempt?.workCommit === undefined || attempt.workCommit === null || attempt.runId === null) continue;
    const integration = store.integrations.get(attempt.runId);
    if (integration === undefined) continue;
    const tip = (await resolveCommit(projectDir, `refs/heads/${integration.branch}`)) ?? integration.tip;
    if ((await resolveCommit(projectDir, attempt.workCommit)) === null || !(await isAncestor(projectDir, attempt.workCommit, tip))) continue;
    const done = store.write(() => {
      const now = Date.now();
      const result = { output: attempt.output ?? '', filesModified: [], filesCreated: [], error: null, discoveryIds: [], subtasksCreated: [] };
      if (!store.leases.completeLeased(task.id, attempt.id, result, now)) return false;
      store.attempts.finish(attempt.id, { status: 'succeeded', output: attempt.output, errorMessage: 'its process stopped after the work was merged; recovered' }, now);
      store.attempts.setWorkspace(attempt.id, { commitAfter: tip });
      store.tasks.promoteDependentsOf(task.id, now);
      return true;
    });
    if (done) completed.push(task.id);
  }
  return completed;
}

/**
 * Tasks still leased by dead owners go back to ready (their attempts interrupted), so a reopened
 * project shows no task in progress without a worker, whether or not a run starts. Call after
 * `completeMergedAttempts`, which needs those leases to find work that was already merged.
 */
function releaseDeadOwnersLeases(options: RecoveryOptions): ReadonlyArray<ReclaimedLease> {
  const { store, isOwnerAlive, maxRetries } = options;
  return store.write(() => {
    const now = Date.now();
    const released = store.leases.reclaimDeadOwners(isOwnerAlive, now);
    return settleReclaimedLeases(store, [{ leases: released, interrupted: 'its worker process died', reason: 'its worker process died; it will run again' }], maxRetries, now);
  });
}

/** Worktrees of attempts that no live process is running are removed (their uncommitted work is committed to their branch first). */
async function pruneStaleWorktrees(options: RecoveryOptions): Promise<void> {
  const { projectDir, store, isOwnerAlive } = options;
  await removeDeadMergeWorktrees(projectDir);
  // Pool slots are locked per process: those of dead processes are parked and freed, live ones untouched.
  await recoverPoolSlots(projectDir, options.maxWorkers === undefined ? {} : { keepSlots: options.maxWorkers });
  // A live run elsewhere may be making a worktree it has not recorded yet: leave them all alone then.
  if (store.runs.list(50).some((run) => run.status === 'running' && isOwnerAlive(run.owner))) return;
  const live = store.tasks
    .list({ statuses: ['claimed', 'in_progress', 'review'] })
    .filter((task) => task.leaseOwner !== null && isOwnerAlive(task.leaseOwner))
    .flatMap((task) => (task.currentAttemptId === null ? [] : [store.attempts.get(task.currentAttemptId)?.worktree ?? null]))
    .filter((worktree): worktree is string => worktree !== null);
  const livePaths = new Set(await Promise.all(live.map((worktree) => realpath(worktree).catch(() => path.resolve(worktree)))));
  await cleanupStaleWorktrees(projectDir, { isActive: (worktreePath) => livePaths.has(path.resolve(worktreePath)) });
}

/** Merge checkouts (`.orchestrator/merge/<pid>`) of processes that are gone. */
async function removeDeadMergeWorktrees(projectDir: string): Promise<void> {
  const mergeRoot = await realpath(path.join(workspacePaths(projectDir).orchestratorDir, 'merge')).catch(() => null);
  if (mergeRoot === null) return;
  for (const entry of await listWorktrees(projectDir)) {
    if (path.dirname(path.resolve(entry.path)) !== mergeRoot) continue;
    const pid = Number(path.basename(entry.path));
    if (Number.isInteger(pid) && pid > 0 && processExists(pid)) continue;
    await runGit(projectDir, ['worktree', 'remove', '--force', entry.path], { allowExitCodes: [128] });
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
