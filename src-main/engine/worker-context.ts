import type { Task } from '../../src-shared/domain/task';
import type { Store } from '../store/store';
import type { WorkerTaskContext } from './worker-backend';

/** The self-contained copy of a task a worker backend receives, with discoveries that share its files. */
export function buildWorkerTaskContext(store: Store, task: Task): WorkerTaskContext {
  const relevant = store.discoveries.relevantTo(task.contextFiles, task.contextFiles);
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
    ...(task.reviewFeedback ? { reviewFeedback: task.reviewFeedback } : {}),
  };
}
