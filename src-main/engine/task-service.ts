import { NewTaskSchema, TaskPatchSchema, type NewTask, type Task } from '../../src-shared/domain/task';
import { type TaskStatus } from '../../src-shared/domain/task-status';
import { formatIssues } from '../../src-shared/config/resolve-config';
import type { GraphNode } from '../../src-shared/graph/graph-node';
import { validateGraph } from '../../src-shared/graph/validate';
import type { Store } from '../store/store';
import type { TaskInsert } from '../store/task-repository';
import type { EngineEventBus } from './engine-events';
import { InvalidInputError, InvalidStateError, TaskNotFoundError } from './errors';
import { refreshCriticalRanks } from './ranking';
import { TaskStatusSchema } from '../../src-shared/domain/field-schemas';

/** A status change to announce once the transaction has committed. */
interface Change {
  readonly taskId: string;
  readonly status: TaskStatus;
  readonly previousStatus: TaskStatus | null;
  readonly reason: string | null;
}

/** Statuses a user may set directly; the others belong to the scheduler. */
const USER_SETTABLE: ReadonlyArray<TaskStatus> = ['pending', 'done', 'failed', 'cancelled', 'deferred'];

/**
 * Every change to the task graph that is not the scheduler's own: add (validated as a whole,
 * all or nothing), edit, set status, delete. Errors name the task and the problem; on error
 * nothing is written.
 */
export class TaskService {
  constructor(
    private readonly store: Store,
    private readonly bus: EngineEventBus,
    private readonly now: () => number = Date.now,
  ) {}

  /** Validates and adds tasks in one transaction; returns them as stored, in input order. */
  addTasks(inputs: ReadonlyArray<unknown>): ReadonlyArray<Task> {
    const problems: string[] = [];
    const parsed: NewTask[] = [];
    inputs.forEach((input, index) => {
      const result = NewTaskSchema.safeParse(input);
      if (result.success) parsed.push(result.data);
      else problems.push(`${describeInput(input, index)}: ${formatIssues(result.error).join(', ')}`);
    });
    if (problems.length > 0) throw new InvalidInputError(problems);
    const changes: Change[] = [];
    const ids = this.store.write(() => {
      const now = this.now();
      const graph = this.store.dependencies.graph();
      const existing = new Set(graph.map((node) => node.id));
      const withIds = this.assignIds(parsed, existing);
      const batchIds = new Set<string>();
      for (const task of withIds) {
        if (existing.has(task.id) || batchIds.has(task.id)) problems.push(`task id ${task.id} is already in use`);
        batchIds.add(task.id);
        if (task.parentId && !existing.has(task.parentId) && !withIds.some((other) => other.id === task.parentId)) {
          problems.push(`task ${task.id}: parent ${task.parentId} does not exist`);
        }
      }
      const nodes: GraphNode[] = [...graph, ...withIds.map((task) => ({ id: task.id, dependencies: task.dependencies }))];
      if (problems.length === 0) problems.push(...validateGraph(nodes).map((problem) => problem.message));
      if (problems.length > 0) throw new InvalidInputError(problems);
      this.store.db.pragma('defer_foreign_keys = ON');
      for (const task of withIds) {
        const row: TaskInsert = { ...task, parentId: task.parentId ?? null, status: task.deferred ? 'deferred' : 'pending' };
        this.store.tasks.insert(row, now);
        this.store.dependencies.add(task.id, task.dependencies);
        changes.push({ taskId: task.id, status: row.status, previousStatus: null, reason: null });
      }
      for (const task of withIds) {
        const reason = this.blockingReason(task.dependencies.filter((dependency) => !batchIds.has(dependency)));
        if (!reason) continue;
        this.store.tasks.setStatus(task.id, 'blocked', reason, now);
        changes.push({ taskId: task.id, status: 'blocked', previousStatus: 'pending', reason });
        const why = `dependency ${task.id} is blocked: ${reason}`;
        for (const taskId of this.store.tasks.blockDependentsOf(task.id, why, now)) {
          changes.push({ taskId, status: 'blocked', previousStatus: 'pending', reason: why });
        }
      }
      changes.push(...this.store.tasks.promoteAllReady(now).map((id) => promoted(id)));
      refreshCriticalRanks(this.store);
      return withIds.map((task) => task.id);
    });
    this.announce(changes);
    const byId = new Map(this.store.tasks.list({ ids }).map((task) => [task.id, task]));
    return ids.map((id) => byId.get(id) as Task);
  }

  /** Edits a task that no worker holds; a dependency change is validated against the whole graph. */
  updateTask(id: string, patchInput: unknown): Task {
    const result = TaskPatchSchema.safeParse(patchInput);
    if (!result.success) throw new InvalidInputError(formatIssues(result.error).map((issue) => `task ${id}: ${issue}`));
    const patch = result.data;
    const changes: Change[] = [];
    this.store.write(() => {
      const task = this.require(id);
      const holder = heldBy(task, this.now());
      if (holder !== null) throw new InvalidStateError(`task ${id} is ${holder}; ${holder === 'open in a terminal' ? 'close the terminal' : 'cancel it'} before editing`);
      const now = this.now();
      this.store.tasks.updateFields(id, patch, now);
      if (patch.dependencies) {
        const graph = this.store.dependencies.graph().map((node) => (node.id === id ? { id, dependencies: patch.dependencies ?? [] } : node));
        const problems = validateGraph(graph);
        if (problems.length > 0) throw new InvalidInputError(problems.map((problem) => problem.message));
        this.store.dependencies.replace(id, patch.dependencies);
        changes.push(...this.store.tasks.demoteNotReady(now).map((taskId) => ({ taskId, status: 'pending' as const, previousStatus: 'ready' as const, reason: null })));
        changes.push(...this.store.tasks.promoteAllReady(now).map((taskId) => promoted(taskId)));
        refreshCriticalRanks(this.store);
      }
    });
    changes.push({ taskId: id, status: this.require(id).status, previousStatus: null, reason: 'edited' });
    this.announce(changes);
    return this.require(id);
  }

  /**
   * Sets a status by hand: pending (run again; unblocks its dependents), done, failed,
   * cancelled or deferred. Failing or cancelling blocks the dependents with the reason.
   * A task a worker holds loses its lease; its worker notices at the next heartbeat.
   */
  setStatus(id: string, statusInput: unknown, reasonInput?: string): Task {
    const parsedStatus = TaskStatusSchema.safeParse(statusInput);
    if (!parsedStatus.success) throw new InvalidInputError([formatIssues(parsedStatus.error).join(', ')]);
    const status = parsedStatus.data;
    if (!USER_SETTABLE.includes(status)) {
      throw new InvalidInputError([`status ${status} is set by the scheduler; use one of ${USER_SETTABLE.join(', ')}`]);
    }
    const changes: Change[] = [];
    this.store.write(() => {
      const task = this.require(id);
      if (task.status === status) return;
      if (status === 'deferred' && task.leaseOwner) throw new InvalidStateError(`task ${id} is running; cancel it instead of deferring`);
      const now = this.now();
      const reason = reasonInput ?? defaultReason(status);
      if (status === 'pending') {
        this.store.tasks.resetForRetry(id, now);
        changes.push({ taskId: id, status, previousStatus: task.status, reason: null });
        changes.push(...this.store.tasks.unblockDependentsOf(id, now).map((taskId) => ({ taskId, status: 'pending' as const, previousStatus: 'blocked' as const, reason: null })));
        changes.push(...this.store.tasks.demoteNotReady(now).map((taskId) => ({ taskId, status: 'pending' as const, previousStatus: 'ready' as const, reason: null })));
      } else {
        this.store.tasks.setStatus(id, status, status === 'done' ? null : reason, now);
        changes.push({ taskId: id, status, previousStatus: task.status, reason });
        if (status === 'failed' || status === 'cancelled') {
          const why = `dependency ${id} ${status === 'failed' ? 'failed' : 'was cancelled'}: ${reason}`;
          changes.push(...this.store.tasks.blockDependentsOf(id, why, now).map((taskId) => ({ taskId, status: 'blocked' as const, previousStatus: null, reason: why })));
        }
      }
      changes.push(...this.store.tasks.promoteAllReady(now).map((taskId) => promoted(taskId)));
    });
    this.announce(changes);
    return this.require(id);
  }

  /**
   * Deletes a task and its subtasks (they cascade); refuses when a worker holds any of them, or
   * when tasks outside them depend on them unless `force` (then those edges are dropped).
   * Announces `task.removed` for each task removed, so every client drops it.
   */
  deleteTask(id: string, options: { readonly force?: boolean } = {}): void {
    const changes: Change[] = [];
    const removed = this.store.write(() => {
      this.require(id);
      const subtree = this.store.tasks.subtreeIds(id);
      for (const taskId of subtree) {
        const task = this.store.tasks.get(taskId);
        const holder = task === undefined ? null : heldBy(task, this.now());
        if (holder !== null) throw new InvalidStateError(`task ${taskId} is ${holder}; ${holder === 'open in a terminal' ? 'close the terminal' : 'cancel it'} first`);
      }
      const inSubtree = new Set(subtree);
      const dependents = [...new Set(subtree.flatMap((taskId) => this.store.dependencies.dependentsOf(taskId)))].filter((taskId) => !inSubtree.has(taskId));
      if (dependents.length > 0 && !options.force) {
        const which = subtree.length > 1 ? `task ${id} or one of its subtasks` : `task ${id}`;
        throw new InvalidStateError(`${which} is a dependency of ${dependents.join(', ')}; remove those edges first or force the delete`);
      }
      this.store.tasks.delete(id);
      const now = this.now();
      changes.push(...this.store.tasks.promoteAllReady(now).map((taskId) => promoted(taskId)));
      refreshCriticalRanks(this.store);
      return subtree;
    });
    for (const taskId of removed) this.bus.emit('task.removed', { taskId });
    this.announce(changes);
  }

  /** The task, or TaskNotFoundError. */
  require(id: string): Task {
    const task = this.store.tasks.get(id);
    if (!task) throw new TaskNotFoundError(id);
    return task;
  }

  private assignIds(tasks: ReadonlyArray<NewTask>, existing: ReadonlySet<string>): ReadonlyArray<NewTask & { id: string }> {
    let nextTopLevel = Math.max(
      this.store.tasks.maxNumericId(),
      ...tasks.map((task) => (task.id && /^\d+$/.test(task.id) ? Number(task.id) : 0)),
    );
    const subtaskCounters = new Map<string, number>();
    return tasks.map((task) => {
      if (task.id) return { ...task, id: task.id };
      if (task.parentId) {
        const parentId = task.parentId;
        let counter = subtaskCounters.get(parentId) ?? (existing.has(parentId) ? this.store.tasks.maxSubtaskNumber(parentId) : 0);
        counter += 1;
        while (tasks.some((other) => other.id === `${parentId}.${counter}`)) counter += 1;
        subtaskCounters.set(parentId, counter);
        return { ...task, id: `${parentId}.${counter}` };
      }
      nextTopLevel += 1;
      return { ...task, id: String(nextTopLevel) };
    });
  }

  /** Why a new task starts blocked: one of its existing dependencies already failed or was cancelled. */
  private blockingReason(dependencies: ReadonlyArray<string>): string | null {
    for (const dependency of dependencies) {
      const task = this.store.tasks.get(dependency);
      if (task && (task.status === 'failed' || task.status === 'cancelled' || task.status === 'blocked')) {
        return `dependency ${dependency} is ${task.status}${task.statusReason ? `: ${task.statusReason}` : ''}`;
      }
    }
    return null;
  }

  private announce(changes: ReadonlyArray<Change>): void {
    for (const change of changes) this.bus.emit('task.changed', { ...change, runId: null });
  }
}

function promoted(taskId: string): Change {
  return { taskId, status: 'ready', previousStatus: 'pending', reason: null };
}

function defaultReason(status: TaskStatus): string {
  return status === 'cancelled' ? 'cancelled by the user' : status === 'failed' ? 'marked failed by the user' : `set to ${status} by the user`;
}

function describeInput(input: unknown, index: number): string {
  if (typeof input === 'object' && input !== null) {
    const record = input as Record<string, unknown>;
    if (typeof record.id === 'string') return `task ${record.id}`;
    if (typeof record.title === 'string') return `task "${record.title.slice(0, 40)}"`;
  }
  return `task #${index + 1}`;
}

/**
 * Who holds a task, in words, or null: a worker (claimed, in progress, in review), or a person
 * driving it in a terminal (`TaskHoldRepository`; a hold past its time, left by an app that died,
 * no longer counts).
 */
function heldBy(task: Task, now: number): string | null {
  if (task.leaseOwner === null) return null;
  if (task.status === 'claimed' || task.status === 'in_progress' || task.status === 'review') return `${task.status} by a worker`;
  return (task.leaseExpiresAt ?? 0) >= now ? 'open in a terminal' : null;
}
