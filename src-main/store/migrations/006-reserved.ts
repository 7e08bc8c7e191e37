/**
 * Migration 6 is reserved for issue 16 (GitHub import), developed in parallel; this no-op keeps
 * migration 7 at its number until that one lands, and is replaced by it at the merge (no release
 * ships in between, so no database holds this placeholder). Never edit once released.
 */
export const migration006 = `
SELECT 1;
`;
