import { randomUUID } from 'node:crypto';
import type { Attempt } from '../../src-shared/domain/attempt';
import type { RunSummary } from '../../src-shared/domain/run-summary';
import type { StoredDiscovery } from '../../src-shared/domain/discovery';
import type { Run } from '../../src-shared/domain/run';
import type { NewTaskInput, Task, TaskPatchInput } from '../../src-shared/domain/task';
import { toSeedStatus, type TaskStatus } from '../../src-shared/domain/task-status';
import { attachFeedbackCollector, type FeedbackCollector } from '../feedback/feedback-collector';
import { composeRunSummary, latestFinishedRun, runResultOf, summaryOfRun, type RunResult } from '../feedback/run-summary';
import { projectDatabasePath } from '../store/database';
import { Store } from '../store/store';
import type { TaskFilter } from '../store/task-repository';
import { EngineEventBus, type TasksResetReason } from './engine-events';
import { ConfigurationError, InvalidInputError, OrchestrationError, TimeoutError } from './errors';
import { ExternalWorkers, type ExternalResult } from './external-workers';
import { noOpLifecycle } from './lifecycle';
import { resolveSchedulerSettings, type OrchestratorOptions } from './orchestrator-options';
import { makeOwnerId } from './owner';
import { Scheduler, type RunRequest, type SchedulerSettings } from './scheduler';
import { loadStateFile, saveStateFile } from './state-file';
import type { TaskConflictRule } from './task-conflicts';
import { TaskService } from './task-service';

/** Snapshot of the project for status displays (our status names plus the seeds'). */
export interface OrchestratorStatus {
  readonly goal: string | null;
  readonly running: boolean;
  readonly runId: string | null;
  readonly activeWorkers: number;
  readonly maxWorkers: number;
  /** Until when the pool is paused for a rate limit (epoch ms), or null; also a pause stored by another process. */
  readonly pausedUntil: number | null;
  /** Why the pool is paused (as stored with the pause), or null. */
  readonly pauseReason: string | null;
  readonly total: number;
  readonly counts: Readonly<Record<TaskStatus, number>>;
  /** The same counts under the seeds' Python API names. */
  readonly seedCounts: Readonly<Record<string, number>>;
}

/** `new Orchestrator(...)` options: the seeds' options plus the engine's own. */
export interface OrchestratorConstructorOptions extends OrchestratorOptions {
  /** Ready tasks that conflict with a running one wait for it (workers sharing one folder without git); default none. */
  readonly conflicts?: TaskConflictRule;
  /** The files an attempt changed, for its feedback (the runtime reads them from git); default none known. */
  readonly changedFiles?: (attempt: Attempt) => Promise<ReadonlyArray<string>>;
  /** Mid-run recovery of what dead processes left, run before their leases are reclaimed (see SchedulerDeps); default none. */
  readonly recoverDeadOwners?: () => Promise<void>;
}

/**
 * The library facade of the seeds' Python API (001), in TypeScript: a durable task graph in
 * <workingDirectory>/.orchestrator/state.db and a scheduler running a WorkerBackend on it.
 */
export class Orchestrator {
  /** Typed engine events (task.changed, attempt.*, run.*, discovery, pool.*). */
  readonly events = new EngineEventBus();
  readonly settings: SchedulerSettings;
  /** Lease owner id of this instance. */
  readonly owner = makeOwnerId();
  /** Stores the feedback of every run (reviews, checks, conflicts, errors, pauses, the user's edits) and keeps lessons current. */
  readonly feedback: FeedbackCollector;
  private storeInstance: Store | undefined;
  private taskService: TaskService | undefined;
  private scheduler: Scheduler | undefined;
  private running: Promise<Run> | undefined;

  constructor(private readonly options: OrchestratorConstructorOptions) {
    this.settings = resolveSchedulerSettings(options);
    this.feedback = attachFeedbackCollector(this.events, {
      store: () => this.store,
      ...(options.changedFiles === undefined ? {} : { changedFiles: options.changedFiles }),
      ...(options.verbose ? { onError: (message: string) => console.error(`[orchestrator] ${message}`) } : {}),
    });
    if (options.onTaskComplete) {
      const callback = options.onTaskComplete;
      this.events.on('task.changed', (event) => {
        if (event.status !== 'done') return;
        const task = this.store.tasks.get(event.taskId);
        if (task) callback(task);
      });
    }
    if (options.onDiscovery) {
      const callback = options.onDiscovery;
      this.events.on('discovery', (event) => callback(event.discovery));
    }
    if (options.verbose) this.events.onAny((name, payload) => console.log(`[orchestrator] ${name} ${JSON.stringify(payload)}`));
  }

  /** The open store (opened on first use). */
  get store(): Store {
    this.storeInstance ??= Store.open(this.options.databasePath ?? projectDatabasePath(this.options.workingDirectory));
    return this.storeInstance;
  }

  /** Task operations (validated add/edit/status/delete). */
  get tasks(): TaskService {
    this.taskService ??= new TaskService(this.store, this.events);
    return this.taskService;
  }

  /** Opens the project database and records the goal (and master plan). */
  initialize(goal: string, masterPlan?: string): void {
    if (typeof goal !== 'string' || goal.trim() === '') throw new InvalidInputError(['initialize needs a non-empty goal']);
    this.store.write(() => {
      this.store.meta.set('goal', goal);
      if (masterPlan !== undefined) this.store.meta.set('masterPlan', masterPlan);
    });
  }

  /** Adds one task (a description string or a full task); returns its id. */
  addTask(input: string | NewTaskInput): string {
    return this.addTasksBatch([input])[0] as string;
  }

  /** Adds tasks all or nothing (they may depend on each other); returns their ids in input order. */
  addTasksBatch(inputs: ReadonlyArray<string | NewTaskInput>): ReadonlyArray<string> {
    if (!Array.isArray(inputs)) throw new InvalidInputError(['addTasksBatch needs an array of tasks']);
    const normalized = inputs.map((input) => (typeof input === 'string' ? { title: firstLine(input), description: input } : input));
    const added = this.tasks.addTasks(normalized);
    this.scheduler?.notify();
    return added.map((task) => task.id);
  }

  /** One task, or TaskNotFoundError. */
  getTask(id: string): Task {
    return this.tasks.require(id);
  }

  /** Tasks, optionally filtered. */
  listTasks(filter?: TaskFilter): ReadonlyArray<Task> {
    return this.store.tasks.list(filter);
  }

  /** Edits a task that is not running. */
  updateTask(id: string, patch: TaskPatchInput): Task {
    const task = this.tasks.updateTask(id, patch);
    this.scheduler?.notify();
    return task;
  }

  /** Sets a status by hand (pending = run again, done, failed, cancelled, deferred). */
  setTaskStatus(id: string, status: string, reason?: string): Task {
    const task = this.tasks.setStatus(id, status, reason);
    this.scheduler?.notify();
    return task;
  }

  /** Deletes a task; refuses when others depend on it unless force. */
  deleteTask(id: string, options?: { readonly force?: boolean }): void {
    this.tasks.deleteTask(id, options);
    this.scheduler?.notify();
  }

  /**
   * Tells listeners the task table was rewritten outside the task service (a rollback, an
   * import), so they reload it rather than patch it, and wakes the scheduler for the new state.
   */
  announceTasksReset(reason: TasksResetReason, taskIds?: ReadonlyArray<string>): void {
    this.events.emit('tasks.reset', { reason, ...(taskIds === undefined ? {} : { taskIds }) });
    this.scheduler?.notify();
  }

  /** The task the scheduler would start next (not claimed), or null; the seeds' `co next`. */
  nextTask(): Task | null {
    return this.store.leases.peekNextReady(Date.now()) ?? null;
  }

  /** An external worker claims the best ready task under a lease of taskTimeout; null when none is ready. */
  claimTask(agentId: string): Task | null {
    return this.externalWorkers().claim(agentId);
  }

  /** Marks a claimed task done with its result; dependents become ready. With `attemptId` (from the claim), only while that attempt holds it. */
  completeTask(taskId: string, result: ExternalResult = {}, agentId?: string, attemptId?: string): Task {
    const task = this.externalWorkers().complete(taskId, result, agentId, attemptId);
    this.scheduler?.notify();
    return task;
  }

  /** Marks a claimed task failed (permanent by default, blocking its dependents; transient/recoverable retry with backoff). */
  failTask(taskId: string, error: string, agentId?: string, errorClass: 'transient' | 'recoverable' | 'permanent' = 'permanent', attemptId?: string): Task {
    const task = this.externalWorkers().fail(taskId, error, agentId, errorClass, attemptId);
    this.scheduler?.notify();
    return task;
  }

  /** An external worker extends its claim by the task timeout; with `attemptId`, only while that attempt holds it. */
  renewTask(taskId: string, agentId?: string, attemptId?: string): Task {
    return this.externalWorkers().renew(taskId, agentId, attemptId);
  }

  /** Starts a run in the background; use waitForCompletion() or stop(). Returns the run id. */
  start(request: RunRequest = {}): string {
    if (this.running) throw new OrchestrationError('a run is already in progress; stop() it or wait for it');
    const backend = this.options.backend;
    if (!backend) throw new ConfigurationError('no worker backend configured: pass `backend` to new Orchestrator(...)');
    const runId = request.runId ?? randomUUID();
    this.scheduler = new Scheduler({
      store: this.store,
      bus: this.events,
      backend,
      lifecycle: this.options.lifecycle ?? noOpLifecycle(this.options.workingDirectory),
      tasks: this.tasks,
      settings: this.settings,
      owner: this.owner,
      conflicts: this.options.conflicts,
      recoverDeadOwners: this.options.recoverDeadOwners,
      ...(this.options.clock === undefined ? {} : { now: this.options.clock }),
    });
    const goal = request.goal ?? (this.store.meta.get('goal') || null);
    const running = this.scheduler.run({ ...request, runId, goal }).finally(() => {
      this.running = undefined;
    });
    // Callers of start() may never await; the error is also in the run's summary and run.finished.
    running.catch(() => undefined);
    this.running = running;
    return runId;
  }

  /** Resolves with the run when it finishes; TimeoutError after `timeoutMs` if given. */
  async waitForCompletion(timeoutMs?: number): Promise<Run> {
    const running = this.running;
    if (!running) throw new OrchestrationError('no run in progress');
    if (timeoutMs === undefined) return running;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`the run did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([running, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs every ready task to the end (or a subset); resolves with the finished run. */
  async run(request: RunRequest = {}): Promise<Run> {
    this.start(request);
    return this.waitForCompletion();
  }

  /** Cancels the run in progress: workers stop, their tasks go back to ready. Resolves when all have stopped. */
  async stop(): Promise<Run | undefined> {
    if (!this.running) return undefined;
    this.scheduler?.cancelRun();
    return this.running;
  }

  /** Cancels one task: a running attempt is aborted; dependents are blocked with the reason. */
  cancelTask(taskId: string): Task {
    this.tasks.require(taskId);
    if (this.scheduler?.cancelRunningTask(taskId)) return this.tasks.require(taskId);
    return this.setTaskStatus(taskId, 'cancelled');
  }

  /** Pauses the running pool until `resetAt` (e.g. the manager's onRateLimit); false when no run is in progress. */
  pausePool(resetAt: Date, reason: string): boolean {
    if (!this.running || !this.scheduler) return false;
    this.scheduler.pause(resetAt.getTime(), reason);
    return true;
  }

  /** Adds the given tasks and runs them to the end; resolves with the result in the seeds' shape (also a Run). */
  async runWithPredefinedTasks(tasks: ReadonlyArray<string | NewTaskInput>): Promise<RunResult> {
    const ids = this.addTasksBatch(tasks);
    return this.resultOf(await this.run({ taskIds: ids }));
  }

  /** A run's summary (the newest finished run's without an id): the stored one, else composed from the store. */
  getRunSummary(runId?: string): RunSummary | undefined {
    const id = runId ?? latestFinishedRun(this.store)?.id;
    return id === undefined ? undefined : summaryOfRun(this.store, id);
  }

  /** The seeds' result of a finished run; its summary is stored with the run unless a finish stage stored one already. */
  private async resultOf(run: Run): Promise<RunResult> {
    await this.feedback.settled();
    let summary = this.store.runSummaries.get(run.id);
    if (summary === undefined) {
      const composed = composeRunSummary(this.store, run, { integration: [], finalReview: null });
      this.store.write(() => this.store.runSummaries.save(composed, Date.now()));
      summary = composed;
    }
    return runResultOf(this.store, run, summary);
  }

  /** Lets the manager plan tasks for the goal, then runs them; needs a `planner` (the agents layer provides it). */
  async runWithLeaderPlanning(goal: string, masterPlan?: string): Promise<RunResult> {
    const planner = this.options.planner;
    if (!planner) {
      throw new ConfigurationError('runWithLeaderPlanning needs the manager: pass `planner` to new Orchestrator(...) (provided by the agents layer)');
    }
    this.initialize(goal, masterPlan);
    const tasks = await planner(goal, masterPlan ?? null);
    return this.runWithPredefinedTasks(tasks);
  }

  /** Counts, workers and goal. */
  getStatus(): OrchestratorStatus {
    const counts = this.store.tasks.countByStatus();
    const seedCounts: Record<string, number> = {};
    let total = 0;
    for (const [status, count] of Object.entries(counts) as Array<[TaskStatus, number]>) {
      total += count;
      const seedName = toSeedStatus(status);
      seedCounts[seedName] = (seedCounts[seedName] ?? 0) + count;
    }
    return {
      goal: this.store.meta.get('goal') || null,
      running: this.running !== undefined,
      runId: this.scheduler?.runId ?? null,
      activeWorkers: this.scheduler?.activeWorkers ?? 0,
      maxWorkers: this.settings.maxWorkers,
      ...this.pauseStatus(),
      total,
      counts,
      seedCounts,
    };
  }

  /** The attempts this process's run is working on now, oldest first (for a view opened mid-run). */
  getActiveAttempts(): ReadonlyArray<Attempt> {
    const ids = this.running ? (this.scheduler?.activeAttemptIds ?? []) : [];
    return ids.flatMap((id) => this.store.attempts.get(id) ?? []);
  }

  /** This process's pause, else one another process stored that has not ended yet. */
  private pauseStatus(): Pick<OrchestratorStatus, 'pausedUntil' | 'pauseReason'> {
    const now = Date.now();
    const own = this.running ? (this.scheduler?.pausedUntil ?? null) : null;
    const stored = this.store.meta.getPoolPause();
    const storedActive = stored !== null && stored.until > now ? stored : null;
    const pausedUntil = own ?? storedActive?.until ?? null;
    return { pausedUntil, pauseReason: pausedUntil === null ? null : (storedActive?.reason ?? 'rate limit') };
  }

  /** Discoveries stored so far. */
  getDiscoveries(): ReadonlyArray<StoredDiscovery> {
    return this.store.discoveries.list();
  }

  /** Writes goal, plan and tasks to a versioned JSON file. */
  async saveState(file: string): Promise<void> {
    await saveStateFile(this.store, file);
  }

  /** Replaces the tasks with a saved state (refused while running, or if the file is invalid: nothing changes). */
  async loadState(file: string): Promise<void> {
    if (this.running) throw new OrchestrationError('cannot load a state file during a run; stop() first');
    await loadStateFile(this.store, file);
    this.announceTasksReset('state-loaded');
  }

  /** Stops any run and closes the database. */
  async close(): Promise<void> {
    await this.stop();
    await this.feedback.settled();
    this.storeInstance?.close();
    this.storeInstance = undefined;
    this.taskService = undefined;
  }

  private externalWorkers(): ExternalWorkers {
    return new ExternalWorkers(this.store, this.events, this.settings);
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
