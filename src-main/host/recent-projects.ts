import type Database from 'better-sqlite3';
import type { ProjectSummary } from '../../src-shared/rpc/contract';

/** Recent projects, newest first, as stored in the app database. */
export class RecentProjects {
  constructor(
    private readonly db: Database.Database,
    private readonly limit = 20,
  ) {}

  /** Records that a project was opened now, keeping only the newest `limit` entries. */
  touch(path: string, name: string, at: Date = new Date()): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO recent_projects (path, name, last_opened_at) VALUES (?, ?, ?)
           ON CONFLICT(path) DO UPDATE SET name = excluded.name, last_opened_at = excluded.last_opened_at`,
        )
        .run(path, name, at.toISOString());
      this.db
        .prepare(
          `DELETE FROM recent_projects WHERE path NOT IN
             (SELECT path FROM recent_projects ORDER BY last_opened_at DESC, path LIMIT ?)`,
        )
        .run(this.limit);
    })();
  }

  /** All recent projects, newest first. */
  list(): ReadonlyArray<Pick<ProjectSummary, 'path' | 'name' | 'lastOpenedAt'>> {
    const rows = this.db
      .prepare(`SELECT path, name, last_opened_at AS lastOpenedAt FROM recent_projects ORDER BY last_opened_at DESC, path`)
      .all() as Array<{ path: string; name: string; lastOpenedAt: string }>;
    return rows;
  }

  /** Forgets one project; true when it was listed. */
  remove(path: string): boolean {
    return this.db.prepare(`DELETE FROM recent_projects WHERE path = ?`).run(path).changes > 0;
  }
}
