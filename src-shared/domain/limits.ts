/** The longest PRD (characters) the app plans from: the contract's `prd.plan` and the manager both enforce it. */
export const MAX_PRD_CHARS = 500_000;

/** The longest file or folder path (characters) any input may name; Linux's PATH_MAX. */
export const MAX_PATH_CHARS = 4_096;
