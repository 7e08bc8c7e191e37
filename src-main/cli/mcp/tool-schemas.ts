import { z } from 'zod';
import { DiscoveryInputSchema } from '../../../src-shared/domain/discovery';
import { MAX_PATH_CHARS } from '../../../src-shared/domain/limits';
import { NewTaskSchema, TaskPatchSchema } from '../../../src-shared/domain/task';
import { AnyPrioritySchema, TaskIdSchema, TaskStatusSchema } from '../../../src-shared/domain/field-schemas';
import { TASK_STATUSES, parseAnyStatus } from '../../../src-shared/domain/task-status';

/**
 * Input schemas of the MCP tools: Task Master's parameter names (id, status, prompt, dependencies,
 * dependsOn, withSubtasks, num, numTasks, input, projectRoot) over the same zod schemas the RPC
 * contract and the task service validate with (task ids, statuses, priorities, task fields,
 * discoveries). Strict: an unknown parameter is an error that names it, not silently ignored.
 */

/** A list given as Task Master gives it ("1,2,3") or as a JSON array, each item checked by `item`. */
function commaList<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (typeof value === 'string' ? value.split(',') : value).map((entry) => entry.trim()).filter((entry) => entry !== ''))
    .pipe(z.array(item).min(1, 'give at least one').max(1_000, 'too many: at most 1,000'));
}

/** Status names accepted: ours and Task Master's ("in-progress", "completed"), mapped onto ours and checked by the contract's status schema. */
const STATUS_NAMES = [...TASK_STATUSES, 'in-progress', 'completed'] as const;
const status = z
  .enum(STATUS_NAMES, { error: (issue) => `invalid status ${JSON.stringify(issue.input)}: expected one of ${STATUS_NAMES.join(', ')}` })
  .transform((name) => parseAnyStatus(name) ?? name)
  .pipe(TaskStatusSchema);

/** A count Task Master passes as a string ("5") or a number. */
const count = (max: number) =>
  z
    .union([z.number(), z.string().regex(/^\s*\d+\s*$/, 'expected a whole number').transform(Number)])
    .pipe(z.number().int().min(1).max(max, `at most ${max}`));

/** Task Master's clients pass the project folder on every call; when given, it must be the folder this server serves. */
const projectRoot = z.string().min(1).max(MAX_PATH_CHARS).optional().describe('The project folder (absolute path). Optional: this server serves one project; a different folder is refused.');

const taskIds = commaList(TaskIdSchema);
const withoutDefault = NewTaskSchema.shape;

export const getTasksInput = z.strictObject({
  status: commaList(status)
    .optional()
    .describe("Only tasks with these statuses, comma-separated: pending is waiting on dependencies, ready can start now (e.g. 'pending,ready' for everything not started, or 'done')."),
  withSubtasks: z.boolean().default(false).describe('Include subtasks (listed after their parent, with parentId set).'),
  projectRoot,
});

export const getTaskInput = z.strictObject({
  id: taskIds.describe("Task id, or several comma-separated (e.g. '3' or '3,4.1')."),
  status: commaList(status).optional().describe('Only subtasks with these statuses.'),
  projectRoot,
});

export const projectOnlyInput = z.strictObject({ projectRoot });

export const addTaskInput = z
  .strictObject({
    prompt: withoutDefault.description.unwrap().optional().describe('What the task should do; its first line becomes the title unless title is given.'),
    title: withoutDefault.title.optional().describe('A short title.'),
    description: withoutDefault.description.unwrap().optional().describe('The task description (instead of prompt).'),
    details: withoutDefault.details.unwrap().optional().describe('Implementation details.'),
    testStrategy: withoutDefault.testStrategy.unwrap().optional().describe('How to verify the task.'),
    acceptanceCriteria: withoutDefault.acceptanceCriteria.unwrap().optional().describe('Acceptance criteria, one per item.'),
    priority: AnyPrioritySchema.optional().describe('high, medium, low, or 1-10 (10 most urgent).'),
    dependencies: taskIds.optional().describe("Ids of tasks that must be done first, comma-separated (e.g. '1,2')."),
    projectRoot,
  })
  .refine((value) => (value.prompt ?? value.description ?? value.title ?? '').trim() !== '', {
    message: 'the task is empty; give a prompt saying what the task should do (or a title and description).',
    path: ['prompt'],
  });

/** update_task parameters that change nothing by themselves. */
const NOT_CHANGES: ReadonlySet<string> = new Set(['id', 'append', 'projectRoot']);

export const updateTaskInput = z
  .strictObject({
    id: TaskIdSchema.describe("The task to change (e.g. '15' or '15.2')."),
    prompt: z.string().trim().min(1).max(20_000).optional().describe("New information or context: appended to the task's details with the time (no model call)."),
    append: z.boolean().optional().describe('Accepted for Task Master prompts; a prompt is always appended.'),
    title: TaskPatchSchema.shape.title,
    description: TaskPatchSchema.shape.description,
    details: TaskPatchSchema.shape.details.describe('Replaces the details (prompt appends to them instead).'),
    testStrategy: TaskPatchSchema.shape.testStrategy,
    acceptanceCriteria: TaskPatchSchema.shape.acceptanceCriteria,
    priority: TaskPatchSchema.shape.priority.describe('high, medium, low, or 1-10.'),
    dependencies: taskIds.optional().describe('Replaces the dependencies (add_dependency / remove_dependency change one).'),
    contextFiles: TaskPatchSchema.shape.contextFiles,
    hints: TaskPatchSchema.shape.hints,
    projectRoot,
  })
  .refine((value) => Object.entries(value).some(([key, field]) => field !== undefined && !NOT_CHANGES.has(key)), {
    message: 'nothing to update: give a prompt, or a field to change (title, description, details, priority, dependencies, …).',
    path: ['prompt'],
  });

export const setTaskStatusInput = z.strictObject({
  id: taskIds.describe("Task id, or several comma-separated (e.g. '15' or '15,15.2'); all change or none."),
  status: status.describe('New status: pending (run again), done, failed, cancelled or deferred (Task Master names such as in-progress are read too).'),
  projectRoot,
});

export const expandTaskInput = z.strictObject({
  id: TaskIdSchema.describe('The task to split into subtasks.'),
  num: count(50).optional().describe('At most this many subtasks.'),
  prompt: z.string().trim().min(1).max(20_000).optional().describe('Extra context for the split.'),
  projectRoot,
});

export const parsePrdInput = z.strictObject({
  input: z.string().min(1, 'name the PRD file').max(MAX_PATH_CHARS).describe('The PRD file (Markdown or text), absolute or relative to the project folder.'),
  numTasks: count(200).optional().describe('At most this many top-level tasks.'),
  projectRoot,
});

export const dependencyInput = z.strictObject({
  id: taskIds.describe("The task(s) that depend on others, comma-separated (e.g. '7' or '7,8')."),
  dependsOn: taskIds.describe("The task(s) they depend on, comma-separated (e.g. '1' or '1,3')."),
  projectRoot,
});

export const getDiscoveriesInput = z.strictObject({
  taskId: TaskIdSchema.optional().describe("Only this task's discoveries; all of the project's otherwise (newest first)."),
  projectRoot,
});

export const addDiscoveryInput = DiscoveryInputSchema.extend({
  taskId: TaskIdSchema.optional().describe('The task the finding came from, if any.'),
  projectRoot,
});
