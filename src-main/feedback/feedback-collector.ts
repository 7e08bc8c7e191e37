import type { Attempt } from '../../src-shared/domain/attempt';
import type { NewFeedback } from '../../src-shared/domain/feedback';
import type { RunSummary } from '../../src-shared/domain/run-summary';
import type { EngineEventBus } from '../engine/engine-events';
import type { Store } from '../store/store';
import { redactSecrets } from '../workspace/redact';
import { attemptSignals, checkOutputOfFeedback, clip, MAX_DETAIL_CHARS } from './feedback-signals';
import { deriveLessons } from './lessons';

/** What the collector needs besides the engine's events. */
export interface FeedbackCollectorOptions {
  readonly store: () => Store;
  /** The files an attempt changed (git: its work commit against its base); default none known. */
  readonly changedFiles?: (attempt: Attempt) => Promise<ReadonlyArray<string>>;
  readonly now?: () => number;
  /** Told when a signal could not be stored (it never stops a run). */
  readonly onError?: (message: string) => void;
}

/** The user's own verdict on a task, as the Review panel sends it. */
export type UserVerdict = 'approve' | 'request_changes' | 'reject';

/** Collects a run's feedback into the store and keeps the lessons current. */
export interface FeedbackCollector {
  /** Resolves when every signal seen so far is stored (some wait for a look at the attempt's files). */
  settled(): Promise<void>;
  /** Records the user's verdict on a finished task (the one signal that does not come as an engine event). */
  recordUserVerdict(taskId: string, verdict: UserVerdict, note: string): void;
  /** Stops listening. */
  detach(): void;
}

/**
 * Seed 003's FeedbackCollector: one listener on the engine's events, so the pipeline writes no
 * feedback itself. An ended attempt is read back from its stored row (review verdict, failed check,
 * conflict, error class: `attemptSignals`) and tied to its run, task, model and changed files; a
 * rate-limit pause, a task the user edited or rolled back, and the final review's unmet criteria come
 * as their own events. After each stored failure the lessons are derived again.
 */
export function attachFeedbackCollector(bus: EngineEventBus, options: FeedbackCollectorOptions): FeedbackCollector {
  const now = options.now ?? Date.now;
  const pending = new Set<Promise<void>>();
  let currentRunId: string | null = null;

  const store = (entries: ReadonlyArray<NewFeedback>): void => {
    if (entries.length === 0) return;
    try {
      const database = options.store();
      database.write(() => {
        database.feedback.insertMany(entries.map((entry) => ({ ...entry, detail: clip(redactSecrets(entry.detail), MAX_DETAIL_CHARS) })));
        if (entries.some((entry) => entry.kind === 'check' || entry.kind === 'conflict' || entry.kind === 'error')) deriveLessons(database, now());
      });
    } catch (error) {
      options.onError?.(`feedback could not be stored: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const later = (work: Promise<void>): void => {
    const tracked = work.catch((error: unknown) => options.onError?.(`feedback could not be collected: ${error instanceof Error ? error.message : String(error)}`));
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };
  const row = (fields: Partial<NewFeedback> & Pick<NewFeedback, 'kind' | 'cause' | 'detail'>): NewFeedback => ({
    runId: currentRunId,
    taskId: null,
    attemptId: null,
    model: null,
    files: [],
    errorClass: null,
    createdAt: now(),
    ...fields,
  });

  const onAttempt = (attempt: Attempt): void => {
    const database = options.store();
    const signals = attemptSignals(attempt, attempt.errorMessage?.startsWith('the check `') === true ? checkOutput(database, attempt) : null);
    if (signals.length === 0) return;
    const model = database.db.prepare<[string], { model: string | null }>('SELECT model FROM usage WHERE attempt_id = ? AND model IS NOT NULL LIMIT 1').get(attempt.id)?.model ?? null;
    const entries = (files: ReadonlyArray<string>): ReadonlyArray<NewFeedback> =>
      signals.map((signal) =>
        row({ runId: attempt.runId, taskId: attempt.taskId, attemptId: attempt.id, model, kind: signal.kind, cause: signal.cause, detail: signal.detail, files: [...new Set([...signal.files, ...files])], errorClass: attempt.errorClass, createdAt: attempt.finishedAt ?? now() }),
      );
    const changed = options.changedFiles;
    if (changed === undefined || attempt.workCommit === null || attempt.commitBefore === null) return store(entries([]));
    later(changed(attempt).then((files) => store(entries(files)), () => store(entries([]))));
  };

  const offs = [
    bus.on('run.started', ({ run }) => {
      currentRunId = run.id;
    }),
    bus.on('run.finished', () => {
      currentRunId = null;
    }),
    bus.on('attempt.finished', ({ attempt }) => onAttempt(attempt)),
    bus.on('pool.paused', ({ until, reason }) => store([row({ kind: 'rate_limit', cause: 'rate limit', detail: `${reason}; paused until ${new Date(until).toISOString()}` })])),
    bus.on('task.changed', (event) => {
      if (event.reason === 'edited' && event.runId === null) store([row({ taskId: event.taskId, kind: 'user_edit', cause: 'edited', detail: 'the user edited the task' })]);
    }),
    bus.on('tasks.reset', ({ reason, taskIds }) => {
      if (reason !== 'rollback') return;
      const ids = taskIds ?? [];
      store(ids.length === 0 ? [row({ kind: 'rollback', cause: 'rollback', detail: 'the user rolled back to a checkpoint' })] : ids.map((taskId) => row({ taskId, kind: 'rollback', cause: 'rollback', detail: `the user rolled back task ${taskId}'s work` })));
    }),
    bus.on('run.summarized', ({ summary }) => {
      // A summary is announced again when the user decides on its follow-ups: its criteria are recorded once.
      if (!options.store().feedback.listForRun(summary.runId).some((entry) => entry.kind === 'final_review')) store(finalReviewRows(summary, now()));
    }),
  ];

  return {
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    recordUserVerdict: (taskId, verdict, note) => {
      store([row({ runId: null, taskId, kind: 'user_verdict', cause: verdict, detail: note })]);
    },
    detach: () => {
      for (const off of offs) off();
    },
  };
}

/** The output of a failed check: from the feedback given to the task's next attempt, else from the attempt's check log lines. */
function checkOutput(store: Store, attempt: Attempt): string | null {
  const fromFeedback = checkOutputOfFeedback(store.tasks.get(attempt.taskId)?.reviewFeedback ?? null);
  if (fromFeedback !== null) return fromFeedback;
  store.logWriter.flush();
  // Pipeline lines (check output among them) are stored with negative sequence numbers; newest last.
  const lines = store.db
    .prepare<[string], { text: string }>("SELECT text FROM (SELECT id, text FROM log_events WHERE attempt_id = ? AND kind = 'check' ORDER BY id DESC LIMIT 200) ORDER BY id")
    .all(attempt.id);
  return lines.length === 0 ? null : lines.map((line) => line.text).join('\n');
}

/** Feedback rows for the criteria a run's final review found not met. */
function finalReviewRows(summary: RunSummary, now: number): ReadonlyArray<NewFeedback> {
  const review = summary.finalReview;
  if (review === null || review.status !== 'reviewed') return [];
  return review.criteria
    .filter((criterion) => !criterion.met)
    .map((criterion) => ({
      runId: summary.runId,
      taskId: criterion.taskId,
      attemptId: null,
      model: null,
      kind: 'final_review' as const,
      cause: 'criterion not met',
      detail: `${criterion.criterion}${criterion.note === null ? '' : ` — ${criterion.note}`}`,
      files: [],
      errorClass: null,
      createdAt: now,
    }));
}
