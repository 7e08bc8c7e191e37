import type { RunSummary } from '../../src-shared/domain/run-summary';
import type { SqliteDatabase } from './database';

/** The run_summaries table: each run's summary (final review and follow-up proposal included), stored as JSON with the run. */
export class RunSummaryRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Stores (or replaces) a run's summary. */
  save(summary: RunSummary, now: number): void {
    this.db
      .prepare(`INSERT INTO run_summaries (run_id, summary, created_at, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (run_id) DO UPDATE SET summary = excluded.summary, updated_at = excluded.updated_at`)
      .run(summary.runId, JSON.stringify(summary), now, now);
  }

  /** A run's stored summary, or undefined. */
  get(runId: string): RunSummary | undefined {
    const row = this.db.prepare<[string], { summary: string }>('SELECT summary FROM run_summaries WHERE run_id = ?').get(runId);
    return row === undefined ? undefined : (JSON.parse(row.summary) as RunSummary);
  }
}
