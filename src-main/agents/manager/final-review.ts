import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import type { FinalReviewVerdict } from '../../../src-shared/domain/run-summary';
import { FinalReviewToolInputSchema } from './plan-schema';
import { cachedText, tagged } from './prompts';
import type { ToolSpec } from './tool-call';

/** One task of a run as the final review sees it: its criteria and a bounded summary of its change, never the whole diff. */
export interface FinalReviewTask {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly criteria: ReadonlyArray<string>;
  /** The task's change in brief (files with lines added and removed), or why there is none. */
  readonly changes: string;
  /** The start of the worker's final answer, or the task's failure reason. */
  readonly note: string;
}

/** What the final review of a run looks at. */
export interface FinalReviewInput {
  readonly goal: string;
  /** The PRD the run was planned from, when there was one (already bounded). */
  readonly prd?: string;
  readonly tasks: ReadonlyArray<FinalReviewTask>;
  /** The run's whole change in one line (files changed, insertions, deletions). */
  readonly overallChange: string;
}

/** The manager's answer: the verdict, its summary, each criterion judged, and gaps. */
export interface FinalReviewAnswer {
  readonly verdict: FinalReviewVerdict;
  readonly summary: string;
  readonly criteria: ReadonlyArray<{ readonly taskId: string; readonly index: number; readonly criterion: string; readonly met: boolean; readonly note: string | null }>;
  readonly gaps: ReadonlyArray<string>;
}

/** The final review's tool. */
export const FINAL_REVIEW_TOOL: ToolSpec<typeof FinalReviewToolInputSchema> = {
  name: 'submit_final_review',
  description: "Submit the final review of the run's integrated change against the goal and every acceptance criterion.",
  schema: FinalReviewToolInputSchema,
};

/** Instruction of the final review. */
export const FINAL_REVIEW_INSTRUCTION = [
  "The run above has finished and its approved work is integrated. Review the run's change against the goal (and the PRD,",
  'when given) and against every acceptance criterion of every task listed: judge each criterion met or not met from the',
  'task status, its change summary and its note, with a short note for each one not met. List gaps: what the goal or PRD',
  'asks for that no task covers. Then call submit_final_review.',
].join(' ');

/** The user turn of the final review: goal and PRD first (cached), then the tasks, then the instruction. */
export function finalReviewContent(input: FinalReviewInput): ContentBlockParam[] {
  const tasks = input.tasks.map((task) => tagged('task', describe(task))).join('\n');
  return [
    cachedText(`${tagged('goal', input.goal)}${input.prd === undefined ? '' : `\n${tagged('prd', input.prd)}`}`),
    { type: 'text', text: `${tagged('run_tasks', tasks === '' ? '(none)' : tasks)}\n${tagged('overall_change', input.overallChange)}` },
    { type: 'text', text: FINAL_REVIEW_INSTRUCTION },
  ];
}

/** The answer with judgements of unknown tasks or criteria dropped, and each kept one named by its text. */
export function readFinalReview(value: z.output<typeof FinalReviewToolInputSchema>, input: FinalReviewInput): FinalReviewAnswer {
  const byId = new Map(input.tasks.map((task) => [task.id, task]));
  const seen = new Set<string>();
  const criteria: FinalReviewAnswer['criteria'][number][] = [];
  for (const judged of value.criteria) {
    const taskId = String(judged.task_id);
    const criterion = byId.get(taskId)?.criteria[judged.criterion - 1];
    const key = `${taskId}#${judged.criterion}`;
    if (criterion === undefined || seen.has(key)) continue;
    seen.add(key);
    const note = judged.note?.trim() ?? '';
    criteria.push({ taskId, index: judged.criterion, criterion, met: judged.met, note: note === '' ? null : note });
  }
  return { verdict: value.verdict, summary: value.summary, criteria, gaps: value.gaps };
}

function describe(task: FinalReviewTask): string {
  const criteria = task.criteria.map((criterion, index) => `  ${index + 1}. ${criterion}`).join('\n');
  return [`id: ${task.id}`, `title: ${task.title}`, `status: ${task.status}`, `acceptance criteria:\n${criteria === '' ? '  (none given)' : criteria}`, `change: ${task.changes}`, task.note === '' ? '' : `note: ${task.note}`]
    .filter((line) => line !== '')
    .join('\n');
}
