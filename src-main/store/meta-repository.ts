import type { SqliteDatabase } from './database';

/** The meta key/value table (goal, master plan, ...). */
export class MetaRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** A stored value, or undefined. */
  get(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  }

  /** Stores or replaces a value. */
  set(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
