import type { Lesson } from '../../src-shared/domain/feedback';
import type { SqliteDatabase } from './database';
import { parseStringArray } from './json-columns';

interface LessonRow {
  readonly id: number;
  readonly key: string;
  readonly text: string;
  readonly source: string;
  readonly files: string;
  readonly occurrences: number;
  readonly edited: number;
  readonly deleted_at: number | null;
  readonly created_at: number;
  readonly updated_at: number;
}

function lessonFromRow(row: LessonRow): Lesson {
  return {
    id: row.id,
    key: row.key,
    text: row.text,
    source: row.source,
    files: parseStringArray(row.files),
    occurrences: row.occurrences,
    edited: row.edited === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A lesson as derived from feedback (before it is stored). */
export interface DerivedLesson {
  readonly key: string;
  readonly text: string;
  readonly source: string;
  readonly files: ReadonlyArray<string>;
  readonly occurrences: number;
}

/**
 * The lessons table. One row per key, so a lesson is never duplicated; a lesson the user deleted
 * stays as a tombstone (never listed, never derived again); one the user edited keeps its text.
 */
export class LessonRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Live lessons, most frequent first. */
  list(): ReadonlyArray<Lesson> {
    return this.db
      .prepare<[], LessonRow>('SELECT * FROM lessons WHERE deleted_at IS NULL ORDER BY occurrences DESC, updated_at DESC, id')
      .all()
      .map(lessonFromRow);
  }

  /** One live lesson, or undefined. */
  get(id: number): Lesson | undefined {
    const row = this.db.prepare<[number], LessonRow>('SELECT * FROM lessons WHERE id = ? AND deleted_at IS NULL').get(id);
    return row === undefined ? undefined : lessonFromRow(row);
  }

  /** Stores a derived lesson: new, or refreshed (its text only when the user has not edited it); a deleted one stays deleted. */
  upsertDerived(lesson: DerivedLesson, now: number): void {
    this.db
      .prepare(`INSERT INTO lessons (key, text, source, files, occurrences, created_at, updated_at)
        VALUES (@key, @text, @source, @files, @occurrences, @now, @now)
        ON CONFLICT (key) DO UPDATE SET
          text = CASE WHEN lessons.edited = 1 THEN lessons.text ELSE excluded.text END,
          source = excluded.source, files = excluded.files, occurrences = excluded.occurrences,
          updated_at = CASE WHEN lessons.occurrences = excluded.occurrences THEN lessons.updated_at ELSE excluded.updated_at END
        WHERE lessons.deleted_at IS NULL`)
      .run({ ...lesson, files: JSON.stringify(lesson.files), now });
  }

  /** The user rewrites a lesson; false when there is no such live lesson. */
  updateText(id: number, text: string, now: number): boolean {
    return this.db.prepare('UPDATE lessons SET text = ?, edited = 1, updated_at = ? WHERE id = ? AND deleted_at IS NULL').run(text, now, id).changes === 1;
  }

  /** The user deletes a lesson: it leaves every later prompt and is not derived again; false when there is none. */
  delete(id: number, now: number): boolean {
    return this.db.prepare('UPDATE lessons SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(now, id).changes === 1;
  }
}
