import type { Run, RunStatus } from '../../src-shared/domain/run';
import type { SqliteDatabase } from './database';

interface RunRow {
  readonly id: string;
  readonly goal: string | null;
  readonly status: string;
  readonly owner: string;
  readonly max_workers: number;
  readonly task_ids: string | null;
  readonly started_at: number;
  readonly finished_at: number | null;
  readonly summary: string | null;
}

function runFromRow(row: RunRow): Run {
  return {
    id: row.id,
    goal: row.goal,
    status: row.status as RunStatus,
    owner: row.owner,
    maxWorkers: row.max_workers,
    taskIds: row.task_ids === null ? null : (JSON.parse(row.task_ids) as string[]),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    summary: row.summary,
  };
}

/** The runs table. */
export class RunRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Records a new running run. */
  insert(run: Pick<Run, 'id' | 'goal' | 'owner' | 'maxWorkers' | 'taskIds' | 'startedAt'>): void {
    this.db
      .prepare(`INSERT INTO runs (id, goal, status, owner, max_workers, task_ids, started_at) VALUES (?, ?, 'running', ?, ?, ?, ?)`)
      .run(run.id, run.goal, run.owner, run.maxWorkers, run.taskIds ? JSON.stringify(run.taskIds) : null, run.startedAt);
  }

  /** Ends a run. */
  finish(id: string, status: RunStatus, summary: string | null, now: number): void {
    this.db.prepare('UPDATE runs SET status = ?, summary = ?, finished_at = ? WHERE id = ?').run(status, summary, now, id);
  }

  /** Marks runs of an owner that is gone (its process died) as interrupted; returns how many. */
  interruptStale(ownerIsAlive: (owner: string) => boolean, now: number): number {
    const running = this.db.prepare<[], RunRow>("SELECT * FROM runs WHERE status = 'running'").all();
    let count = 0;
    for (const run of running) {
      if (ownerIsAlive(run.owner)) continue;
      this.finish(run.id, 'interrupted', 'the process running it stopped', now);
      count += 1;
    }
    return count;
  }

  /** One run, or undefined. */
  get(id: string): Run | undefined {
    const row = this.db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
    return row ? runFromRow(row) : undefined;
  }

  /** Runs, newest first. */
  list(limit = 100): ReadonlyArray<Run> {
    return this.db
      .prepare<[number], RunRow>('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?')
      .all(limit)
      .map(runFromRow);
  }
}
