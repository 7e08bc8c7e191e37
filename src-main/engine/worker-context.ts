import type { Task } from '../../src-shared/domain/task';
import { lessonsForTask } from '../feedback/lessons';
import type { Store } from '../store/store';
import type { WorkerTaskContext } from './worker-backend';

/** Lessons a worker's prompt carries unless configured otherwise (feedback.max_lessons_in_prompt). */
export const DEFAULT_LESSONS_IN_PROMPT = 5;

/** The self-contained copy of a task a worker backend receives, with discoveries that share its files and lessons from earlier runs. */
export function buildWorkerTaskContext(store: Store, task: Task, lessonLimit = DEFAULT_LESSONS_IN_PROMPT): WorkerTaskContext {
  const relevant = store.discoveries.relevantTo(task.contextFiles, task.contextFiles);
  const lessons = lessonsForTask(store, task, lessonLimit);
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    details: task.details,
    acceptanceCriteria: task.acceptanceCriteria,
    testStrategy: task.testStrategy,
    contextFiles: task.contextFiles,
    hints: task.hints,
    relevantDiscoveries: relevant.map((discovery) => ({
      summary: discovery.summary,
      ...(discovery.details ? { details: discovery.details } : {}),
      tags: discovery.tags,
      files: discovery.files,
    })),
    ...(lessons.length > 0 ? { lessons } : {}),
    ...(task.reviewFeedback ? { reviewFeedback: task.reviewFeedback } : {}),
  };
}
