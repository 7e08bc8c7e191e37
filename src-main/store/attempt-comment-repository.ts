import type { AttemptComment } from '../../src-shared/domain/attempt-comment';
import type { SqliteDatabase } from './database';

interface AttemptCommentRow {
  readonly id: number;
  readonly attempt_id: string;
  readonly file: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly code: string;
  readonly body: string;
  readonly created_at: number;
}

function commentFromRow(row: AttemptCommentRow): AttemptComment {
  return { id: row.id, attemptId: row.attempt_id, file: row.file, startLine: row.start_line, endLine: row.end_line, code: row.code, body: row.body, createdAt: row.created_at };
}

/** The attempt_comments table: the user's line comments on attempts' diffs. */
export class AttemptCommentRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Stores a comment and returns it with its id. */
  insert(comment: Omit<AttemptComment, 'id'>): AttemptComment {
    const info = this.db
      .prepare('INSERT INTO attempt_comments (attempt_id, file, start_line, end_line, code, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(comment.attemptId, comment.file, comment.startLine, comment.endLine, comment.code, comment.body, comment.createdAt);
    return { ...comment, id: Number(info.lastInsertRowid) };
  }

  /** One attempt's comments, oldest first. */
  listForAttempt(attemptId: string): ReadonlyArray<AttemptComment> {
    return this.db.prepare<[string], AttemptCommentRow>('SELECT * FROM attempt_comments WHERE attempt_id = ? ORDER BY id').all(attemptId).map(commentFromRow);
  }

  /** One comment, or undefined. */
  get(id: number): AttemptComment | undefined {
    const row = this.db.prepare<[number], AttemptCommentRow>('SELECT * FROM attempt_comments WHERE id = ?').get(id);
    return row === undefined ? undefined : commentFromRow(row);
  }

  /** Deletes a comment; false when there was none. */
  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM attempt_comments WHERE id = ?').run(id).changes > 0;
  }
}
