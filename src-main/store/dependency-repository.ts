import type { Statement } from 'better-sqlite3';
import type { GraphNode } from '../../src-shared/graph/graph-node';
import type { SqliteDatabase } from './database';

/** The task_deps table: "task depends on other task" edges. */
export class DependencyRepository {
  private readonly insertStatement: Statement<[string, string]>;

  constructor(private readonly db: SqliteDatabase) {
    this.insertStatement = db.prepare('INSERT OR IGNORE INTO task_deps (task_id, depends_on) VALUES (?, ?)');
  }

  /** Adds edges from `taskId` to each dependency. */
  add(taskId: string, dependencies: ReadonlyArray<string>): void {
    for (const dependency of dependencies) this.insertStatement.run(taskId, dependency);
  }

  /** Replaces every dependency of `taskId`. */
  replace(taskId: string, dependencies: ReadonlyArray<string>): void {
    this.db.prepare('DELETE FROM task_deps WHERE task_id = ?').run(taskId);
    this.add(taskId, dependencies);
  }

  /** Ids of tasks that depend directly on `taskId`. */
  dependentsOf(taskId: string): ReadonlyArray<string> {
    return this.db
      .prepare<[string], { task_id: string }>('SELECT task_id FROM task_deps WHERE depends_on = ? ORDER BY task_id')
      .all(taskId)
      .map((row) => row.task_id);
  }

  /** The whole graph: every task id with its dependencies. */
  graph(): ReadonlyArray<GraphNode> {
    const nodes = new Map<string, string[]>();
    for (const row of this.db.prepare<[], { id: string }>('SELECT id FROM tasks').all()) nodes.set(row.id, []);
    for (const edge of this.db.prepare<[], { task_id: string; depends_on: string }>('SELECT task_id, depends_on FROM task_deps').all()) {
      nodes.get(edge.task_id)?.push(edge.depends_on);
    }
    return [...nodes].map(([id, dependencies]) => ({ id, dependencies }));
  }
}
