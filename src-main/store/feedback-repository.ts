import type { FeedbackEntry, FeedbackKind, NewFeedback } from '../../src-shared/domain/feedback';
import type { SqliteDatabase } from './database';
import { parseStringArray } from './json-columns';

interface FeedbackRow {
  readonly id: number;
  readonly run_id: string | null;
  readonly task_id: string | null;
  readonly attempt_id: string | null;
  readonly model: string | null;
  readonly kind: string;
  readonly cause: string;
  readonly detail: string;
  readonly files: string;
  readonly error_class: string | null;
  readonly created_at: number;
}

function feedbackFromRow(row: FeedbackRow): FeedbackEntry {
  return {
    id: row.id,
    runId: row.run_id,
    taskId: row.task_id,
    attemptId: row.attempt_id,
    model: row.model,
    kind: row.kind as FeedbackKind,
    cause: row.cause,
    detail: row.detail,
    files: parseStringArray(row.files),
    errorClass: row.error_class,
    createdAt: row.created_at,
  };
}

/** The feedback table: one row per signal a run produced (append-only but for deletions with their run or task). */
export class FeedbackRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Stores signals; references to rows that are gone (a deleted task) are stored as null. */
  insertMany(entries: ReadonlyArray<NewFeedback>): void {
    const insert = this.db.prepare(`INSERT INTO feedback (run_id, task_id, attempt_id, model, kind, cause, detail, files, error_class, created_at)
      VALUES (
        (SELECT id FROM runs WHERE id = @runId), (SELECT id FROM tasks WHERE id = @taskId), (SELECT id FROM attempts WHERE id = @attemptId),
        @model, @kind, @cause, @detail, @files, @errorClass, @createdAt)`);
    for (const entry of entries) insert.run({ ...entry, files: JSON.stringify(entry.files) });
  }

  /** Whether signals of an attempt are stored already (an attempt is collected once). */
  hasAttempt(attemptId: string): boolean {
    return this.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM feedback WHERE attempt_id = ? LIMIT 1').get(attemptId) !== undefined;
  }

  /** Signals of a run, oldest first. */
  listForRun(runId: string): ReadonlyArray<FeedbackEntry> {
    return this.db.prepare<[string], FeedbackRow>('SELECT * FROM feedback WHERE run_id = ? ORDER BY id').all(runId).map(feedbackFromRow);
  }

  /** The newest `limit` signals of some kinds, oldest first (for deriving lessons). */
  listByKinds(kinds: ReadonlyArray<FeedbackKind>, limit = 5_000): ReadonlyArray<FeedbackEntry> {
    return this.db
      .prepare<[string, number], FeedbackRow>('SELECT * FROM (SELECT * FROM feedback WHERE kind IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ?) ORDER BY id')
      .all(JSON.stringify(kinds), limit)
      .map(feedbackFromRow);
  }

  /** Number of stored signals. */
  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM feedback').get()?.n ?? 0;
  }
}
