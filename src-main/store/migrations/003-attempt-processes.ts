/** Migration 3: the process group each attempt started (leader pid, group id, start time), so a restart can kill orphans. Never edit. */
export const migration003 = `
ALTER TABLE attempts ADD COLUMN process_pid INTEGER;
ALTER TABLE attempts ADD COLUMN process_group INTEGER;
ALTER TABLE attempts ADD COLUMN process_started TEXT;
`;
