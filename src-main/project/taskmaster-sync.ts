import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  TaskMasterFormatError,
  buildTaskMasterDocument,
  parseTaskMasterDocument,
  tasksFromTaskMaster,
  tasksToTaskMaster,
  type ImportedTask,
  type TaskMasterOriginal,
} from '../../src-shared/interop/taskmaster';
import type { Orchestrator } from '../engine/orchestrator';
import { refreshCriticalRanks } from '../engine/ranking';

/** Where Task Master keeps its tasks, relative to a project. */
export const TASK_MASTER_FILE = path.join('.taskmaster', 'tasks', 'tasks.json');

/** Meta key holding what import remembers for export. */
const META_KEY = 'taskmaster.import';

interface ImportRecord {
  readonly layout: 'tagged' | 'legacy';
  readonly tag: string;
  readonly metadata: unknown;
  readonly originals: Readonly<Record<string, TaskMasterOriginal>>;
}

/** A user-fixable problem with a Task Master file or the import; nothing was changed. */
export class TaskMasterSyncError extends Error {
  override readonly name = 'TaskMasterSyncError';
}

/** The tasks.json a path names: the file itself, or a project folder holding .taskmaster/tasks/tasks.json. */
export function taskMasterFilePath(workingDir: string, given: string | undefined): string {
  const resolved = path.resolve(workingDir, given ?? TASK_MASTER_FILE);
  return existsSync(resolved) && statSync(resolved).isDirectory() ? path.join(resolved, TASK_MASTER_FILE) : resolved;
}

/** Result of an import. */
export interface ImportSummary {
  readonly file: string;
  readonly tasks: number;
  readonly subtasks: number;
  readonly replaced: number;
}

/** Reads a Task Master file and adds its tasks (ids, subtasks, dependencies, statuses) in one transaction. */
export async function importTaskMaster(
  orchestrator: Orchestrator,
  file: string,
  options: { readonly tag: string; readonly replace: boolean },
): Promise<ImportSummary> {
  const document = parseTaskMasterDocument(await readJson(file), options.tag);
  const imported = tasksFromTaskMaster(document.tasks);
  const store = orchestrator.store;
  const existing = store.tasks.ids();
  if (!options.replace) {
    const clashes = imported.filter((task) => existing.includes(task.id)).map((task) => task.id);
    if (clashes.length > 0) {
      throw new TaskMasterSyncError(
        `the project already has tasks with the ids ${clashes.slice(0, 10).join(', ')}${clashes.length > 10 ? ', …' : ''}; nothing was imported. Use --replace to replace all ${existing.length} tasks.`,
      );
    }
  }
  const running = store.tasks.list({ statuses: ['claimed', 'in_progress', 'review'] });
  if (running.length > 0) throw new TaskMasterSyncError(`tasks ${running.map((task) => task.id).join(', ')} are running; stop the run before importing.`);
  store.write(() => {
    if (options.replace) store.tasks.deleteAll();
    orchestrator.tasks.addTasks(imported.map(newTaskOf));
    const now = Date.now();
    for (const task of imported) {
      if (task.status !== 'pending') store.tasks.setStatus(task.id, task.status, task.statusReason, now);
    }
    store.tasks.demoteNotReady(now);
    store.tasks.promoteAllReady(now);
    refreshCriticalRanks(store);
    const record: ImportRecord = {
      layout: document.layout,
      tag: document.tag,
      metadata: document.metadata,
      originals: Object.fromEntries(imported.map((task) => [task.id, task.original])),
    };
    store.meta.set(META_KEY, JSON.stringify(record));
  });
  return {
    file,
    tasks: imported.filter((task) => task.parentId === null).length,
    subtasks: imported.filter((task) => task.parentId !== null).length,
    replaced: options.replace ? existing.length : 0,
  };
}

/** Writes the project's tasks to a Task Master file (other tags in it are kept). */
export async function exportTaskMaster(orchestrator: Orchestrator, file: string, options: { readonly tag: string }): Promise<{ readonly file: string; readonly tasks: number }> {
  const store = orchestrator.store;
  const record = readImportRecord(store.meta.get(META_KEY));
  const originals = new Map(Object.entries(record?.originals ?? {}));
  const tasks = tasksToTaskMaster(store.tasks.list(), originals);
  let existing: unknown;
  if (existsSync(file)) {
    existing = await readJson(file);
    parseTaskMasterDocument(existing, Object.hasOwn(existing as object, options.tag) ? options.tag : Object.keys(existing as object)[0] ?? options.tag);
  }
  const sameTag = record !== null && record.tag === options.tag;
  const now = new Date().toISOString();
  const metadata = sameTag && record.metadata !== undefined ? record.metadata : { created: now, updated: now, description: 'Tasks exported from Claude Orchestrator' };
  const document = buildTaskMasterDocument(tasks, {
    tag: options.tag,
    ...(existing === undefined ? {} : { existing }),
    layout: sameTag ? record.layout : 'tagged',
    metadata,
  });
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
  return { file, tasks: tasks.length };
}

function newTaskOf(task: ImportedTask): Record<string, unknown> {
  return {
    id: task.id,
    parentId: task.parentId,
    title: task.title,
    description: task.description,
    details: task.details,
    testStrategy: task.testStrategy,
    priority: task.priority,
    dependencies: [...task.dependencies],
    sourceRef: task.sourceRef,
  };
}

function readImportRecord(text: string | undefined): ImportRecord | null {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as ImportRecord;
  } catch {
    return null;
  }
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TaskMasterSyncError(code === 'ENOENT' ? `${file} does not exist; give the path of a Task Master tasks.json (or its project folder).` : `cannot read ${file}: ${String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TaskMasterFormatError(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
