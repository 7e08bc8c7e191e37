import { migration001 } from './001-initial';
import { migration003 } from './003-attempt-processes';

/**
 * Number 2 belongs to another change being made in parallel (integration state); this empty
 * stand-in keeps 003 at version 3 until that file replaces it. Replace, never ship both.
 */
const migration002Reserved = '';

/** Every migration in order; migration N (1-based) brings user_version from N-1 to N. Append only. */
export const MIGRATIONS: ReadonlyArray<string> = [migration001, migration002Reserved, migration003];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
