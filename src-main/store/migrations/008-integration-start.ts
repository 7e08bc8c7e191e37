/**
 * Migration 8: where the user was when a run started — their branch (null on a detached HEAD) and
 * its commit — so the run's finish merges only into a checkout that still holds that commit, never
 * into a branch the user switched to meanwhile. Null in rows recorded before. Never edit; add a new file.
 */
export const migration008 = `
ALTER TABLE integrations ADD COLUMN started_on_branch TEXT;
ALTER TABLE integrations ADD COLUMN started_at_commit TEXT;
`;
