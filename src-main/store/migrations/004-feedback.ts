/**
 * Migration 4: feedback signals of every run (tied to run, task, attempt, model and files), the
 * lessons derived from them (a deleted lesson is kept as a tombstone so it is not derived again),
 * and each run's summary with its final review and follow-up proposal. Never edit; add a new file.
 */
export const migration004 = `
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
  task_id TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  attempt_id TEXT REFERENCES attempts(id) ON DELETE SET NULL,
  model TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('review', 'check', 'conflict', 'error', 'rate_limit', 'final_review', 'user_verdict', 'user_edit', 'rollback')),
  cause TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  files TEXT NOT NULL DEFAULT '[]',
  error_class TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX feedback_cause ON feedback (kind, cause);
CREATE INDEX feedback_run ON feedback (run_id);
CREATE INDEX feedback_attempt ON feedback (attempt_id);

CREATE TABLE lessons (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  text TEXT NOT NULL,
  source TEXT NOT NULL,
  files TEXT NOT NULL DEFAULT '[]',
  occurrences INTEGER NOT NULL DEFAULT 0,
  edited INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),
  deleted_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE run_summaries (
  run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  summary TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
`;
