/**
 * Migration 7: the user's comments on lines of an attempt's diff (a line or a range of the file
 * after the change, with the code commented on), sent to the next attempt when they request
 * changes, and kept on the attempt. Never edit; add a new file.
 */
export const migration007 = `
CREATE TABLE attempt_comments (
  id INTEGER PRIMARY KEY,
  attempt_id TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
  file TEXT NOT NULL,
  start_line INTEGER NOT NULL CHECK (start_line >= 1),
  end_line INTEGER NOT NULL CHECK (end_line >= start_line),
  code TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX attempt_comments_by_attempt ON attempt_comments (attempt_id, id);
`;
