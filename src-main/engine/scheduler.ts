import { randomUUID } from 'node:crypto';
import type { Run } from '../../src-shared/domain/run';
import type { Task } from '../../src-shared/domain/task';
import { SETTLED_STATUSES, type TaskStatus } from '../../src-shared/domain/task-status';
import type { Store } from '../store/store';
import type { ReclaimedLease } from '../store/task-lease-repository';
import { AttemptRunner, type ActiveAttempt, type AttemptSettings } from './attempt-runner';
import type { EngineEventBus } from './engine-events';
import { InvalidStateError } from './errors';
import type { AttemptLifecycle } from './lifecycle';
import { killOrphanedAttemptProcesses } from './orphan-processes';
import { isOwnerAlive } from './owner';
import { refreshCriticalRanks } from './ranking';
import { announceReclaimed, settleReclaimedLeases } from './reclaimed-leases';
import { conflictFreeReadyTasks, type TaskConflictRule } from './task-conflicts';
import type { TaskService } from './task-service';
import type { WorkerBackend } from './worker-backend';

/** Settings of the scheduler and its worker pool. */
export interface SchedulerSettings extends AttemptSettings {
  readonly maxWorkers: number;
  /** A claim lasts this long unless renewed by the heartbeat (every third of it). */
  readonly leaseMs: number;
  /** How often an idle scheduler looks for work other processes made possible. */
  readonly pollMs: number;
  /** Minimum time between two run.progress events. */
  readonly progressIntervalMs: number;
  /** budget.max_usd_per_run: no new claims once the run has cost this much; running attempts finish or are stopped. */
  readonly runBudget?: { readonly maxUsd: number; readonly whenReached: 'finish_running' | 'stop_running' };
}

/** What to run. */
export interface RunRequest {
  readonly runId?: string;
  readonly goal?: string | null;
  /** Only these tasks (their dependencies must be done or included); default every task. */
  readonly taskIds?: ReadonlyArray<string> | null;
}

/** Everything the scheduler needs. */
export interface SchedulerDeps {
  readonly store: Store;
  readonly bus: EngineEventBus;
  readonly backend: WorkerBackend;
  readonly lifecycle: AttemptLifecycle;
  readonly tasks: TaskService;
  readonly settings: SchedulerSettings;
  readonly owner: string;
  readonly now?: () => number;
  /** Ready tasks this rule says conflict with a running one wait for it to end; default none (any ready task may start). */
  readonly conflicts?: TaskConflictRule;
  /**
   * The pipeline's recovery of what dead processes left (their merged work kept as done, their runs'
   * integration branches finished, their agents killed, their leases released), run mid-run before
   * the scheduler reclaims dead owners' leases itself, which would redo work they already merged.
   * Awaited: nothing is claimed or reclaimed meanwhile. Default none.
   */
  readonly recoverDeadOwners?: () => Promise<void>;
}

const OPEN_STATUSES: ReadonlyArray<TaskStatus> = ['ready', 'claimed', 'in_progress', 'review'];
/** How long a failed recovery hook rests before it is tried again. */
const RECOVERY_REST_MS = 30_000;

/**
 * Keeps up to max_workers attempts running: claims the best ready task under a lease in an
 * IMMEDIATE transaction, renews leases by heartbeat, reclaims expired ones, and ends the run when
 * nothing in scope can progress. One run at a time per scheduler; several processes may share a DB.
 * With a conflict rule, the best ready task that conflicts with no running one is claimed: the
 * others wait without holding back tasks ranked below them.
 */
export class Scheduler {
  private readonly active = new Map<string, ActiveAttempt>();
  /** The task of each active attempt (by attempt id), as claimed: what it may be touching until it ends. */
  private readonly activeTasks = new Map<string, Task>();
  /** With a conflict rule: when a retry the rule would let start falls due (set by the last fill), or null. */
  private conflictFreeRetryAt: number | null = null;
  private readonly runner: AttemptRunner;
  private readonly now: () => number;
  private wake: (() => void) | undefined;
  private cancelled = false;
  private pauseEndsAt = 0;
  private paused = false;
  private fatal: unknown;
  /** Why the run was stopped for everyone (a broken environment), if it was. */
  private stopMessage: string | undefined;
  /** Set once the run's budget is reached: nothing more is claimed, and the run ends when its attempts have. */
  private budgetReached: string | undefined;
  private current: { readonly id: string; readonly scope: ReadonlyArray<string> | null } | undefined;
  private lastProgressAt = 0;
  /** After a failed recovery hook: not called again before this time (epoch ms). */
  private recoveryResumesAt = 0;
  /** Until then, expired leases are not reclaimed (this process has just been frozen: see noticeClockJump). */
  private expiryReclaimHeldUntil = 0;

  constructor(private readonly deps: SchedulerDeps) {
    this.now = deps.now ?? Date.now;
    this.runner = new AttemptRunner({ ...deps, now: this.now, pause: (until, reason) => this.pause(until, reason), stopRun: (message) => this.stopRun(message) });
  }

  /** Number of attempts running in this process. */
  get activeWorkers(): number {
    return this.active.size;
  }

  /** Ids of the attempts running in this process, in the order they started. */
  get activeAttemptIds(): ReadonlyArray<string> {
    return [...this.active.values()].map((active) => active.attemptId);
  }

  /** Until when the pool is paused for a rate limit (epoch ms), or null. */
  get pausedUntil(): number | null {
    return this.pauseEndsAt > this.now() ? this.pauseEndsAt : null;
  }

  /** Id of the run in progress, if any. */
  get runId(): string | undefined {
    return this.current?.id;
  }

  /** Runs until every task in scope is settled (or the run is cancelled); resolves with the finished run. */
  async run(request: RunRequest = {}): Promise<Run> {
    if (this.current) throw new InvalidStateError(`run ${this.current.id} is already in progress`);
    const { store, bus, settings } = this.deps;
    const runId = request.runId ?? randomUUID();
    const scope = request.taskIds ? [...request.taskIds] : null;
    this.current = { id: runId, scope };
    this.cancelled = false;
    this.fatal = undefined;
    this.stopMessage = undefined;
    this.budgetReached = undefined;
    const [promoted, reclaimed] = this.begin(runId, request.goal ?? null, scope);
    bus.emit('run.started', { run: store.runs.get(runId) as Run });
    this.announceReclaimed(reclaimed);
    for (const taskId of promoted) bus.emit('task.changed', { taskId, status: 'ready', previousStatus: 'pending', reason: null, runId });
    const heartbeat = setInterval(() => this.heartbeat(), heartbeatInterval(settings.leaseMs));
    const running = new Set<Promise<void>>();
    let failure: unknown;
    try {
      await this.loop(runId, scope, running);
    } catch (error) {
      failure = error;
      for (const active of this.active.values()) this.runner.abort(active, 'run-cancelled');
      await Promise.allSettled(running);
    } finally {
      clearInterval(heartbeat);
      store.logWriter.flush();
      this.current = undefined;
      if (this.paused) this.endPause();
    }
    const counts = store.tasks.countByStatus(scope ?? undefined);
    const stopped = this.stopMessage;
    const status = failure !== undefined || stopped !== undefined ? 'failed' : this.cancelled ? 'cancelled' : counts.failed + counts.blocked + counts.pending > 0 ? 'failed' : 'succeeded';
    const tally = `${counts.done} done, ${counts.failed} failed, ${counts.blocked} blocked, ${counts.cancelled} cancelled, ${counts.pending} still waiting on dependencies`;
    const summary = failure !== undefined
      ? `the scheduler stopped on an error: ${failure instanceof Error ? failure.message : String(failure)}`
      : stopped !== undefined
        ? `the run stopped: ${stopped} (${tally})`
        : tally;
    store.write(() => store.runs.finish(runId, status, summary, this.now()));
    this.maybeProgress(runId, scope, true);
    const run = store.runs.get(runId) as Run;
    bus.emit('run.finished', { run, counts });
    if (failure !== undefined) throw failure;
    return run;
  }

  /** Records the run, reclaims expired leases and refreshes ranks and readiness, in one transaction. */
  private begin(runId: string, goal: string | null, scope: ReadonlyArray<string> | null): readonly [ReadonlyArray<string>, ReadonlyArray<ReclaimedLease>] {
    const { store, settings } = this.deps;
    try {
      return store.write(() => {
        const now = this.now();
        store.runs.interruptStale(isOwnerAlive, now);
        killOrphanedAttemptProcesses(store, isOwnerAlive);
        // With a recovery hook, dead owners' tasks wait for the loop's first reclaim, after the hook: their work may be merged.
        const freed = this.reclaimExpired(now, this.deps.recoverDeadOwners === undefined);
        store.runs.insert({ id: runId, goal, owner: this.deps.owner, maxWorkers: settings.maxWorkers, taskIds: scope, startedAt: now });
        refreshCriticalRanks(store);
        return [store.tasks.promoteAllReady(now), freed] as const;
      });
    } catch (error) {
      this.current = undefined;
      throw error;
    }
  }

  private async loop(runId: string, scope: ReadonlyArray<string> | null, running: Set<Promise<void>>): Promise<void> {
    const { store, settings } = this.deps;
    let nextReclaimAt = this.now() + settings.pollMs;
    for (;;) {
      if (this.fatal !== undefined) break;
      if (this.cancelled) break;
      this.checkBudget(runId);
      this.fill(runId, scope, running);
      this.maybeProgress(runId, scope, false);
      if (this.active.size === 0 && (this.budgetReached !== undefined || !this.hasOpenWork(scope))) break;
      const wait = this.waitTime(scope);
      const sleptFrom = this.now();
      await this.sleep(wait);
      this.noticeClockJump(this.now() - sleptFrom - wait);
      if (this.now() >= nextReclaimAt) {
        await this.recoverDeadOwners();
        nextReclaimAt = this.now() + settings.pollMs;
        this.announceReclaimed(store.write(() => this.reclaimExpired(this.now())));
      }
    }
    await Promise.all(running);
    if (this.fatal !== undefined) throw this.fatal;
  }

  /** Cancels the run: stops claiming, aborts running attempts and puts their tasks back to ready. */
  cancelRun(): void {
    this.cancelled = true;
    for (const active of this.active.values()) this.runner.abort(active, 'run-cancelled');
    this.wake?.();
  }

  /**
   * Stops the run for everyone because the environment is broken (the first message wins): no new
   * claims, running attempts are stopped and their tasks go back to ready; the run ends 'failed' with the message.
   */
  stopRun(message: string): void {
    if (this.current === undefined) return;
    this.stopMessage ??= message;
    this.cancelRun();
  }

  /** Aborts a task running here; true if it was. The task ends 'cancelled' and its dependents are blocked. */
  cancelRunningTask(taskId: string): boolean {
    for (const active of this.active.values()) {
      if (active.taskId !== taskId) continue;
      this.runner.abort(active, 'task-cancelled');
      return true;
    }
    return false;
  }

  /** Wakes the loop because tasks changed (added, retried, unblocked). */
  notify(): void {
    this.wake?.();
  }

  private fill(runId: string, scope: ReadonlyArray<string> | null, running: Set<Promise<void>>): void {
    const { store, settings } = this.deps;
    if (this.paused && this.now() >= this.pauseEndsAt) this.endPause();
    this.conflictFreeRetryAt = null;
    while (!this.cancelled && this.budgetReached === undefined && this.active.size < settings.maxWorkers && this.now() >= this.pauseEndsAt) {
      const attemptId = randomUUID();
      const claimed = store.write(() => {
        const now = this.now();
        const task = this.claimNext(attemptId, now, scope);
        if (task) {
          store.attempts.insert({ id: attemptId, taskId: task.id, runId, number: task.attempts, backend: this.deps.backend.name, workerOwner: this.deps.owner }, now);
        }
        return task;
      });
      if (!claimed) return;
      const active: ActiveAttempt = { taskId: claimed.id, attemptId, controller: new AbortController(), abortReason: null, logSeq: 0 };
      this.active.set(attemptId, active);
      this.activeTasks.set(attemptId, claimed);
      this.deps.bus.emit('task.changed', { taskId: claimed.id, status: 'claimed', previousStatus: 'ready', reason: null, runId });
      const promise = this.runner.execute(claimed, active, runId).catch((error: unknown) => {
        // Only the store can fail here (the runner turns every backend and hook failure into an outcome): stop the run.
        this.fatal ??= error;
        this.cancelRun();
      }).finally(() => {
        this.active.delete(attemptId);
        this.activeTasks.delete(attemptId);
        running.delete(promise);
        this.wake?.();
      });
      running.add(promise);
    }
  }

  /**
   * budget.max_usd_per_run: once what the run has cost (workers and manager) reaches it, no new task is
   * claimed; running attempts finish, or with 'stop_running' are stopped and their tasks go back to ready.
   * The run then ends saying the budget was reached; the tasks not started stay ready.
   */
  private checkBudget(runId: string): void {
    const budget = this.deps.settings.runBudget;
    if (budget === undefined || this.budgetReached !== undefined) return;
    const spent = this.deps.store.usage.totalsForRun(runId).costUsd;
    if (spent < budget.maxUsd) return;
    this.budgetReached = `budget reached: the run has cost $${spent.toFixed(2)} of its $${budget.maxUsd.toFixed(2)} budget (budget.max_usd_per_run); the tasks not started stay ready`;
    this.stopMessage ??= this.budgetReached;
    this.deps.bus.emit('run.budget', { runId, spentUsd: spent, budgetUsd: budget.maxUsd, message: this.budgetReached });
    if (budget.whenReached === 'stop_running') this.cancelRun();
  }

  /** Claims the best ready task in scope (that conflicts with nothing running, given a rule); call inside a write. */
  private claimNext(attemptId: string, now: number, scope: ReadonlyArray<string> | null): Task | undefined {
    const { store, settings, conflicts, owner } = this.deps;
    if (conflicts === undefined) return store.leases.claimNextReady(owner, attemptId, now, now + settings.leaseMs, scope);
    const free = conflictFreeReadyTasks(store, conflicts, scope, this.activeTasks.values(), now);
    this.conflictFreeRetryAt = free.nextRetryAt;
    if (free.ids.length === 0) return undefined;
    return store.leases.claimNextReady(owner, attemptId, now, now + settings.leaseMs, free.ids);
  }

  private hasOpenWork(scope: ReadonlyArray<string> | null): boolean {
    const counts = this.deps.store.tasks.countByStatus(scope ?? undefined);
    return OPEN_STATUSES.some((status) => counts[status] > 0);
  }

  private waitTime(scope: ReadonlyArray<string> | null): number {
    const now = this.now();
    let wait = this.deps.settings.pollMs;
    if (this.pauseEndsAt > now) wait = Math.min(wait, this.pauseEndsAt - now);
    if (this.active.size < this.deps.settings.maxWorkers) {
      // A due retry held back by a conflict must not make the loop spin: the end of what it conflicts with wakes it.
      const nextRetry = this.deps.conflicts ? this.conflictFreeRetryAt : this.deps.store.leases.nextNotBefore(scope);
      // Nothing is claimed before a rate-limit pause ends, so a retry due during it waits for the end (no spinning).
      if (nextRetry !== null) wait = Math.min(wait, Math.max(0, Math.max(nextRetry, this.pauseEndsAt) - now));
    }
    return wait;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  /** Renews this owner's leases; an attempt whose lease is gone (reclaimed or changed by a user) is aborted. */
  private heartbeat(): void {
    const { store, settings } = this.deps;
    if (this.active.size === 0) return;
    try {
      const held = store.write(() => {
        store.leases.renewLeases(this.deps.owner, this.now() + settings.leaseMs);
        return store.leases.leasedAttemptIds(this.deps.owner);
      });
      for (const active of this.active.values()) {
        if (!held.has(active.attemptId) && active.abortReason === null) this.runner.abort(active, 'lease-lost');
      }
    } catch (error) {
      console.error(`lease heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * A wait that overran by more than a heartbeat means this process was frozen: the machine slept (its
   * wall clock jumped while timers stood still) or the process was stopped. Every process on the
   * machine was frozen alike, so their leases may all look expired now although their heartbeats are
   * about to renew them: expired leases are left alone for two heartbeats (owners provably dead are
   * still reclaimed at once).
   */
  private noticeClockJump(overrunMs: number): void {
    const beat = heartbeatInterval(this.deps.settings.leaseMs);
    if (overrunMs > beat) this.expiryReclaimHeldUntil = this.now() + 2 * beat;
  }

  /** Puts tasks whose lease expired, or (unless told not to) whose owner process is provably dead, back to ready and marks their attempts interrupted; call inside a write. */
  private reclaimExpired(now: number, deadOwners = true): ReadonlyArray<ReclaimedLease> {
    const { store, settings } = this.deps;
    // This process is alive by definition: its own leases are renewed, never reclaimed — after the machine slept they
    // can look expired before the heartbeat's next tick, and reclaiming them would abort work that is still going.
    if (this.active.size > 0) store.leases.renewLeases(this.deps.owner, now + settings.leaseMs);
    const expired = now < this.expiryReclaimHeldUntil ? [] : store.leases.reclaimExpired(now);
    const orphaned = deadOwners ? store.leases.reclaimDeadOwners(isOwnerAlive, now) : [];
    return settleReclaimedLeases(
      store,
      [
        { leases: expired, interrupted: 'its worker stopped (lease expired)', reason: 'reclaimed after its lease expired' },
        { leases: orphaned, interrupted: 'its worker process died', reason: 'reclaimed at once: its worker process died' },
      ],
      settings.retry.maxRetries,
      now,
    );
  }

  /**
   * Runs the pipeline's recovery of dead processes' leftovers. A failure is reported and the plain
   * reclaim follows (redoing work beats leaving it stuck); the hook then rests for a while, so a broken
   * environment is not reported at every poll.
   */
  private async recoverDeadOwners(): Promise<void> {
    if (this.deps.recoverDeadOwners === undefined || this.now() < this.recoveryResumesAt) return;
    try {
      await this.deps.recoverDeadOwners();
    } catch (error) {
      this.recoveryResumesAt = this.now() + RECOVERY_REST_MS;
      console.error(`recovering what a stopped process left failed (tried again in ${RECOVERY_REST_MS / 1000} s): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Announces reclaimed tasks once their transaction has committed. */
  private announceReclaimed(reclaimed: ReadonlyArray<ReclaimedLease>): void {
    announceReclaimed(this.deps.bus, reclaimed, this.current?.id ?? null);
  }

  /** Stops claiming new attempts until `until` (epoch ms); a later pause extends an earlier one, an earlier one is ignored. */
  pause(until: number, reason: string): void {
    if (until <= this.pauseEndsAt || until <= this.now()) return;
    this.pauseEndsAt = until;
    this.paused = true;
    this.storePause(() => this.deps.store.meta.setPoolPause({ until, reason }));
    this.deps.bus.emit('pool.paused', { until, reason });
    setTimeout(() => this.wake?.(), Math.max(0, until - this.now())).unref();
  }

  /** Ends a pause (its time passed, or the run ended): forgets the stored pause and announces it. */
  private endPause(): void {
    this.paused = false;
    this.storePause(() => {
      // Another process sharing the database may have stored a later pause; leave that one.
      const stored = this.deps.store.meta.getPoolPause();
      if (stored !== null && stored.until <= this.pauseEndsAt) this.deps.store.meta.clearPoolPause();
    });
    this.deps.bus.emit('pool.resumed', {});
  }

  /** The stored pause is only for other processes to show: failing to write it must not stop the pool. */
  private storePause(write: () => void): void {
    try {
      this.deps.store.write(write);
    } catch (error) {
      console.error(`storing the pool pause failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private lastProgressSignature = '';

  private maybeProgress(runId: string, scope: ReadonlyArray<string> | null, force: boolean): void {
    const { bus, store, settings } = this.deps;
    const now = this.now();
    if (!force && (now - this.lastProgressAt < settings.progressIntervalMs || !bus.hasListeners('run.progress'))) return;
    this.lastProgressAt = now;
    const counts = store.tasks.countByStatus(scope ?? undefined);
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    const settled = SETTLED_STATUSES.reduce((sum, status) => sum + counts[status], 0);
    // Idle polling calls this often; clients only hear about it when something changed.
    const signature = `${runId}|${this.active.size}|${JSON.stringify(counts)}`;
    if (!force && signature === this.lastProgressSignature) return;
    this.lastProgressSignature = signature;
    bus.emit('run.progress', { runId, counts, total, settled, activeWorkers: this.active.size });
  }
}

/** How often leases are renewed: a third of their length. */
function heartbeatInterval(leaseMs: number): number {
  return Math.max(10, Math.floor(leaseMs / 3));
}
