import { z } from 'zod';

/** Statuses Task Master uses. */
export const TASK_MASTER_STATUSES = ['pending', 'in-progress', 'done', 'review', 'deferred', 'cancelled', 'blocked'] as const;

/** One of TASK_MASTER_STATUSES. */
export type TaskMasterStatusName = (typeof TASK_MASTER_STATUSES)[number];

const StatusSchema = z.enum(TASK_MASTER_STATUSES, {
  error: (issue) => `unknown Task Master status ${JSON.stringify(issue.input)}: expected one of ${TASK_MASTER_STATUSES.join(', ')}`,
});

const PrioritySchema = z.enum(['high', 'medium', 'low', 'critical'], {
  error: (issue) => `unknown priority ${JSON.stringify(issue.input)}: expected high, medium or low`,
});

const DependencySchema = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)], {
  error: (issue) => `invalid dependency ${JSON.stringify(issue.input)}: expected a task id such as 3 or "3.1"`,
});

const fields = {
  title: z.string().trim().min(1, 'a task needs a title'),
  description: z.string().optional(),
  details: z.string().optional(),
  testStrategy: z.string().optional(),
  status: StatusSchema.optional(),
  priority: PrioritySchema.optional(),
  dependencies: z.array(DependencySchema).optional(),
};

/** A subtask as Task Master stores it (id is its number within the parent). */
export const TaskMasterSubtaskSchema = z.looseObject({
  id: z.union([z.number().int().positive(), z.string().regex(/^(\d+\.)?\d+$/, 'invalid subtask id: expected a number such as 2')]),
  ...fields,
});

/** A top-level task as Task Master stores it. */
export const TaskMasterTaskSchema = z.looseObject({
  id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'invalid task id: expected a number such as 3')]),
  ...fields,
  subtasks: z.array(TaskMasterSubtaskSchema).optional(),
});

/** One tag of a tagged tasks.json (or the whole legacy file). */
export const TaskMasterTagSchema = z.looseObject({
  tasks: z.array(TaskMasterTaskSchema),
  metadata: z.unknown().optional(),
});

/** A Task Master task after validation. */
export type TaskMasterTask = z.output<typeof TaskMasterTaskSchema>;

/** A Task Master subtask after validation. */
export type TaskMasterSubtask = z.output<typeof TaskMasterSubtaskSchema>;
