/**
 * Migration 6: tags on tasks (a JSON array of strings), e.g. the labels of a GitHub issue imported
 * as the task. Never edit; add a new file.
 */
export const migration006 = `
ALTER TABLE tasks ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
`;
