import type { z } from 'zod';
import type { Priority } from '../domain/priority';
import { assertNever } from '../domain/assert-never';
import { compareTaskIds } from '../domain/task-id';
import type { TaskStatus } from '../domain/task-status';
import {
  TaskMasterTagSchema,
  type TaskMasterStatusName,
  type TaskMasterSubtask,
  type TaskMasterTask,
} from './taskmaster-schema';

export { TASK_MASTER_STATUSES, type TaskMasterStatusName, type TaskMasterTask, type TaskMasterSubtask } from './taskmaster-schema';

/** A tasks.json that cannot be read; the message names the key and the problem. */
export class TaskMasterFormatError extends Error {
  override readonly name = 'TaskMasterFormatError';
}

/** A parsed tasks.json: the tasks of one tag and how the file is laid out. */
export interface TaskMasterDocument {
  readonly layout: 'tagged' | 'legacy';
  readonly tag: string;
  readonly tasks: ReadonlyArray<TaskMasterTask>;
  readonly metadata: unknown;
}

/** What an imported task remembers of its Task Master original, so export gives it back unchanged. */
export interface TaskMasterOriginal {
  /** The original object (its subtasks replaced by [] when it had the key). */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly status: TaskMasterStatusName | null;
  /** Our status right after import; while the task keeps it, export writes the original status. */
  readonly importedAs: TaskStatus;
}

/** A task ready to add to our store, with the status to give it. */
export interface ImportedTask {
  readonly id: string;
  readonly parentId: string | null;
  readonly title: string;
  readonly description: string;
  readonly details: string;
  readonly testStrategy: string;
  readonly priority: Priority;
  readonly dependencies: ReadonlyArray<string>;
  readonly sourceRef: string;
  readonly status: TaskStatus;
  readonly statusReason: string | null;
  readonly original: TaskMasterOriginal;
}

/** The fields of our task that export writes. */
export interface ExportableTask {
  readonly id: string;
  readonly parentId: string | null;
  readonly title: string;
  readonly description: string;
  readonly details: string;
  readonly testStrategy: string;
  readonly priority: Priority;
  readonly status: TaskStatus;
  readonly dependencies: ReadonlyArray<string>;
}

/** Reads a tasks.json value: tagged `{"master": {"tasks": [...]}}` or legacy `{"tasks": [...]}`. */
export function parseTaskMasterDocument(raw: unknown, tag = 'master'): TaskMasterDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new TaskMasterFormatError('expected a JSON object at the top level');
  const record = raw as Record<string, unknown>;
  if (Array.isArray(record['tasks'])) return { layout: 'legacy', tag, ...parseTag(record, 'tasks') };
  const tags = Object.keys(record);
  if (!Object.hasOwn(record, tag)) {
    throw new TaskMasterFormatError(
      tags.length === 0 ? 'the file has no tasks (expected {"master": {"tasks": [...]}})' : `no tag "${tag}" in the file (tags: ${tags.join(', ')}); pass --tag`,
    );
  }
  return { layout: 'tagged', tag, ...parseTag(record[tag], `${tag}.tasks`) };
}

function parseTag(value: unknown, where: string): { readonly tasks: ReadonlyArray<TaskMasterTask>; readonly metadata: unknown } {
  const parsed = TaskMasterTagSchema.safeParse(value);
  if (!parsed.success) throw new TaskMasterFormatError(describeIssues(parsed.error, where.replace(/\.tasks$/, '')));
  return { tasks: parsed.data.tasks, metadata: parsed.data.metadata };
}

function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `key ${[prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.')}: ${issue.message}`)
    .join('; ');
}

/** Maps a Task Master status onto ours (in-progress → pending: it runs again; review → done: the work exists). */
export function statusFromTaskMaster(status: TaskMasterStatusName | undefined): TaskStatus {
  switch (status) {
    case undefined:
    case 'pending':
    case 'in-progress':
      return 'pending';
    case 'done':
    case 'review':
      return 'done';
    case 'deferred':
    case 'cancelled':
    case 'blocked':
      return status;
    default:
      return assertNever(status, 'Task Master status');
  }
}

/** Maps our status onto Task Master's (failed → blocked: it needs a person). */
export function statusToTaskMaster(status: TaskStatus): TaskMasterStatusName {
  switch (status) {
    case 'pending':
    case 'ready':
      return 'pending';
    case 'claimed':
    case 'in_progress':
      return 'in-progress';
    case 'review':
    case 'done':
    case 'deferred':
    case 'cancelled':
    case 'blocked':
      return status;
    case 'failed':
      return 'blocked';
    default:
      return assertNever(status, 'task status');
  }
}

/** Converts Task Master tasks (subtasks become "parent.sub") into tasks for our store; checks ids and references. */
export function tasksFromTaskMaster(tasks: ReadonlyArray<TaskMasterTask>): ReadonlyArray<ImportedTask> {
  const topIds = new Set(tasks.map((task) => String(task.id)));
  const result: ImportedTask[] = [];
  const seen = new Set<string>();
  for (const task of tasks) {
    const id = String(task.id);
    const siblings = new Set((task.subtasks ?? []).map((subtask) => subtaskNumber(subtask.id)));
    const { subtasks, ...rest } = task;
    // Remember only that the key was there; the subtasks themselves become tasks.
    const raw = subtasks === undefined ? rest : { ...rest, subtasks: [] };
    result.push(imported(id, null, task, raw, task.dependencies?.map((dep) => topLevelDependency(dep)) ?? []));
    for (const subtask of subtasks ?? []) {
      const subId = `${id}.${subtaskNumber(subtask.id)}`;
      const deps = subtask.dependencies?.map((dep) => subtaskDependency(dep, id, siblings, topIds)) ?? [];
      result.push(imported(subId, id, subtask, subtask, deps));
    }
  }
  for (const task of result) {
    if (seen.has(task.id)) throw new TaskMasterFormatError(`task id ${task.id} appears twice`);
    seen.add(task.id);
  }
  return result;
}

function imported(
  id: string,
  parentId: string | null,
  task: TaskMasterTask | TaskMasterSubtask,
  raw: Readonly<Record<string, unknown>>,
  dependencies: ReadonlyArray<string>,
): ImportedTask {
  const status = statusFromTaskMaster(task.status);
  return {
    id,
    parentId,
    title: task.title,
    description: task.description ?? '',
    details: task.details ?? '',
    testStrategy: task.testStrategy ?? '',
    priority: priorityFromTaskMaster(task.priority),
    dependencies,
    sourceRef: `taskmaster:${id}`,
    status,
    statusReason: status === 'blocked' ? 'blocked in Task Master' : null,
    original: { raw, status: task.status ?? null, importedAs: status },
  };
}

function priorityFromTaskMaster(priority: TaskMasterTask['priority']): Priority {
  if (priority === undefined) return 'medium';
  return priority === 'critical' ? 'high' : priority;
}

/** Ready is pending with its dependencies done: the same thing in Task Master's eyes. */
function sameStatus(a: TaskStatus, b: TaskStatus): boolean {
  const normalize = (status: TaskStatus): TaskStatus => (status === 'ready' ? 'pending' : status);
  return normalize(a) === normalize(b);
}

function subtaskNumber(id: number | string): string {
  const text = String(id);
  return text.includes('.') ? (text.split('.').at(-1) as string) : text;
}

function topLevelDependency(dep: number | string): string {
  return String(dep);
}

/** A subtask's number dependency means a sibling when one has that number, else a top-level task. */
function subtaskDependency(dep: number | string, parentId: string, siblings: ReadonlySet<string>, topIds: ReadonlySet<string>): string {
  if (typeof dep === 'string') return dep;
  const text = String(dep);
  if (siblings.has(text) || !topIds.has(text)) return `${parentId}.${text}`;
  return text;
}

/** Converts our tasks back to Task Master's shape; imported tasks keep their original fields where unchanged. */
export function tasksToTaskMaster(
  tasks: ReadonlyArray<ExportableTask>,
  originals: ReadonlyMap<string, TaskMasterOriginal> = new Map(),
): ReadonlyArray<TaskMasterTask> {
  const problems = tasks.filter((task) => !/^\d+(\.\d+)*$/.test(task.id)).map((task) => task.id);
  if (problems.length > 0) throw new TaskMasterFormatError(`Task Master ids are numbers ("3" or "3.1"); these cannot be exported: ${problems.join(', ')}`);
  const byParent = new Map<string, ExportableTask[]>();
  for (const task of tasks) {
    if (task.parentId === null) continue;
    if (task.id !== `${task.parentId}.${subtaskNumber(task.id)}` || task.parentId.includes('.')) {
      throw new TaskMasterFormatError(`task ${task.id} is nested too deeply for Task Master (one level of subtasks, ids "parent.n")`);
    }
    byParent.set(task.parentId, [...(byParent.get(task.parentId) ?? []), task]);
  }
  return [...tasks]
    .filter((task) => task.parentId === null)
    .sort((a, b) => compareTaskIds(a.id, b.id))
    .map((task) => {
      const subtasks = [...(byParent.get(task.id) ?? [])].sort((a, b) => compareTaskIds(a.id, b.id));
      const original = originals.get(task.id);
      const base = exportFields(task, original, (dep) => (/^\d+$/.test(dep) ? Number(dep) : dep), Number(task.id));
      const withSubtasks = subtasks.length > 0 || original?.raw['subtasks'] !== undefined || original === undefined;
      const exportedSubtasks = subtasks.map((subtask) =>
        exportFields(subtask, originals.get(subtask.id), (dep) => subtaskDependencyOut(dep, task.id), Number(subtaskNumber(subtask.id))),
      );
      return (withSubtasks ? { ...base, subtasks: exportedSubtasks } : base) as TaskMasterTask;
    });
}

function subtaskDependencyOut(dep: string, parentId: string): number | string {
  return dep.startsWith(`${parentId}.`) && /^\d+$/.test(dep.slice(parentId.length + 1)) ? Number(dep.slice(parentId.length + 1)) : dep;
}

function exportFields(
  task: ExportableTask,
  original: TaskMasterOriginal | undefined,
  dependencyOut: (dep: string) => number | string,
  numericId: number,
): Record<string, unknown> {
  const raw = original?.raw ?? {};
  const keep = (key: string, value: string, fallback: string): Record<string, unknown> =>
    raw[key] === undefined && original !== undefined && value === fallback ? {} : { [key]: value };
  const originalPriority = raw['priority'];
  const priority =
    originalPriority === 'critical' && task.priority === 'high'
      ? { priority: 'critical' }
      : originalPriority === undefined && original !== undefined && task.priority === 'medium'
        ? {}
        : { priority: task.priority };
  const unchanged = original !== undefined && sameStatus(task.status, original.importedAs);
  const status = unchanged && original.status !== null ? original.status : statusToTaskMaster(task.status);
  const statusField = unchanged && original.status === null ? {} : { status };
  const dependencies = exportDependencies(task, raw, original, dependencyOut);
  const { subtasks: _subtasks, ...extras } = raw;
  return {
    ...extras,
    id: typeof raw['id'] === 'string' && Number(raw['id']) === numericId ? raw['id'] : numericId,
    title: task.title,
    ...keep('description', task.description, ''),
    ...keep('details', task.details, ''),
    ...keep('testStrategy', task.testStrategy, ''),
    ...statusField,
    ...dependencies,
    ...priority,
  };
}

function exportDependencies(
  task: ExportableTask,
  raw: Readonly<Record<string, unknown>>,
  original: TaskMasterOriginal | undefined,
  dependencyOut: (dep: string) => number | string,
): Record<string, unknown> {
  const ours = [...task.dependencies].sort(compareTaskIds);
  const before = raw['dependencies'];
  if (Array.isArray(before)) {
    const imported = original === undefined ? [] : tasksFromOriginalDependencies(task, before);
    if (sameList(imported, ours)) return { dependencies: before };
  } else if (original !== undefined && ours.length === 0) {
    return {};
  }
  return { dependencies: task.dependencies.map(dependencyOut) };
}

/** The ids the original dependency list resolved to at import (recomputed the way import does). */
function tasksFromOriginalDependencies(task: ExportableTask, before: ReadonlyArray<unknown>): ReadonlyArray<string> {
  return before
    .map((dep) => {
      if (task.parentId === null || typeof dep === 'string') return String(dep);
      return task.dependencies.includes(String(dep)) ? String(dep) : `${task.parentId}.${String(dep)}`;
    })
    .sort(compareTaskIds);
}

function sameList(a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** A tasks.json document with `tasks` under `tag`, keeping the file's other tags (or the legacy layout). */
export function buildTaskMasterDocument(
  tasks: ReadonlyArray<TaskMasterTask>,
  options: { readonly tag: string; readonly existing?: unknown; readonly layout?: 'tagged' | 'legacy'; readonly metadata?: unknown },
): Record<string, unknown> {
  const existing = typeof options.existing === 'object' && options.existing !== null && !Array.isArray(options.existing) ? (options.existing as Record<string, unknown>) : undefined;
  const legacy = existing ? Array.isArray(existing['tasks']) : options.layout === 'legacy';
  const metadata = options.metadata === undefined ? {} : { metadata: options.metadata };
  if (legacy) return { ...(existing ?? {}), tasks, ...metadata };
  const previous = existing?.[options.tag];
  const previousTag = typeof previous === 'object' && previous !== null ? (previous as Record<string, unknown>) : {};
  return { ...(existing ?? {}), [options.tag]: { ...previousTag, tasks, ...metadata } };
}
