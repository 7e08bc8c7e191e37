import type { FollowUpTask, RunSummary } from '../../src-shared/domain/run-summary';
import type { NewTaskInput } from '../../src-shared/domain/task';
import { InvalidInputError, InvalidStateError } from '../engine/errors';
import { summaryText } from '../feedback/run-summary';
import type { Store } from '../store/store';

/** Adds tasks all or nothing (the orchestrator's addTasksBatch); returns their ids. */
export type AddTasks = (tasks: ReadonlyArray<NewTaskInput>) => ReadonlyArray<string>;

/**
 * The user's decision on the follow-up tasks a run's final review proposed: accepted, they are added
 * (renumbered after the project's highest id, dependencies among them following; a dependency on a
 * task deleted since is dropped), all or nothing; discarded, nothing is added. Either way the
 * decision is stored in the run's summary, which is returned.
 */
export function decideFollowUps(store: Store, addTasks: AddTasks, runId: string, decision: 'accept' | 'discard', now = Date.now()): RunSummary {
  const summary = store.runSummaries.get(runId);
  if (summary === undefined) throw new InvalidInputError([`run ${runId} has no stored summary; \`co summary\` lists the runs that do.`]);
  const proposal = summary.finalReview?.followUps ?? null;
  if (proposal === null || proposal.tasks.length === 0) throw new InvalidStateError(`run ${runId.slice(0, 8)}'s final review proposed no follow-up tasks.`);
  if (proposal.status !== 'proposed') throw new InvalidStateError(`the follow-up tasks of run ${runId.slice(0, 8)} were already ${proposal.status}.`);
  const acceptedIds = decision === 'accept' ? addTasks(renumbered(store, proposal.tasks)) : [];
  const review = summary.finalReview;
  if (review === null) throw new InvalidStateError(`run ${runId.slice(0, 8)} has no final review.`);
  const decided = { ...summary, finalReview: { ...review, followUps: { ...proposal, status: decision === 'accept' ? ('accepted' as const) : ('discarded' as const), acceptedIds } } };
  const updated: RunSummary = { ...decided, text: summaryText(decided) };
  store.write(() => store.runSummaries.save(updated, now));
  return updated;
}

/** Proposed tasks with fresh ids after the project's highest numeric id; references among them follow. */
function renumbered(store: Store, tasks: ReadonlyArray<FollowUpTask>): ReadonlyArray<NewTaskInput> {
  let next = store.tasks.maxNumericId();
  const ids = new Map(tasks.map((task) => [task.id, String((next += 1))]));
  return tasks.map((task) => ({
    id: ids.get(task.id) as string,
    title: task.title,
    description: task.description,
    details: task.details,
    testStrategy: task.testStrategy,
    acceptanceCriteria: [...task.acceptanceCriteria],
    priority: task.priority,
    dependencies: task.dependencies.flatMap((dependency) => {
      const mapped = ids.get(dependency);
      if (mapped !== undefined) return [mapped];
      return store.tasks.get(dependency) === undefined ? [] : [dependency];
    }),
    contextFiles: [...task.contextFiles],
    hints: [...task.hints],
    expectsNoChanges: task.expectsNoChanges,
  }));
}
