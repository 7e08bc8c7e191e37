/** Migration 1: tasks, dependencies, runs, attempts, log events, discoveries, usage, checkpoints, meta. Never edit; add a new file. */
export const migration001 = `
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  id_key TEXT NOT NULL,
  parent_id TEXT REFERENCES tasks(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '',
  test_strategy TEXT NOT NULL DEFAULT '',
  acceptance TEXT NOT NULL DEFAULT '[]',
  priority TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
  priority_rank INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'claimed', 'in_progress', 'review', 'done', 'failed', 'blocked', 'cancelled', 'deferred')),
  status_reason TEXT,
  context_files TEXT NOT NULL DEFAULT '[]',
  hints TEXT NOT NULL DEFAULT '[]',
  source_ref TEXT,
  result TEXT,
  review_feedback TEXT,
  critical_rank REAL NOT NULL DEFAULT 1,
  attempts INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  current_attempt_id TEXT,
  not_before INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  claimed_at INTEGER,
  started_at INTEGER,
  completed_at INTEGER
) STRICT;
CREATE INDEX tasks_ready_order ON tasks (critical_rank DESC, priority_rank DESC, id_key) WHERE status = 'ready';
CREATE INDEX tasks_parent ON tasks (parent_id);
CREATE INDEX tasks_retry_wait ON tasks (not_before) WHERE status = 'ready' AND not_before IS NOT NULL;

CREATE TABLE task_deps (
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  depends_on TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  PRIMARY KEY (task_id, depends_on)
) STRICT, WITHOUT ROWID;
CREATE INDEX task_deps_reverse ON task_deps (depends_on, task_id);

CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  goal TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  owner TEXT NOT NULL,
  max_workers INTEGER NOT NULL,
  task_ids TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  summary TEXT
) STRICT;

CREATE TABLE attempts (
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
  number INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  backend TEXT NOT NULL,
  worker_owner TEXT NOT NULL,
  session_id TEXT,
  working_directory TEXT,
  worktree TEXT,
  branch TEXT,
  commit_before TEXT,
  commit_after TEXT,
  exit_code INTEGER,
  output TEXT,
  error_class TEXT CHECK (error_class IN ('transient', 'recoverable', 'permanent')),
  error_message TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_creation_input_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_input_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  review TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX attempts_task ON attempts (task_id, number);

CREATE TABLE log_events (
  id INTEGER PRIMARY KEY,
  attempt_id TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  data TEXT
) STRICT;
CREATE INDEX log_events_attempt ON log_events (attempt_id, seq);
CREATE TRIGGER log_events_append_only BEFORE UPDATE ON log_events
BEGIN SELECT RAISE(ABORT, 'log_events is append-only'); END;

CREATE TABLE discoveries (
  id INTEGER PRIMARY KEY,
  task_id TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  attempt_id TEXT REFERENCES attempts(id) ON DELETE SET NULL,
  run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
  summary TEXT NOT NULL,
  details TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  files TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX discoveries_task ON discoveries (task_id);

CREATE TABLE usage (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('worker', 'manager')),
  run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
  task_id TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  attempt_id TEXT REFERENCES attempts(id) ON DELETE SET NULL,
  model TEXT,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_creation_input_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_input_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX usage_run ON usage (run_id);
CREATE INDEX usage_task ON usage (task_id);

CREATE TABLE checkpoints (
  id TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  git_ref TEXT,
  tasks_snapshot TEXT NOT NULL,
  run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;
