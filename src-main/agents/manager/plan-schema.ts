import { z } from 'zod';
import type { Priority } from '../../../src-shared/domain/priority';

const idSchema = z.union([z.string().min(1).max(64), z.number().int()]).describe('Task id; plain numbers 1, 2, 3… in order');
/** Limits match NewTaskSchema, so a plan that passes here can always be stored. */
const item = z.string().max(4_000);

/** One task as the model writes it in a planning tool call (snake_case, as the model sees it). */
export const ModelTaskSchema = z.object({
  id: idSchema,
  title: z.string().trim().min(1).max(500).describe('Short imperative title'),
  description: z.string().max(100_000).describe('One or two sentences: what and why'),
  details: z.string().max(100_000).describe('How to implement it: files, functions, data, edge cases'),
  acceptance_criteria: z.array(item).min(1).max(1_000).describe('Observable conditions that must hold when the task is done'),
  test_strategy: z.string().max(20_000).describe('How to verify the task: which tests, which commands'),
  priority: z.enum(['high', 'medium', 'low']),
  dependencies: z.array(idSchema).max(1_000).describe('Ids of tasks that must be done first'),
  context_files: z.array(item).max(1_000).default([]).describe('Files the worker should read first'),
  hints: z.array(item).max(1_000).default([]).describe('Pitfalls and tips for the worker'),
  expects_no_changes: z.boolean().default(false).describe('True only for a task that must not change files (e.g. run and report a verification)'),
});

/** A model task after zod validation. */
export type ModelTask = z.output<typeof ModelTaskSchema>;

/** Input of the planning tools (parse_prd, expand_task). */
export const PlanToolInputSchema = z.object({
  tasks: z.array(ModelTaskSchema).min(1, 'the plan needs at least one task').max(1_000),
  notes: z.string().optional().describe('Assumptions or open questions about the document'),
});

/** A planning tool's input after validation. */
export type PlanToolInput = z.output<typeof PlanToolInputSchema>;

/** Changes to an existing task proposed by analyze_and_plan. */
export const ModelTaskUpdateSchema = z.object({
  id: idSchema.describe('Id of an existing task'),
  title: z.string().trim().min(1).max(500).optional(),
  description: z.string().optional(),
  details: z.string().optional(),
  acceptance_criteria: z.array(z.string()).optional(),
  test_strategy: z.string().optional(),
  priority: z.enum(['high', 'medium', 'low']).optional(),
  dependencies: z.array(idSchema).optional().describe('The complete new dependency list'),
  reason: z.string().describe('Why the change is needed'),
});

/** Input of the analyze_and_plan tool. */
export const AnalyzeToolInputSchema = z.object({
  additions: z.array(ModelTaskSchema).default([]).describe('New tasks; their ids may be referenced by each other and by updates'),
  updates: z.array(ModelTaskUpdateSchema).default([]),
  notes: z.string().optional(),
});

/** Input of the submit_review tool. */
export const ReviewToolInputSchema = z
  .object({
    verdict: z.enum(['approve', 'request_changes', 'fail']),
    feedback: z.string().optional().describe('Required for request_changes: what exactly to change'),
    reason: z.string().optional().describe('Required for fail: why the task cannot succeed this way'),
  })
  .superRefine((value, context) => {
    if (value.verdict === 'request_changes' && (value.feedback ?? '').trim() === '') {
      context.addIssue({ code: 'custom', path: ['feedback'], message: 'request_changes needs feedback' });
    }
    if (value.verdict === 'fail' && (value.reason ?? '').trim() === '') {
      context.addIssue({ code: 'custom', path: ['reason'], message: 'fail needs a reason' });
    }
  });

/** A validated, repaired task of a plan, ready for the store (matches NewTaskInput's fields). */
export interface PlannedTask {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly details: string;
  readonly acceptanceCriteria: ReadonlyArray<string>;
  readonly testStrategy: string;
  readonly priority: Priority;
  readonly dependencies: ReadonlyArray<string>;
  readonly contextFiles: ReadonlyArray<string>;
  readonly hints: ReadonlyArray<string>;
  readonly expectsNoChanges: boolean;
}

/** Converts a model task to a planned task with the given id and dependencies. */
export function toPlannedTask(task: ModelTask, id: string, dependencies: ReadonlyArray<string>): PlannedTask {
  return {
    id,
    title: task.title,
    description: task.description,
    details: task.details,
    acceptanceCriteria: task.acceptance_criteria,
    testStrategy: task.test_strategy,
    priority: task.priority,
    dependencies,
    contextFiles: task.context_files,
    hints: task.hints,
    expectsNoChanges: task.expects_no_changes,
  };
}

/** Input of the conflict-resolution tool: every conflicted file's whole merged content, or why not. */
export const ResolveConflictToolInputSchema = z.object({
  files: z
    .array(z.object({ path: z.string().min(1).max(4_096), content: z.string().max(400_000).describe('The whole file as it should be after the merge, without any conflict markers') }))
    .max(100)
    .default([]),
  unresolved: z.string().max(4_000).optional().describe('Set instead of files when the two changes cannot be combined safely: say why'),
});

/** Input of the final review tool: the verdict on the run's integrated change, each criterion judged, gaps against the goal. */
export const FinalReviewToolInputSchema = z.object({
  verdict: z.enum(['met', 'partially_met', 'not_met']).describe('met: the goal and every criterion are met; partially_met: some are not; not_met: the goal is not reached'),
  summary: z.string().trim().min(1, 'the final review needs a summary').max(4_000).describe('A few sentences for the user: what the run achieved against the goal, and what is missing'),
  criteria: z
    .array(
      z.object({
        task_id: idSchema,
        criterion: z.number().int().min(1).describe("1-based number of the criterion in the task's list"),
        met: z.boolean(),
        note: z.string().max(1_000).optional().describe('When not met: what is missing'),
      }),
    )
    .max(5_000)
    .default([])
    .describe('One entry per acceptance criterion of every task listed'),
  gaps: z.array(z.string().trim().min(1).max(2_000)).max(50).default([]).describe('What the goal or PRD asks for that no task or criterion covers'),
});
