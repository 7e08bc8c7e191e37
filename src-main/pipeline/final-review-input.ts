import type { Attempt } from '../../src-shared/domain/attempt';
import type { Integration } from '../../src-shared/domain/integration';
import type { Run } from '../../src-shared/domain/run';
import type { Task } from '../../src-shared/domain/task';
import type { FinalReviewInput, FinalReviewTask } from '../agents/manager';
import type { Store } from '../store/store';
import { gitText } from '../workspace/git';

/** Characters the task blocks of a final review may take in all (~24k tokens), however many tasks and however large their diffs. */
export const FINAL_REVIEW_TASKS_BUDGET_CHARS = 96_000;
/** Bounds of one task's block within that budget. */
export const FINAL_REVIEW_TASK_MIN_CHARS = 300;
export const FINAL_REVIEW_TASK_MAX_CHARS = 2_400;
/** The PRD is cut here (~6k tokens); it is the cached part of the request. */
export const FINAL_REVIEW_PRD_CHARS = 24_000;
const GOAL_CHARS = 4_000;
const NOTE_CHARS = 200;

/** Where a task's change is: the attempt of the run whose work was merged. */
export interface TaskChangeSource {
  readonly base: string;
  readonly work: string;
}

/** Reads a change as per-file line counts (git diff --numstat); tests and benchmarks can pass their own. */
export type ChangeCounter = (base: string, work: string) => Promise<ReadonlyArray<FileChange>>;

/** One file of a change. */
export interface FileChange {
  readonly path: string;
  readonly added: number;
  readonly removed: number;
}

/**
 * What the final review of a run looks at, bounded whatever the run's size: the goal, the PRD (cut),
 * and per task its criteria and a summary of its change — files with lines added and removed, as many
 * as the task's share of the budget allows — plus the start of the worker's answer or the failure
 * reason. The diff itself is never pasted; the review judges the criteria against these summaries.
 */
export async function gatherFinalReviewInput(projectDir: string, store: Store, run: Run, integration: Integration, counter: ChangeCounter = numstat(projectDir)): Promise<FinalReviewInput> {
  const attempts = store.attempts.listForRun(run.id);
  const attempted = [...new Set(attempts.map((attempt) => attempt.taskId))];
  const ids = [...new Set([...attempted, ...(run.taskIds ?? [])])];
  const tasks = store.tasks.list({ ids });
  const perTask = Math.max(FINAL_REVIEW_TASK_MIN_CHARS, Math.min(FINAL_REVIEW_TASK_MAX_CHARS, Math.floor(FINAL_REVIEW_TASKS_BUDGET_CHARS / Math.max(1, tasks.length))));
  const blocks: FinalReviewTask[] = [];
  for (const task of tasks) blocks.push(await taskBlock(task, mergedAttempt(attempts, task.id), perTask, counter));
  const goal = run.goal ?? (store.meta.get('goal') || null);
  const prd = store.meta.get('masterPlan');
  const overall = await gitText(projectDir, ['diff', '--shortstat', integration.baseCommit, integration.tip]).catch(() => '');
  return {
    goal: goal === null ? "(no goal was recorded: judge the run against its tasks' criteria)" : cut(goal, GOAL_CHARS),
    ...(prd ? { prd: cut(prd, FINAL_REVIEW_PRD_CHARS) } : {}),
    tasks: blocks,
    overallChange: overall === '' ? 'no change' : overall,
  };
}

/** The attempt of the run that produced the task's merged work: the newest one that succeeded with a commit and no verdict against it. */
export function mergedAttempt(attempts: ReadonlyArray<Attempt>, taskId: string): TaskChangeSource | null {
  for (const attempt of [...attempts].reverse()) {
    if (attempt.taskId !== taskId || attempt.status !== 'succeeded' || attempt.errorMessage !== null) continue;
    if (attempt.workCommit === null || attempt.commitBefore === null) return null;
    return { base: attempt.commitBefore, work: attempt.workCommit };
  }
  return null;
}

async function taskBlock(task: Task, source: TaskChangeSource | null, budget: number, counter: ChangeCounter): Promise<FinalReviewTask> {
  const note = task.status === 'done' ? (task.result?.output ?? '') : (task.statusReason ?? '');
  const fixed = task.id.length + task.title.length + task.status.length + 80;
  // Every criterion stays (the review judges each by number); each is cut to share half the block.
  const criterionChars = Math.max(60, Math.floor(budget / 2 / Math.max(1, task.acceptanceCriteria.length)));
  const criteria = task.acceptanceCriteria.map((criterion) => cut(oneLine(criterion), Math.min(300, criterionChars)));
  const used = fixed + criteria.reduce((sum, criterion) => sum + criterion.length + 6, 0);
  const noteText = cut(oneLine(note), Math.min(NOTE_CHARS, Math.max(40, Math.floor((budget - used) / 4))));
  const changes = source === null ? (task.status === 'done' ? 'no file changes' : 'not merged') : describeChange(await counter(source.base, source.work).catch(() => []), Math.max(60, budget - used - noteText.length));
  return { id: task.id, title: cut(task.title, 200), status: task.status, criteria, changes, note: noteText };
}

/** Files with their line counts, as many as fit in `budget` characters, then the rest in one line. */
export function describeChange(files: ReadonlyArray<FileChange>, budget: number): string {
  if (files.length === 0) return 'no file changes';
  const added = files.reduce((sum, file) => sum + file.added, 0);
  const removed = files.reduce((sum, file) => sum + file.removed, 0);
  const header = `${files.length} ${files.length === 1 ? 'file' : 'files'}, +${added} −${removed}: `;
  const shown: string[] = [];
  let length = header.length;
  const sorted = [...files].sort((a, b) => b.added + b.removed - (a.added + a.removed) || a.path.localeCompare(b.path));
  for (const file of sorted) {
    const entry = `${cut(file.path, 160)} (+${file.added} −${file.removed})`;
    if (length + entry.length + 2 > budget - 30 && shown.length > 0) break;
    shown.push(entry);
    length += entry.length + 2;
  }
  const rest = files.length - shown.length;
  return `${header}${shown.join(', ')}${rest > 0 ? `, … and ${rest} more` : ''}`;
}

/** `git diff --numstat` between two commits. */
export function numstat(projectDir: string): ChangeCounter {
  return async (base, work) => {
    const text = await gitText(projectDir, ['diff', '--numstat', '--no-renames', base, work]);
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [added = '0', removed = '0', ...path] = line.split('\t');
        return { path: path.join('\t'), added: Number(added) || 0, removed: Number(removed) || 0 };
      });
  };
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
