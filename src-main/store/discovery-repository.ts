import type { StoredDiscovery } from '../../src-shared/domain/discovery';
import type { SqliteDatabase } from './database';
import { parseStringArray } from './json-columns';

interface DiscoveryRow {
  readonly id: number;
  readonly task_id: string | null;
  readonly attempt_id: string | null;
  readonly run_id: string | null;
  readonly summary: string;
  readonly details: string | null;
  readonly tags: string;
  readonly files: string;
  readonly created_at: number;
}

function discoveryFromRow(row: DiscoveryRow): StoredDiscovery {
  return {
    id: row.id,
    taskId: row.task_id,
    attemptId: row.attempt_id,
    runId: row.run_id,
    summary: row.summary,
    details: row.details,
    tags: parseStringArray(row.tags),
    files: parseStringArray(row.files),
    createdAt: row.created_at,
  };
}

/** The discoveries table. */
export class DiscoveryRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Stores a discovery and returns it with its id. */
  insert(discovery: Omit<StoredDiscovery, 'id'>): StoredDiscovery {
    const info = this.db
      .prepare(`INSERT INTO discoveries (task_id, attempt_id, run_id, summary, details, tags, files, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        discovery.taskId,
        discovery.attemptId,
        discovery.runId,
        discovery.summary,
        discovery.details,
        JSON.stringify(discovery.tags),
        JSON.stringify(discovery.files),
        discovery.createdAt,
      );
    return { ...discovery, id: Number(info.lastInsertRowid) };
  }

  /** All discoveries, oldest first. */
  list(): ReadonlyArray<StoredDiscovery> {
    return this.db.prepare<[], DiscoveryRow>('SELECT * FROM discoveries ORDER BY id').all().map(discoveryFromRow);
  }

  /** One task's discoveries, newest first. */
  listForTask(taskId: string): ReadonlyArray<StoredDiscovery> {
    return this.db.prepare<[string], DiscoveryRow>('SELECT * FROM discoveries WHERE task_id = ? ORDER BY id DESC').all(taskId).map(discoveryFromRow);
  }

  /** Discoveries sharing a tag or a file with the given ones (for a task's context), newest first. */
  relevantTo(tags: ReadonlyArray<string>, files: ReadonlyArray<string>, limit = 20): ReadonlyArray<StoredDiscovery> {
    if (tags.length === 0 && files.length === 0) return [];
    return this.db
      .prepare<[string, string, number], DiscoveryRow>(`SELECT * FROM discoveries d WHERE
        EXISTS (SELECT 1 FROM json_each(d.tags) t WHERE t.value IN (SELECT value FROM json_each(?)))
        OR EXISTS (SELECT 1 FROM json_each(d.files) f WHERE f.value IN (SELECT value FROM json_each(?)))
        ORDER BY id DESC LIMIT ?`)
      .all(JSON.stringify(tags), JSON.stringify(files), limit)
      .map(discoveryFromRow);
  }
}
