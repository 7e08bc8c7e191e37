/**
 * Migration 5: what each usage record's cost is — billed (the API's figure for our key), estimated
 * (Claude Code's own estimate on a subscription login) or unpriced (a model without a price row). Never edit.
 */
export const migration005 = `
ALTER TABLE usage ADD COLUMN cost_kind TEXT NOT NULL DEFAULT 'billed' CHECK (cost_kind IN ('billed', 'estimated', 'unpriced'));
`;
