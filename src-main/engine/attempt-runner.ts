import { assertNever } from '../../src-shared/domain/assert-never';
import type { Task, TaskResult } from '../../src-shared/domain/task';
import type { Store } from '../store/store';
import type { AttemptEnd } from '../store/attempt-repository';
import type { EngineEventBus, TaskChangedEvent } from './engine-events';
import type { AttemptContext, AttemptLifecycle, PreparedWorkspace, ReviewVerdict } from './lifecycle';
import { boundLogEvent } from './log-bounds';
import { decideRetry, type RetrySettings } from './retry-policy';
import type { TaskService } from './task-service';
import { buildWorkerTaskContext } from './worker-context';
import type { AttemptError, AttemptIO, AttemptOutcome, Discovery, WorkerBackend } from './worker-backend';

/** Why the engine aborted an attempt. */
export type AbortReason = 'timeout' | 'task-cancelled' | 'run-cancelled' | 'lease-lost';

/** An attempt in flight, as the scheduler tracks it. */
export interface ActiveAttempt {
  readonly taskId: string;
  readonly attemptId: string;
  readonly controller: AbortController;
  abortReason: AbortReason | null;
  /** The last log sequence number used: the backend's lines and the pipeline's share one sequence. */
  logSeq: number;
}

/** Settings an attempt runs with. */
export interface AttemptSettings {
  readonly model: string;
  readonly maxTurns?: number;
  readonly taskTimeoutMs: number;
  readonly abortGraceMs: number;
  readonly retry: RetrySettings;
  /** Most lessons from earlier runs in a worker's prompt (default DEFAULT_LESSONS_IN_PROMPT; 0: none). */
  readonly lessonsInPrompt?: number;
}

/** A failure the runner records: its error, the feedback for the next attempt, and what happens when retries are spent. */
interface FailureRecord {
  readonly kind: 'failure';
  readonly error: AttemptError;
  /** Given to the next attempt (review feedback, the failing check's output, the conflict). */
  readonly feedback?: string;
  /** How the task ends once retries are spent (default failed). */
  readonly exhausted?: 'fail' | 'block';
  /** Retry at once rather than after a backoff (the problem is not one that time fixes). */
  readonly immediate?: boolean;
  /** The attempt's verdict as stored ('request_changes' for a review that sent it back). */
  readonly review?: string;
  /** Keep the attempt's committed work for the next attempt to resume. */
  readonly resume?: boolean;
}

/** What the runner needs from its scheduler. */
export interface AttemptRunnerDeps {
  readonly store: Store;
  readonly bus: EngineEventBus;
  readonly backend: WorkerBackend;
  readonly lifecycle: AttemptLifecycle;
  readonly tasks: TaskService;
  readonly settings: AttemptSettings;
  readonly now: () => number;
  /** Called when the backend reports a rate limit: the pool pauses until `until`. */
  readonly pause: (until: number, reason: string) => void;
  /** Called when an attempt found the environment broken for every task: the run stops with this message. */
  readonly stopRun: (message: string) => void;
  /** The lease owner id of this process (fences integration). */
  readonly owner: string;
}

type Change = Omit<TaskChangedEvent, 'runId'>;
type Settled = FailureRecord | { readonly kind: 'cancel'; readonly reason: 'task-cancelled' | 'run-cancelled' };

/** Runs one claimed attempt end to end: prepare, run with timeout, review, and record the outcome (fenced by the lease). */
export class AttemptRunner {
  constructor(private readonly deps: AttemptRunnerDeps) {}

  /** Never rejects; every path ends in a stored attempt status. */
  async execute(claimed: Task, active: ActiveAttempt, runId: string | null): Promise<void> {
    const { store, settings } = this.deps;
    const context = this.contextFor(claimed, active, runId);
    this.emitAttempt('attempt.started', active.attemptId);
    const liveDiscoveries = new Map<string, number>();
    const timer = setTimeout(() => this.abort(active, 'timeout'), settings.taskTimeoutMs);
    let outcome: AttemptOutcome | 'taken-back';
    try {
      outcome = await this.prepareAndRun(claimed, active, runId, context, liveDiscoveries);
    } finally {
      clearTimeout(timer);
      store.logWriter.flush();
    }
    if (outcome === 'taken-back') {
      this.interrupted(active, 'the task was taken back before it started');
      outcome = { ...failedOutcome('transient', 'the task was taken back before it started'), status: 'cancelled' };
    } else {
      await this.settle(claimed, outcome, active, runId, context, liveDiscoveries);
    }
    if (this.deps.lifecycle.cleanup) {
      await this.deps.lifecycle.cleanup(claimed, outcome, context).catch((error: unknown) => {
        console.error(`cleanup of attempt ${active.attemptId} failed: ${messageOf(error)}`);
      });
    }
  }

  private contextFor(task: Task, active: ActiveAttempt, runId: string | null): AttemptContext {
    const { store, bus } = this.deps;
    return {
      attemptId: active.attemptId,
      attemptNumber: task.attempts,
      runId,
      signal: active.controller.signal,
      isCurrent: () => {
        if (active.controller.signal.aborted) return false;
        const current = store.tasks.get(task.id);
        return current?.currentAttemptId === active.attemptId && current.leaseOwner === this.deps.owner;
      },
      enterStage: (stage) => {
        store.write(() => store.attempts.setStage(active.attemptId, stage));
        this.emitAttempt('attempt.stage', active.attemptId);
      },
      log: (kind, text) => {
        const at = this.deps.now();
        const seq = (active.logSeq += 1);
        store.logWriter.push({ attemptId: active.attemptId, seq, at, kind, text, data: undefined });
        bus.emit('attempt.log', { attemptId: active.attemptId, taskId: task.id, runId, seq, at, kind, text });
      },
    };
  }

  /** Prepares the workspace, records the start (fenced), then runs the backend. */
  private async prepareAndRun(
    task: Task,
    active: ActiveAttempt,
    runId: string | null,
    context: AttemptContext,
    liveDiscoveries: Map<string, number>,
  ): Promise<AttemptOutcome | 'taken-back'> {
    const store = this.deps.store;
    let workspace: PreparedWorkspace;
    context.enterStage('prepare');
    try {
      workspace = await this.deps.lifecycle.prepare(task, context);
    } catch (error) {
      // A hook error that says the environment is broken for every task (e.g. no commit to start from) stops the run.
      if (typeof error === 'object' && error !== null && (error as { stopsRun?: unknown }).stopsRun === true) {
        return failedOutcome('permanent', messageOf(error), true);
      }
      return failedOutcome('recoverable', `preparing the workspace failed: ${messageOf(error)}`);
    }
    const started = store.write(() => {
      const ok = store.leases.transitionLeased(task.id, active.attemptId, 'in_progress', this.deps.now());
      if (ok) store.attempts.setWorkspace(active.attemptId, workspace);
      return ok;
    });
    if (!started) return 'taken-back';
    this.emitChanges([{ taskId: task.id, status: 'in_progress', previousStatus: 'claimed', reason: null }], runId);
    if (workspace.resumedOutcome !== undefined) {
      context.log('system', 'Resuming the committed work of an earlier attempt (its review could not run then); the worker is not run again.');
      return workspace.resumedOutcome;
    }
    context.enterStage('execute');
    return this.runBackend(task, workspace, active, runId, liveDiscoveries);
  }

  /** Aborts an attempt, remembering the first reason. */
  abort(active: ActiveAttempt, reason: AbortReason): void {
    active.abortReason ??= reason;
    active.controller.abort(reason);
  }

  private async runBackend(
    task: Task,
    workspace: PreparedWorkspace,
    active: ActiveAttempt,
    runId: string | null,
    liveDiscoveries: Map<string, number>,
  ): Promise<AttemptOutcome> {
    const { store, bus, settings } = this.deps;
    const io: AttemptIO = {
      log: (logged) => {
        const event = boundLogEvent(logged); // every backend's lines are stored and pushed at a bounded size
        const at = this.deps.now();
        const seq = (active.logSeq += 1);
        store.logWriter.push({ attemptId: active.attemptId, seq, at, kind: event.kind, text: event.text, data: event.data });
        bus.emit('attempt.log', { attemptId: active.attemptId, taskId: task.id, runId, seq, at, kind: event.kind, text: event.text });
      },
      discovery: (discovery) => {
        liveDiscoveries.set(discoveryKey(discovery), this.storeDiscovery(discovery, task.id, active.attemptId, runId));
      },
      rateLimited: (resetAt, reason) => this.deps.pause(resetAt.getTime(), reason),
      processStarted: (info) => {
        // A busy database must not throw into the backend while its process runs; the watchdog still guards it.
        try {
          store.write(() => store.attempts.setProcess(active.attemptId, info));
        } catch (error) {
          console.error(`recording the process group of attempt ${active.attemptId} failed: ${messageOf(error)}`);
        }
      },
    };
    const input = {
      attemptId: active.attemptId,
      runId: runId ?? '',
      task: buildWorkerTaskContext(store, task, settings.lessonsInPrompt),
      workingDirectory: workspace.workingDirectory,
      model: settings.model,
      ...(settings.maxTurns ? { maxTurns: settings.maxTurns } : {}),
      timeoutMs: settings.taskTimeoutMs,
      signal: active.controller.signal,
      ...(workspace.changesFromCommit === true ? { scanFileChanges: false } : {}),
    };
    const running = Promise.resolve()
      .then(() => this.deps.backend.runAttempt(input, io))
      .catch((error: unknown) => failedOutcome('recoverable', `worker backend ${this.deps.backend.name} crashed: ${messageOf(error)}`));
    return withAbortGrace(running, active.controller.signal, settings.abortGraceMs, this.deps.backend.name);
  }

  private async settle(
    task: Task,
    outcome: AttemptOutcome,
    active: ActiveAttempt,
    runId: string | null,
    context: AttemptContext,
    liveDiscoveries: ReadonlyMap<string, number>,
  ): Promise<void> {
    const reason = active.abortReason;
    if (reason === 'lease-lost') return this.interrupted(active, 'the task was taken back (lease lost or changed by the user)');
    const discoveryIds = [
      ...liveDiscoveries.values(),
      ...outcome.discoveries
        .filter((discovery) => !liveDiscoveries.has(discoveryKey(discovery)))
        .map((discovery) => this.storeDiscovery(discovery, task.id, active.attemptId, runId)),
    ];
    if (outcome.status === 'failed' && outcome.error.stopsRun === true) return this.stopRun(task, outcome, active, runId, outcome.error.message);
    if (outcome.status !== 'succeeded') return this.record(task, outcome, active, runId, this.classify(outcome, reason), discoveryIds);
    let verdict: ReviewVerdict = 'approve';
    let judged = true;
    let commitAfter: string | undefined;
    if (this.deps.lifecycle.afterSuccess) {
      const inReview = this.deps.store.write(() => this.deps.store.leases.transitionLeased(task.id, active.attemptId, 'review', this.deps.now()));
      if (!inReview) return this.interrupted(active, 'the task was taken back before review');
      this.emitChanges([{ taskId: task.id, status: 'review', previousStatus: 'in_progress', reason: null }], runId);
      try {
        const reviewed = await this.deps.lifecycle.afterSuccess({ ...task, status: 'review' }, outcome, context);
        if (reviewed.changedFiles !== undefined) outcome = { ...outcome, ...reviewed.changedFiles };
        verdict = reviewed.verdict;
        judged = reviewed.reviewed !== false;
        commitAfter = reviewed.commitAfter;
        if (reviewed.workCommit !== undefined) this.deps.store.write(() => this.deps.store.attempts.setWorkspace(active.attemptId, { workCommit: reviewed.workCommit }));
      } catch (error) {
        // A cancel during review or merge ends here too: the pipeline stops at the abort and changes nothing.
        if (active.abortReason === 'task-cancelled' || active.abortReason === 'run-cancelled') return this.record(task, outcome, active, runId, { kind: 'cancel', reason: active.abortReason }, discoveryIds);
        if (active.abortReason === 'lease-lost') return this.interrupted(active, 'the task was taken back (lease lost or changed by the user)');
        const failure: Settled = { kind: 'failure', error: { errorClass: 'recoverable', message: `review failed: ${messageOf(error)}` } };
        return this.record(task, outcome, active, runId, failure, discoveryIds);
      }
    }
    if (commitAfter) this.deps.store.write(() => this.deps.store.attempts.setWorkspace(active.attemptId, { commitAfter }));
    return this.recordVerdict(task, outcome, active, runId, verdict, discoveryIds, judged);
  }

  private classify(outcome: AttemptOutcome & { readonly status: 'failed' | 'cancelled' }, reason: AbortReason | null): Settled {
    switch (reason) {
      case 'task-cancelled':
      case 'run-cancelled':
        return { kind: 'cancel', reason };
      case 'timeout':
        return { kind: 'failure', error: { errorClass: 'recoverable', message: `timed out after ${formatDuration(this.deps.settings.taskTimeoutMs)}` } };
      case 'lease-lost':
      case null:
        break;
      default:
        return assertNever(reason, 'abort reason');
    }
    return outcome.status === 'failed'
      ? { kind: 'failure', error: outcome.error }
      : { kind: 'failure', error: { errorClass: 'transient', message: 'the worker stopped without finishing' } };
  }

  /** Settles a succeeded attempt by its verdict; `judged` false: it passed with review off, so it records no verdict. */
  private recordVerdict(task: Task, outcome: AttemptOutcome & { status: 'succeeded' }, active: ActiveAttempt, runId: string | null, verdict: ReviewVerdict, discoveryIds: ReadonlyArray<number>, judged: boolean): void {
    if (verdict === 'approve') {
      const subtasks = outcome.subtasksCreated ?? [];
      const subtaskIds = subtasks.length > 0
        ? this.deps.tasks.addTasks(subtasks.map((subtask) => ({ title: subtask.title, description: subtask.description, parentId: task.id }))).map((created) => created.id)
        : [];
      const result = resultOf(outcome, null, discoveryIds, subtaskIds);
      const inReview = this.deps.lifecycle.afterSuccess !== undefined;
      this.commit(task, outcome, active, runId, { status: 'succeeded', output: outcome.output, review: inReview && judged ? 'approve' : null }, (now) => {
        if (!this.deps.store.leases.completeLeased(task.id, active.attemptId, result, now)) return null;
        const promoted = this.deps.store.tasks.promoteDependentsOf(task.id, now);
        return [
          { taskId: task.id, status: 'done', previousStatus: inReview ? 'review' : 'in_progress', reason: null },
          ...promoted.map((taskId): Change => ({ taskId, status: 'ready', previousStatus: 'pending', reason: null })),
        ];
      });
      return;
    }
    if ('requestChanges' in verdict) {
      const error: AttemptError = { errorClass: 'recoverable', message: `review requested changes: ${verdict.requestChanges}` };
      return this.record(task, outcome, active, runId, { kind: 'failure', error, feedback: verdict.requestChanges, review: 'request_changes' }, discoveryIds);
    }
    if ('retry' in verdict) {
      const error: AttemptError = { errorClass: 'recoverable', message: verdict.retry };
      const failure: FailureRecord = {
        kind: 'failure',
        error,
        feedback: verdict.feedback,
        exhausted: verdict.exhausted,
        ...(verdict.immediate === true ? { immediate: true } : {}),
        ...(verdict.resume === true ? { resume: true } : {}),
      };
      return this.record(task, outcome, active, runId, failure, discoveryIds);
    }
    if ('stopRun' in verdict) return this.stopRun(task, outcome, active, runId, verdict.stopRun, verdict.resume === true);
    if ('block' in verdict) return this.recordBlocked(task, outcome, active, runId, verdict.block);
    return this.record(task, outcome, active, runId, { kind: 'failure', error: { errorClass: 'permanent', message: `review failed the task: ${verdict.fail}` }, review: 'fail' }, discoveryIds);
  }

  /** The environment is broken for every task (no `claude`, authentication refused, no commits): the task goes back to ready, uncounted, and the run stops. */
  private stopRun(task: Task, outcome: AttemptOutcome, active: ActiveAttempt, runId: string | null, message: string, resume = false): void {
    const store = this.deps.store;
    this.commit(task, outcome, active, runId, { status: 'failed', output: null, errorClass: 'permanent', errorMessage: message }, (now) => {
      const kept = resume ? { resumeAttemptId: active.attemptId } : {};
      const ok = store.leases.releaseLeased(task.id, active.attemptId, { notBefore: null, reason: `the run stopped: ${message}`, countFailure: false, ...kept }, now);
      return ok ? [{ taskId: task.id, status: 'ready', previousStatus: task.status, reason: `the run stopped: ${message}` }] : null;
    });
    this.deps.stopRun(message);
  }

  /** The work succeeded but cannot be integrated: the task stops in 'blocked' with the reason; its dependents wait for it. */
  private recordBlocked(task: Task, outcome: AttemptOutcome & { status: 'succeeded' }, active: ActiveAttempt, runId: string | null, reason: string): void {
    const store = this.deps.store;
    this.commit(task, outcome, active, runId, { status: 'succeeded', output: outcome.output, review: 'block', errorMessage: reason }, (now) => {
      if (!store.leases.blockLeased(task.id, active.attemptId, reason, now)) return null;
      return [{ taskId: task.id, status: 'blocked', previousStatus: 'review', reason }, ...this.dependentsWait(task.id, `blocked: ${reason}`, now)];
    });
  }

  /** Dependents of a task that failed or is blocked stay pending, saying which task they wait for and why; call inside a write. */
  private dependentsWait(taskId: string, why: string, now: number): ReadonlyArray<Change> {
    const reason = `waiting for task ${taskId} (${why.length > 300 ? `${why.slice(0, 297)}...` : why})`;
    return this.deps.store.tasks.markDependentsWaiting(taskId, reason, now).map((id): Change => ({ taskId: id, status: 'pending', previousStatus: 'pending', reason }));
  }

  private record(task: Task, outcome: AttemptOutcome, active: ActiveAttempt, runId: string | null, settled: Settled, discoveryIds: ReadonlyArray<number>): void {
    const store = this.deps.store;
    const output = outcome.status === 'succeeded' ? outcome.output : null;
    if (settled.kind === 'cancel') {
      const userCancel = settled.reason === 'task-cancelled';
      this.commit(task, outcome, active, runId, { status: 'cancelled', output, errorMessage: userCancel ? 'cancelled by the user' : 'the run was cancelled' }, (now) => {
        if (!userCancel) {
          const ok = store.leases.releaseLeased(task.id, active.attemptId, { notBefore: null, reason: 'the run was cancelled; it will run again next time', countFailure: false }, now);
          return ok ? [{ taskId: task.id, status: 'ready', previousStatus: task.status, reason: 'the run was cancelled' }] : null;
        }
        if (!store.leases.cancelLeased(task.id, active.attemptId, 'cancelled by the user', now)) return null;
        const why = `dependency ${task.id} was cancelled`;
        const blocked = store.tasks.blockDependentsOf(task.id, why, now);
        return [{ taskId: task.id, status: 'cancelled', previousStatus: null, reason: 'cancelled by the user' }, ...blocked.map((taskId): Change => ({ taskId, status: 'blocked', previousStatus: null, reason: why }))];
      });
      return;
    }
    const { error, feedback } = settled;
    const failures = (store.tasks.get(task.id)?.failures ?? task.failures) + 1;
    const decision = decideRetry(error.errorClass, failures, this.deps.settings.retry, error.retryAfterMs);
    const review = settled.review ?? null;
    const end: AttemptEnd = { status: outcome.status === 'succeeded' ? 'succeeded' : 'failed', output, errorClass: error.errorClass, errorMessage: error.message, review };
    this.commit(task, outcome, active, runId, end, (now) => {
      if (decision.retry) {
        const delayMs = settled.immediate === true ? 0 : decision.delayMs;
        const remaining = this.deps.settings.retry.maxRetries - failures;
        const reason = `attempt ${task.attempts} failed (${error.errorClass}): ${error.message}; ${delayMs === 0 ? 'retrying now' : `retrying in ${formatDuration(delayMs)}`} (${remaining} ${remaining === 1 ? 'retry' : 'retries'} left after that)`;
        const resume = settled.resume === true ? { resumeAttemptId: active.attemptId } : {};
        const ok = store.leases.releaseLeased(task.id, active.attemptId, { notBefore: delayMs === 0 ? null : now + delayMs, reason, countFailure: true, ...(feedback !== undefined ? { reviewFeedback: feedback } : {}), ...resume }, now);
        return ok ? [{ taskId: task.id, status: 'ready', previousStatus: null, reason }] : null;
      }
      const reason = error.errorClass === 'permanent' ? error.message : `${error.message} (${decision.why})`;
      if (settled.exhausted === 'block') {
        if (!store.leases.blockLeased(task.id, active.attemptId, reason, now, { countFailure: true, ...(settled.resume === true ? { resumeAttemptId: active.attemptId } : {}) })) return null;
        return [{ taskId: task.id, status: 'blocked', previousStatus: null, reason }, ...this.dependentsWait(task.id, `blocked: ${reason}`, now)];
      }
      if (!store.leases.failLeased(task.id, active.attemptId, reason, resultOf(outcome, reason, discoveryIds, []), now)) return null;
      return [{ taskId: task.id, status: 'failed', previousStatus: null, reason }, ...this.dependentsWait(task.id, `failed: ${reason}`, now)];
    });
  }

  /** One transaction: the fenced task transition, then the attempt row and usage; a lost lease records 'interrupted' instead. */
  private commit(task: Task, outcome: AttemptOutcome, active: ActiveAttempt, runId: string | null, end: AttemptEnd, transition: (now: number) => ReadonlyArray<Change> | null): void {
    const store = this.deps.store;
    const changes = store.write(() => {
      const now = this.deps.now();
      const taskChanges = transition(now);
      const usage = { sessionId: outcome.sessionId ?? null, usage: outcome.usage, costUsd: outcome.costUsd };
      if (!taskChanges) {
        store.attempts.finish(active.attemptId, { ...usage, status: 'interrupted', errorMessage: 'the task was taken back (lease lost)' }, now);
      } else {
        store.attempts.finish(active.attemptId, { ...end, ...usage }, now);
      }
      store.usage.insert(
        { source: 'worker', runId, taskId: task.id, attemptId: active.attemptId, model: this.deps.settings.model, usage: outcome.usage, costUsd: outcome.costUsd, costKind: this.deps.backend.costKind ?? 'billed' },
        now,
      );
      return taskChanges;
    });
    this.emitAttempt('attempt.finished', active.attemptId);
    if (changes) this.emitChanges(changes, runId);
  }

  private interrupted(active: ActiveAttempt, reason: string): void {
    this.deps.store.write(() => this.deps.store.attempts.finish(active.attemptId, { status: 'interrupted', errorMessage: reason }, this.deps.now()));
    this.emitAttempt('attempt.finished', active.attemptId);
  }

  private storeDiscovery(discovery: Discovery, taskId: string, attemptId: string, runId: string | null): number {
    const stored = this.deps.store.write(() =>
      this.deps.store.discoveries.insert({ taskId, attemptId, runId, summary: discovery.summary, details: discovery.details ?? null, tags: discovery.tags, files: discovery.files, createdAt: this.deps.now() }),
    );
    this.deps.bus.emit('discovery', { discovery: stored });
    return stored.id;
  }

  private emitAttempt(name: 'attempt.started' | 'attempt.finished' | 'attempt.stage', attemptId: string): void {
    if (!this.deps.bus.hasListeners(name)) return;
    const attempt = this.deps.store.attempts.get(attemptId);
    if (attempt) this.deps.bus.emit(name, { attempt });
  }

  private emitChanges(changes: ReadonlyArray<Change>, runId: string | null): void {
    for (const change of changes) this.deps.bus.emit('task.changed', { ...change, runId });
  }
}

function resultOf(outcome: AttemptOutcome, error: string | null, discoveryIds: ReadonlyArray<number>, subtasksCreated: ReadonlyArray<string>): TaskResult {
  return {
    output: outcome.status === 'succeeded' ? outcome.output : '',
    filesModified: outcome.filesModified,
    filesCreated: outcome.filesCreated,
    error,
    discoveryIds,
    subtasksCreated,
  };
}

function failedOutcome(errorClass: AttemptError['errorClass'], message: string, stopsRun = false): AttemptOutcome {
  return { status: 'failed', error: { errorClass, message, ...(stopsRun ? { stopsRun } : {}) }, filesModified: [], filesCreated: [], discoveries: [], usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0 };
}

/** Waits for the backend; once aborted, gives it `graceMs` to stop before giving up on it. */
function withAbortGrace(running: Promise<AttemptOutcome>, signal: AbortSignal, graceMs: number, backendName: string): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let graceTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      graceTimer = setTimeout(() => resolve(failedOutcome('recoverable', `worker backend ${backendName} did not stop within ${graceMs} ms of being told to`)), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    void running.then((outcome) => {
      if (graceTimer) clearTimeout(graceTimer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    });
  });
}

function discoveryKey(discovery: Discovery): string {
  return JSON.stringify([discovery.summary, discovery.details ?? null, discovery.tags, discovery.files]);
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
