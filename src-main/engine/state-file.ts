import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { NewTaskSchema, taskRecordOf, type Task, type TaskResult } from '../../src-shared/domain/task';
import { type TaskStatus } from '../../src-shared/domain/task-status';
import { formatIssues } from '../../src-shared/config/resolve-config';
import { validateGraph } from '../../src-shared/graph/validate';
import type { Store } from '../store/store';
import { InvalidInputError, InvalidStateError, OrchestrationError } from './errors';
import { refreshCriticalRanks } from './ranking';
import { TaskStatusSchema } from '../../src-shared/domain/field-schemas';

/** Marker and version of the saveState/loadState JSON. */
export const STATE_FILE_FORMAT = 'claude-orchestrator-state';
export const STATE_FILE_VERSION = 1;

/** A state file that cannot be read: wrong format, wrong version or invalid content. Nothing was changed. */
export class StateFileError extends OrchestrationError {}

const ResultSchema = z.object({
  output: z.string(),
  filesModified: z.array(z.string()),
  filesCreated: z.array(z.string()),
  error: z.string().nullable(),
  discoveryIds: z.array(z.number()),
  subtasksCreated: z.array(z.string()),
});

const StateTaskSchema = NewTaskSchema.omit({ deferred: true }).extend({
  id: NewTaskSchema.shape.id.unwrap(),
  status: TaskStatusSchema,
  statusReason: z.string().nullable().default(null),
  result: ResultSchema.nullable().default(null),
  reviewFeedback: z.string().nullable().default(null),
  attempts: z.number().int().min(0).default(0),
  failures: z.number().int().min(0).default(0),
  completedAt: z.number().nullable().default(null),
});

const StateFileSchema = z.object({
  format: z.literal(STATE_FILE_FORMAT),
  version: z.literal(STATE_FILE_VERSION),
  savedAt: z.string(),
  goal: z.string().nullable(),
  masterPlan: z.string().nullable(),
  tasks: z.array(StateTaskSchema),
});

/** The saved JSON document. */
export type StateFile = z.output<typeof StateFileSchema>;

/** Writes the goal, plan and every task to `file` (atomically: temp file, then rename). */
export async function saveStateFile(store: Store, file: string): Promise<void> {
  const tasks = store.tasks.list();
  const document: StateFile = {
    format: STATE_FILE_FORMAT,
    version: STATE_FILE_VERSION,
    savedAt: new Date().toISOString(),
    goal: store.meta.get('goal') || null,
    masterPlan: store.meta.get('masterPlan') || null,
    tasks: tasks.map(stateTaskOf),
  };
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(document, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
}

/**
 * Replaces the project's tasks with those of `file`, in one transaction, after checking the
 * format, version, content and graph; on any problem nothing changes. Tasks a worker held when
 * saved come back ready to run again.
 */
export async function loadStateFile(store: Store, file: string): Promise<StateFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new StateFileError(`cannot read state file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const header = z.object({ format: z.unknown(), version: z.unknown() }).safeParse(raw);
  if (!header.success || header.data.format !== STATE_FILE_FORMAT) {
    throw new StateFileError(`${file} is not a Claude Orchestrator state file (missing "format": "${STATE_FILE_FORMAT}")`);
  }
  if (header.data.version !== STATE_FILE_VERSION) {
    throw new StateFileError(`${file} has state file version ${JSON.stringify(header.data.version)}; this version of Claude Orchestrator reads version ${STATE_FILE_VERSION}`);
  }
  const parsed = StateFileSchema.safeParse(raw);
  if (!parsed.success) throw new StateFileError(`${file}: ${formatIssues(parsed.error).join('; ')}`);
  const state = parsed.data;
  const problems = validateGraph(state.tasks.map((task) => ({ id: task.id, dependencies: task.dependencies })));
  if (problems.length > 0) throw new InvalidInputError(problems.map((problem) => `${file}: ${problem.message}`));
  store.write(() => {
    const leased = store.tasks.list({ statuses: ['claimed', 'in_progress', 'review'] });
    if (leased.length > 0) throw new InvalidStateError(`cannot load a state file while tasks are running (${leased.map((task) => task.id).join(', ')})`);
    const now = Date.now();
    store.tasks.deleteAll();
    store.db.pragma('defer_foreign_keys = ON');
    for (const task of state.tasks) {
      store.tasks.insert({ ...task, parentId: task.parentId ?? null, status: 'pending' }, now);
      store.dependencies.add(task.id, task.dependencies);
    }
    for (const task of state.tasks) {
      const status: TaskStatus = task.status === 'claimed' || task.status === 'in_progress' || task.status === 'review' || task.status === 'ready' ? 'pending' : task.status;
      store.tasks.restore(task.id, { ...task, status, result: task.result as TaskResult | null }, now);
    }
    store.tasks.promoteAllReady(now);
    refreshCriticalRanks(store);
    store.meta.set('goal', state.goal ?? '');
    store.meta.set('masterPlan', state.masterPlan ?? '');
  });
  return state;
}

function stateTaskOf(task: Task): StateFile['tasks'][number] {
  return taskRecordOf(task);
}
