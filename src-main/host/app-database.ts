import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteOpenOptions } from '../store/sqlite-binding';

/** Numbered, never-edited migrations of the small per-user app database. */
const MIGRATIONS: ReadonlyArray<string> = [
  `CREATE TABLE recent_projects (
     path TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     last_opened_at TEXT NOT NULL
   ) STRICT;`,
];

/** Opens (creating and migrating as needed) the app database in the user-data folder. */
export function openAppDatabase(userDataDir: string): Database.Database {
  try {
    mkdirSync(userDataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new Error(
      `Cannot create the user-data folder ${userDataDir} (${error instanceof Error ? error.message : String(error)}). Make it writable, or set CO_USER_DATA to a folder you can write to.`,
    );
  }
  const file = join(userDataDir, 'app.db');
  const db = new Database(file, sqliteOpenOptions());
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The app database ${file} was written by a newer Claude Orchestrator (schema ${current}, this version knows ${MIGRATIONS.length}). Update the app, or move the file away to start fresh.`,
    );
  }
  if (current === MIGRATIONS.length) return;
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version] ?? '');
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
