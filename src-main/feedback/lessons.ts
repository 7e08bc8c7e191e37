import type { FeedbackEntry, Lesson, WorkerLesson } from '../../src-shared/domain/feedback';
import type { Task } from '../../src-shared/domain/task';
import type { DerivedLesson } from '../store/lesson-repository';
import type { Store } from '../store/store';
import { clip } from './feedback-signals';

/** A cause becomes a lesson once it has been seen this often. */
export const LESSON_MIN_OCCURRENCES = 2;

/** Longest lesson text a prompt carries. */
export const MAX_LESSON_CHARS = 400;

/** Most lessons the manager is told when it plans. */
export const MAX_PLANNING_LESSONS = 10;

/**
 * Derives lessons from recurring failure signals (seed 003's FeedbackAnalyzer, deterministic: no
 * model call): a check that failed on earlier work (by command), a file that conflicted in merges,
 * an error of the same shape (timeouts, empty work, …). One lesson per cause, refreshed as signals
 * accumulate; each cites how many signals, which tasks and which runs it came from. Call inside a write.
 */
export function deriveLessons(store: Store, now: number): void {
  for (const lesson of lessonsFrom(store.feedback.listByKinds(['check', 'conflict', 'error']))) store.lessons.upsertDerived(lesson, now);
}

/** The lessons a set of failure signals teaches (pure). */
export function lessonsFrom(entries: ReadonlyArray<FeedbackEntry>): ReadonlyArray<DerivedLesson> {
  const groups = new Map<string, { readonly kind: FeedbackEntry['kind']; readonly subject: string; readonly entries: FeedbackEntry[] }>();
  const add = (key: string, kind: FeedbackEntry['kind'], subject: string, entry: FeedbackEntry): void => {
    const group = groups.get(key) ?? { kind, subject, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  };
  for (const entry of entries) {
    if (entry.kind === 'check') add(`check:${entry.cause}`, 'check', entry.cause, entry);
    else if (entry.kind === 'conflict') for (const file of entry.files) add(`conflict:${file}`, 'conflict', file, entry);
    else if (entry.kind === 'error' && entry.cause !== 'interrupted') add(`error:${entry.cause}`, 'error', entry.cause, entry);
  }
  const lessons: DerivedLesson[] = [];
  for (const [key, group] of groups) {
    const count = new Set(group.entries.map((entry) => entry.attemptId ?? `row-${entry.id}`)).size;
    if (count < LESSON_MIN_OCCURRENCES) continue;
    lessons.push({ key, text: clip(lessonText(group.kind, group.subject, count, group.entries), MAX_LESSON_CHARS), source: citation(group.kind, count, group.entries), files: group.kind === 'conflict' ? [group.subject] : [], occurrences: count });
  }
  return lessons;
}

/**
 * The lessons a worker's prompt carries for a task, at most `limit`: lessons about files the task
 * names first, then project-wide ones (checks, errors), then the rest, most frequent first.
 */
export function lessonsForTask(store: Store, task: Pick<Task, 'contextFiles'>, limit: number): ReadonlyArray<WorkerLesson> {
  if (limit <= 0) return [];
  const ranked = store.lessons
    .list()
    .map((lesson) => ({ lesson, rank: lesson.files.length === 0 ? 1 : lesson.files.some((file) => touches(task.contextFiles, file)) ? 2 : 0 }))
    .sort((a, b) => b.rank - a.rank || b.lesson.occurrences - a.lesson.occurrences || b.lesson.updatedAt - a.lesson.updatedAt);
  return ranked.slice(0, limit).map(({ lesson }) => asWorkerLesson(lesson));
}

/** The lessons the manager is told when it plans (parsing a PRD, expanding a task, proposing follow-ups). */
export function lessonsForPlanning(store: Store, limit = MAX_PLANNING_LESSONS): ReadonlyArray<string> {
  if (limit <= 0) return [];
  return store.lessons
    .list()
    .slice(0, limit)
    .map((lesson) => `${clip(lesson.text, MAX_LESSON_CHARS)} (from ${lesson.source})`);
}

function asWorkerLesson(lesson: Lesson): WorkerLesson {
  return { text: clip(lesson.text, MAX_LESSON_CHARS), source: lesson.source };
}

function lessonText(kind: FeedbackEntry['kind'], subject: string, count: number, entries: ReadonlyArray<FeedbackEntry>): string {
  const common = mostCommon(entries.map((entry) => entry.detail).filter((detail) => detail !== ''));
  switch (kind) {
    case 'check':
      return `The check \`${subject}\` failed ${count} times on earlier work${common === null ? '' : ` (most often: ${common})`}. Run \`${subject}\` yourself and make it pass before you finish.`;
    case 'conflict':
      return `${subject} conflicted in ${count} merges: other tasks change it in parallel. Keep your edits there small and local; do not reformat, reorder or rewrite the rest of the file.`;
    default:
      return `${count} earlier attempts ended with: ${common ?? subject}. ${adviceFor(subject)}`;
  }
}

function adviceFor(cause: string): string {
  if (/timed out|max(imum)? (number of )?turns/i.test(cause)) return 'Keep the work focused and avoid long-running or interactive commands.';
  if (/changed no file/i.test(cause)) return 'Make the file changes the task asks for before you finish.';
  return 'Check for this before you finish.';
}

function citation(kind: FeedbackEntry['kind'], count: number, entries: ReadonlyArray<FeedbackEntry>): string {
  const noun = kind === 'check' ? 'failed checks' : kind === 'conflict' ? 'merge conflicts' : 'failed attempts';
  const tasks = [...new Set(entries.flatMap((entry) => (entry.taskId === null ? [] : [entry.taskId])))];
  const runs = [...new Set(entries.flatMap((entry) => (entry.runId === null ? [] : [entry.runId.slice(0, 8)])))];
  const parts = [`${count} ${noun}`];
  if (tasks.length > 0) parts.push(`${tasks.length === 1 ? 'task' : 'tasks'} ${tasks.slice(0, 8).join(', ')}${tasks.length > 8 ? ', …' : ''}`);
  if (runs.length > 0) parts.push(`${runs.length === 1 ? 'run' : 'runs'} ${runs.slice(0, 4).join(', ')}${runs.length > 4 ? ', …' : ''}`);
  return parts.join(' · ');
}

function mostCommon(values: ReadonlyArray<string>): string | null {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best === null ? null : clip(best, 200);
}

/** Whether a task that names these files may touch `file` (same path, or a folder containing it). */
function touches(contextFiles: ReadonlyArray<string>, file: string): boolean {
  const normal = (path: string) => path.replace(/^\.\//, '').replace(/\/+$/, '');
  const target = normal(file);
  return contextFiles.some((candidate) => {
    const named = normal(candidate);
    return named === target || target.startsWith(`${named}/`) || named.startsWith(`${target}/`);
  });
}
