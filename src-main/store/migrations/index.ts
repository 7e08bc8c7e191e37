import { migration001 } from './001-initial';
import { migration002 } from './002-integration';
import { migration003 } from './003-attempt-processes';
import { migration004 } from './004-feedback';
import { migration005 } from './005-cost-kind';
import { migration006 } from './006-task-tags';
import { migration007 } from './007-attempt-comments';
import { migration008 } from './008-integration-start';

/** Every migration in order; migration N (1-based) brings user_version from N-1 to N. Append only. */
export const MIGRATIONS: ReadonlyArray<string> = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
