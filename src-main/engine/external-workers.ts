import { randomUUID } from 'node:crypto';
import type { Task } from '../../src-shared/domain/task';
import { LEASED_STATUSES } from '../../src-shared/domain/task-status';
import { ZERO_USAGE } from '../../src-shared/domain/usage';
import type { Store } from '../store/store';
import type { EngineEventBus } from './engine-events';
import { AgentNotFoundError, InvalidInputError, InvalidStateError, TaskNotFoundError } from './errors';
import { decideRetry } from './retry-policy';
import type { SchedulerSettings } from './scheduler';

/** What an external worker reports with completeTask. */
export interface ExternalResult {
  readonly output?: string;
  readonly filesModified?: ReadonlyArray<string>;
  readonly filesCreated?: ReadonlyArray<string>;
}

/** The seeds' manual worker protocol (claimTask / completeTask / failTask) on the same leases the scheduler uses. */
export class ExternalWorkers {
  constructor(
    private readonly store: Store,
    private readonly bus: EngineEventBus,
    private readonly settings: SchedulerSettings,
  ) {}

  /** Claims the best ready task for `agentId`, or null. */
  claim(agentId: string): Task | null {
    if (typeof agentId !== 'string' || agentId.trim() === '') throw new InvalidInputError(['claimTask needs a worker id']);
    const attemptId = randomUUID();
    const task = this.store.write(() => {
      const now = Date.now();
      const claimed = this.store.leases.claimNextReady(agentId, attemptId, now, now + this.settings.taskTimeoutMs, null);
      if (!claimed) return undefined;
      this.store.attempts.insert({ id: attemptId, taskId: claimed.id, runId: null, number: claimed.attempts, backend: 'external', workerOwner: agentId }, now);
      this.store.leases.transitionLeased(claimed.id, attemptId, 'in_progress', now);
      return this.store.tasks.get(claimed.id);
    });
    if (task) this.bus.emit('task.changed', { taskId: task.id, status: task.status, previousStatus: 'ready', reason: null, runId: null });
    return task ?? null;
  }

  /** Completes a claimed task; with `attemptId`, only while that attempt still holds it. */
  complete(taskId: string, result: ExternalResult, agentId?: string, expectedAttemptId?: string): Task {
    const changes = this.store.write(() => {
      const { attemptId } = this.held(taskId, agentId, expectedAttemptId);
      const now = Date.now();
      this.store.leases.completeLeased(taskId, attemptId, {
        output: result.output ?? '',
        filesModified: result.filesModified ?? [],
        filesCreated: result.filesCreated ?? [],
        error: null,
        discoveryIds: [],
        subtasksCreated: [],
      }, now);
      this.store.attempts.finish(attemptId, { status: 'succeeded', output: result.output ?? '', usage: ZERO_USAGE }, now);
      return this.store.tasks.promoteDependentsOf(taskId, now);
    });
    this.bus.emit('task.changed', { taskId, status: 'done', previousStatus: 'in_progress', reason: null, runId: null });
    for (const id of changes) this.bus.emit('task.changed', { taskId: id, status: 'ready', previousStatus: 'pending', reason: null, runId: null });
    return this.store.tasks.get(taskId) as Task;
  }

  /** Fails a claimed task: retried with backoff for transient/recoverable errors within max_retries, else failed with dependents blocked. */
  fail(taskId: string, message: string, agentId: string | undefined, errorClass: 'transient' | 'recoverable' | 'permanent', expectedAttemptId?: string): Task {
    if (typeof message !== 'string' || message.trim() === '') throw new InvalidInputError(['failTask needs an error message']);
    const events = this.store.write(() => {
      const { task, attemptId } = this.held(taskId, agentId, expectedAttemptId);
      const now = Date.now();
      this.store.attempts.finish(attemptId, { status: 'failed', errorClass, errorMessage: message }, now);
      const decision = decideRetry(errorClass, task.failures + 1, this.settings.retry);
      if (decision.retry) {
        this.store.leases.releaseLeased(taskId, attemptId, { notBefore: now + decision.delayMs, reason: `failed (${errorClass}): ${message}; will retry`, countFailure: true }, now);
        return [{ taskId, status: 'ready' as const, reason: message }];
      }
      this.store.leases.failLeased(taskId, attemptId, message, { output: '', filesModified: [], filesCreated: [], error: message, discoveryIds: [], subtasksCreated: [] }, now);
      const why = `waiting for task ${taskId} (failed: ${message})`;
      return [{ taskId, status: 'failed' as const, reason: message }, ...this.store.tasks.markDependentsWaiting(taskId, why, now).map((id) => ({ taskId: id, status: 'pending' as const, reason: why }))];
    });
    for (const event of events) this.bus.emit('task.changed', { ...event, previousStatus: null, runId: null });
    return this.store.tasks.get(taskId) as Task;
  }

  /** Extends a claimed task's lease by the task timeout (the same length a claim gets); returns the task with its new expiry. */
  renew(taskId: string, agentId?: string, expectedAttemptId?: string): Task {
    return this.store.write(() => {
      const { task, attemptId } = this.held(taskId, agentId, expectedAttemptId);
      this.store.leases.renewLease(taskId, task.leaseOwner ?? '', attemptId, Date.now() + this.settings.taskTimeoutMs);
      return this.store.tasks.get(taskId) as Task;
    });
  }

  private held(taskId: string, agentId: string | undefined, expectedAttemptId: string | undefined): { task: Task; attemptId: string } {
    const task = this.store.tasks.get(taskId);
    if (!task) throw new TaskNotFoundError(taskId);
    const attemptId = task.currentAttemptId;
    if (!LEASED_STATUSES.includes(task.status) || !attemptId) throw new InvalidStateError(`task ${taskId} is ${task.status}, not claimed by a worker`);
    if (expectedAttemptId !== undefined && attemptId !== expectedAttemptId) {
      throw new InvalidStateError(`attempt ${expectedAttemptId} no longer holds task ${taskId} (its lease expired or was taken back); claim a task again`);
    }
    if (agentId !== undefined && task.leaseOwner !== agentId) throw new AgentNotFoundError(agentId, `holds no claim on task ${taskId}`);
    return { task, attemptId };
  }
}
