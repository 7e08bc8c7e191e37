/**
 * Migration 2: what each run integrated and where its work is (so no finished work is stranded),
 * the pipeline stage an attempt reached and its own commit, tasks that need no file changes, and
 * committed work waiting for a review that could not run. Never edit; add a new file.
 */
export const migration002 = `
CREATE TABLE integrations (
  run_id TEXT PRIMARY KEY,
  branch TEXT NOT NULL,
  base_commit TEXT NOT NULL,
  tip TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'integrated', 'kept', 'empty')),
  note TEXT,
  integrated_commit TEXT,
  owner TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX integrations_pending ON integrations (status) WHERE status IN ('open', 'kept');

ALTER TABLE attempts ADD COLUMN stage TEXT CHECK (stage IN ('prepare', 'execute', 'verify', 'review', 'integrate', 'done'));
ALTER TABLE attempts ADD COLUMN work_commit TEXT;

ALTER TABLE tasks ADD COLUMN expects_no_changes INTEGER NOT NULL DEFAULT 0 CHECK (expects_no_changes IN (0, 1));
ALTER TABLE tasks ADD COLUMN resume_attempt_id TEXT;
`;
