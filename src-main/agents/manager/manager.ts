import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { assertNever } from '../../../src-shared/domain/assert-never';
import { prdTextProblem } from '../../../src-shared/domain/prd-text';
import { NewTaskSchema } from '../../../src-shared/domain/task';
import type { Usage } from '../../../src-shared/domain/usage';
import { DEFAULT_MANAGER_MAX_TOKENS, DEFAULT_MANAGER_MODEL } from './constants';
import { FINAL_REVIEW_TOOL, finalReviewContent, readFinalReview, type FinalReviewAnswer, type FinalReviewInput } from './final-review';
import { ModelClient, type ModelClientOptions } from './model-client';
import { apiManagerModel, type ManagerModel } from './manager-model';
import { ManagerError } from './model-errors';
import { AnalyzeToolInputSchema, PlanToolInputSchema, ResolveConflictToolInputSchema, ReviewToolInputSchema, type PlannedTask } from './plan-schema';
import {
  ANALYZE_INSTRUCTION,
  RESOLVE_CONFLICT_INSTRUCTION,
  REVIEW_INSTRUCTION,
  SUMMARY_INSTRUCTION,
  cachedText,
  expandInstruction,
  managerSystem,
  parsePrdInstruction,
  tagged,
} from './prompts';
import { repairPlan, type CyclePolicy, type RepairNote } from './repair-graph';
import { repairUpdates, type ExistingTask, type TaskUpdate } from './repair-updates';
import type { ToolSpec } from './tool-call';
import type { z } from 'zod';

/** Settings of the manager: model, budget and how to treat cycles. */
export interface ManagerSettings {
  /** Manager model; defaults to DEFAULT_MANAGER_MODEL. */
  readonly model?: string;
  readonly maxTokens?: number;
  /** 'break' (default) drops the lowest-priority back edge of a cycle; 'refuse' rejects the plan. */
  readonly cyclePolicy?: CyclePolicy;
  /** Diffs longer than this are cut (characters; default 150 000). */
  readonly maxDiffChars?: number;
}

/** The manager's settings and how it reaches a model: API connection options, or a ManagerModel (e.g. Claude Code). */
export type ManagerOptions = ManagerSettings & (ModelClientOptions | { readonly transport: ManagerModel });

/** Per-call options. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** Options of the planning calls: lessons from earlier runs the plan should take into account. */
export interface PlanningOptions extends CallOptions {
  /** Recurring problems of earlier runs, each citing its source (bounded by the caller). */
  readonly lessons?: ReadonlyArray<string>;
}

/** Usage and cost of one manager operation (every model call it took). */
export interface Spent {
  readonly usage: Usage;
  readonly costUsd: number;
}

/** A validated, repaired plan; `notes` lists every repair for the UI/CLI. */
export interface Plan extends Spent {
  readonly tasks: ReadonlyArray<PlannedTask>;
  readonly notes: ReadonlyArray<RepairNote>;
  /** The model's own remarks (assumptions, open questions). */
  readonly modelNotes?: string;
}

/** Options of parsePrd. */
export interface ParsePrdOptions extends PlanningOptions {
  /** Facts about the project (stack, layout) placed before the PRD. */
  readonly projectContext?: string;
  readonly maxTasks?: number;
}

/** The task expandTask splits. */
export interface ExpandableTask {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly details?: string;
  readonly acceptanceCriteria?: ReadonlyArray<string>;
  readonly testStrategy?: string;
}

/** Options of expandTask. */
export interface ExpandTaskOptions extends PlanningOptions {
  readonly maxSubtasks?: number;
  readonly projectContext?: string;
}

/** New tasks and changes to existing ones proposed for a goal. */
export interface AnalysisPlan extends Spent {
  readonly additions: ReadonlyArray<PlannedTask>;
  readonly updates: ReadonlyArray<TaskUpdate>;
  readonly notes: ReadonlyArray<RepairNote>;
  readonly modelNotes?: string;
}

/** What the reviewer looks at. */
export interface ReviewInput {
  readonly task: { readonly id: string; readonly title: string; readonly description: string; readonly details?: string };
  readonly acceptanceCriteria: ReadonlyArray<string>;
  readonly diff: string;
  readonly workerOutput: string;
  /** What the pipeline tells the reviewer besides the diff (e.g. that the attempt changed no file). */
  readonly notes?: string;
}

/** A merge conflict the manager is asked to resolve. */
export interface ConflictInput {
  readonly task: { readonly id: string; readonly title: string; readonly description: string };
  readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>;
}

/** The manager's resolution: whole files, or why it could not combine the changes. */
export type ConflictAnswer = ({ readonly resolved: ReadonlyArray<{ readonly path: string; readonly content: string }> } | { readonly unresolved: string }) & Spent;

/** The reviewer's decision. */
export type ReviewVerdict =
  | { readonly verdict: 'approve' }
  | { readonly verdict: 'request_changes'; readonly feedback: string }
  | { readonly verdict: 'fail'; readonly reason: string };

/** A review with what it cost. */
export type ReviewResult = ReviewVerdict & Spent;

/** What summarizeRun reports on. */
export interface RunSummaryInput {
  readonly tasks: ReadonlyArray<{ readonly id: string; readonly title: string; readonly status: string }>;
  readonly outcomes: ReadonlyArray<{ readonly taskId: string; readonly status: string; readonly summary?: string; readonly error?: string }>;
}

const PARSE_PRD: ToolSpec<typeof PlanToolInputSchema> = {
  name: 'parse_prd',
  description: 'Submit the task graph for the product requirements document.',
  schema: PlanToolInputSchema,
};
const EXPAND_TASK: ToolSpec<typeof PlanToolInputSchema> = {
  name: 'expand_task',
  description: 'Submit the subtasks of the task.',
  schema: PlanToolInputSchema,
};
const ANALYZE: ToolSpec<typeof AnalyzeToolInputSchema> = {
  name: 'analyze_and_plan',
  description: 'Submit new tasks and changes to existing tasks.',
  schema: AnalyzeToolInputSchema,
};
const RESOLVE_CONFLICT: ToolSpec<typeof ResolveConflictToolInputSchema> = {
  name: 'resolve_conflict',
  description: 'Submit the merged content of every conflicted file, or say why the changes cannot be combined.',
  schema: ResolveConflictToolInputSchema,
};
const REVIEW: ToolSpec<typeof ReviewToolInputSchema> = {
  name: 'submit_review',
  description: 'Submit the review verdict of the attempt.',
  schema: ReviewToolInputSchema,
};

/**
 * The manager, over the Messages API or the user's Claude Code: plans (PRD → validated task graph), expands tasks,
 * plans over existing tasks, reviews attempts and summarises runs. System prompt and large
 * documents are prompt-cached; every call's usage goes to `onUsage`.
 */
export class Manager {
  private readonly client: ManagerModel;
  private readonly model: string;
  private readonly maxTokens: number;
  private readonly cyclePolicy: CyclePolicy;

  constructor(private readonly options: ManagerOptions) {
    this.client = 'transport' in options ? options.transport : apiManagerModel(new ModelClient(options));
    this.model = options.model ?? DEFAULT_MANAGER_MODEL;
    this.maxTokens = options.maxTokens ?? DEFAULT_MANAGER_MAX_TOKENS;
    this.cyclePolicy = options.cyclePolicy ?? 'break';
  }

  /** Turns a PRD (Markdown or text) into a validated, repaired task graph with ids 1..n. */
  async parsePrd(prdText: string, options: ParsePrdOptions = {}): Promise<Plan> {
    const problem = prdTextProblem(prdText);
    if (problem !== null) throw new ManagerError(problem, 'permanent');
    const content: ContentBlockParam[] = [];
    if (options.projectContext !== undefined) content.push({ type: 'text', text: tagged('project_context', options.projectContext) });
    content.push(cachedText(tagged('prd', prdText)), ...lessonBlocks(options.lessons), { type: 'text', text: parsePrdInstruction(options.maxTasks) });
    const result = await this.tool(PARSE_PRD, content, options.signal);
    return this.repair(result.value, result, (index) => String(index + 1), undefined, 'plan');
  }

  /** Splits a task into subtasks with ids `<task id>.1..n` that depend only on each other. */
  async expandTask(task: ExpandableTask, options: ExpandTaskOptions = {}): Promise<Plan> {
    const content: ContentBlockParam[] = [];
    if (options.projectContext !== undefined) content.push(cachedText(tagged('project_context', options.projectContext)));
    content.push({ type: 'text', text: tagged('task', describeTask(task)) }, ...lessonBlocks(options.lessons), { type: 'text', text: expandInstruction(task.id, options.maxSubtasks) });
    const result = await this.tool(EXPAND_TASK, content, options.signal);
    return this.repair(result.value, result, (index) => `${task.id}.${index + 1}`, undefined, 'subtask list');
  }

  /** Proposes new tasks (numbered after the highest numeric id) and updates for a goal over existing tasks. */
  async analyzeAndPlan(existingTasks: ReadonlyArray<ExistingTask>, goal: string, options: PlanningOptions = {}): Promise<AnalysisPlan> {
    const listing = existingTasks
      .map((task) => `${task.id}. [${task.status ?? 'pending'}, ${task.priority}] ${task.title}${task.dependencies.length > 0 ? ` (after ${task.dependencies.join(', ')})` : ''}${task.description ? `\n   ${task.description}` : ''}`)
      .join('\n');
    const content: ContentBlockParam[] = [
      cachedText(tagged('existing_tasks', listing === '' ? '(none)' : listing)),
      { type: 'text', text: tagged('goal', goal) },
      ...lessonBlocks(options.lessons),
      { type: 'text', text: ANALYZE_INSTRUCTION },
    ];
    const result = await this.tool(ANALYZE, content, options.signal);
    const offset = existingTasks.reduce((max, task) => (/^\d+$/.test(task.id) ? Math.max(max, Number(task.id)) : max), 0);
    const externalIds = new Set(existingTasks.map((task) => task.id));
    const additions =
      result.value.additions.length === 0
        ? { ok: true as const, tasks: [], notes: [], idMap: new Map<string, string>() }
        : repairPlan(result.value.additions, { idFor: (index) => String(offset + index + 1), externalIds, cyclePolicy: this.cyclePolicy });
    if (!additions.ok) throw refusal('plan', additions.message);
    const updates = repairUpdates(existingTasks, additions.tasks, additions.idMap, result.value.updates, this.cyclePolicy);
    if (!updates.ok) throw refusal('plan', updates.message);
    assertStorable(updates.additions, 'plan');
    return {
      additions: updates.additions,
      updates: updates.updates,
      notes: [...additions.notes, ...updates.notes],
      ...(result.value.notes === undefined ? {} : { modelNotes: result.value.notes }),
      usage: result.usage,
      costUsd: result.costUsd,
    };
  }

  /** Reviews an attempt's diff and output against the acceptance criteria. */
  async reviewAttempt(input: ReviewInput, options: CallOptions = {}): Promise<ReviewResult> {
    const maxDiff = this.options.maxDiffChars ?? 150_000;
    const diff = input.diff.length > maxDiff ? `${input.diff.slice(0, maxDiff)}\n… (diff cut at ${maxDiff} characters)` : input.diff;
    const criteria = input.acceptanceCriteria.map((criterion, index) => `${index + 1}. ${criterion}`).join('\n');
    const content: ContentBlockParam[] = [
      cachedText(`${tagged('task', describeTask(input.task))}\n${tagged('acceptance_criteria', criteria === '' ? '(none given)' : criteria)}`),
      { type: 'text', text: `${tagged('diff', diff === '' ? '(no changes)' : diff)}\n${tagged('worker_output', input.workerOutput)}${input.notes === undefined ? '' : `\n${tagged('pipeline_notes', input.notes)}`}` },
      { type: 'text', text: REVIEW_INSTRUCTION },
    ];
    const result = await this.tool(REVIEW, content, options.signal);
    const spent = { usage: result.usage, costUsd: result.costUsd };
    const value = result.value;
    switch (value.verdict) {
      case 'approve':
        return { verdict: 'approve', ...spent };
      case 'request_changes':
        return { verdict: 'request_changes', feedback: (value.feedback ?? '').trim(), ...spent };
      case 'fail':
        return { verdict: 'fail', reason: (value.reason ?? '').trim(), ...spent };
      default:
        return assertNever(value.verdict, 'review verdict');
    }
  }

  /**
   * Resolves a merge conflict: the task whose work is being merged, and each conflicted file with
   * diff3 markers (the integration tip's side, the common base, the task's side). The answer is
   * checked by the caller (no markers left, every file answered) and by the project's checks.
   */
  async resolveConflict(input: ConflictInput, options: CallOptions = {}): Promise<ConflictAnswer> {
    const files = input.files.map((file) => tagged('conflicted_file', `path: ${file.path}\n${file.content}`)).join('\n');
    const content: ContentBlockParam[] = [
      { type: 'text', text: `${tagged('task', describeTask(input.task))}\n${files}` },
      { type: 'text', text: RESOLVE_CONFLICT_INSTRUCTION },
    ];
    const result = await this.tool(RESOLVE_CONFLICT, content, options.signal);
    const spent = { usage: result.usage, costUsd: result.costUsd };
    if (result.value.unresolved !== undefined && result.value.unresolved.trim() !== '') return { unresolved: result.value.unresolved.trim(), ...spent };
    const answered = new Map(result.value.files.map((file) => [file.path, file.content]));
    const missing = input.files.filter((file) => !answered.has(file.path)).map((file) => file.path);
    if (missing.length > 0) return { unresolved: `the answer left out ${missing.join(', ')}`, ...spent };
    return { resolved: input.files.map((file) => ({ path: file.path, content: answered.get(file.path) ?? '' })), ...spent };
  }

  /**
   * The final review of a finished run (the finish stage): its integrated change — per task, the
   * criteria and a bounded summary of the change — against the goal, the PRD and every acceptance
   * criterion. A forced, zod-checked tool call; judgements of unknown tasks or criteria are dropped.
   */
  async finalReview(input: FinalReviewInput, options: CallOptions = {}): Promise<FinalReviewAnswer & Spent> {
    const result = await this.tool(FINAL_REVIEW_TOOL, finalReviewContent(input), options.signal);
    return { ...readFinalReview(result.value, input), usage: result.usage, costUsd: result.costUsd };
  }

  /** A short plain-text summary of a run for the user. */
  async summarizeRun(input: RunSummaryInput, options: CallOptions = {}): Promise<{ readonly text: string } & Spent> {
    const tasks = input.tasks.map((task) => `${task.id}. [${task.status}] ${task.title}`).join('\n');
    const outcomes = input.outcomes
      .map((outcome) => `task ${outcome.taskId}: ${outcome.status}${outcome.summary ? ` — ${outcome.summary}` : ''}${outcome.error ? ` (error: ${outcome.error})` : ''}`)
      .join('\n');
    return this.client.text({
      model: this.model,
      maxTokens: Math.min(this.maxTokens, 4_000),
      system: managerSystem(),
      content: [{ type: 'text', text: `${tagged('tasks', tasks)}\n${tagged('outcomes', outcomes)}` }, { type: 'text', text: SUMMARY_INSTRUCTION }],
      purpose: 'summarize_run',
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  private tool<Schema extends z.ZodType>(spec: ToolSpec<Schema>, content: ReadonlyArray<ContentBlockParam>, signal: AbortSignal | undefined) {
    return this.client.tool(spec, {
      model: this.model,
      maxTokens: this.maxTokens,
      system: managerSystem(),
      content,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  private repair(value: z.output<typeof PlanToolInputSchema>, spent: Spent, idFor: (index: number) => string, externalIds: ReadonlySet<string> | undefined, what: string): Plan {
    const repaired = repairPlan(value.tasks, { idFor, cyclePolicy: this.cyclePolicy, ...(externalIds === undefined ? {} : { externalIds }) });
    if (!repaired.ok) throw refusal(what, repaired.message);
    assertStorable(repaired.tasks, what);
    return {
      tasks: repaired.tasks,
      notes: repaired.notes,
      ...(value.notes === undefined ? {} : { modelNotes: value.notes }),
      usage: spent.usage,
      costUsd: spent.costUsd,
    };
  }
}

/** The lessons of earlier runs as a block of the user turn (after the cached documents, so the cache still hits). */
function lessonBlocks(lessons: ReadonlyArray<string> | undefined): ContentBlockParam[] {
  if (lessons === undefined || lessons.length === 0) return [];
  return [{ type: 'text', text: tagged('lessons_from_earlier_runs', `Recurring problems of earlier runs in this project; plan so they do not recur (e.g. name the check in the test strategy, add hints):\n${lessons.map((lesson) => `- ${lesson}`).join('\n')}`) }];
}

function refusal(what: string, why: string): ManagerError {
  return new ManagerError(`The manager's ${what} was refused and nothing was stored: ${why}.`, 'permanent');
}

function describeTask(task: ExpandableTask): string {
  const lines = [`id: ${task.id}`, `title: ${task.title}`, `description: ${task.description}`];
  if (task.details) lines.push(`details: ${task.details}`);
  if (task.acceptanceCriteria !== undefined && task.acceptanceCriteria.length > 0) lines.push(`acceptance criteria:\n- ${task.acceptanceCriteria.join('\n- ')}`);
  if (task.testStrategy) lines.push(`test strategy: ${task.testStrategy}`);
  return lines.join('\n');
}

/** Last guard before a plan leaves the manager: every task must be storable as it is. */
function assertStorable(tasks: ReadonlyArray<PlannedTask>, what: string): void {
  for (const task of tasks) {
    const checked = NewTaskSchema.safeParse({ ...task, acceptanceCriteria: [...task.acceptanceCriteria], dependencies: [...task.dependencies], contextFiles: [...task.contextFiles], hints: [...task.hints] });
    if (!checked.success) throw refusal(what, `task ${task.id} cannot be stored: ${checked.error.issues.map((issue) => issue.message).join('; ')}`);
  }
}
