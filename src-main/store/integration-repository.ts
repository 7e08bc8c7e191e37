import type { Integration, IntegrationStatus } from '../../src-shared/domain/integration';
import type { SqliteDatabase } from './database';

interface IntegrationRow {
  readonly run_id: string;
  readonly branch: string;
  readonly base_commit: string;
  readonly started_on_branch: string | null;
  readonly started_at_commit: string | null;
  readonly tip: string;
  readonly status: string;
  readonly note: string | null;
  readonly integrated_commit: string | null;
  readonly owner: string;
  readonly created_at: number;
  readonly updated_at: number;
}

function integrationFromRow(row: IntegrationRow): Integration {
  return {
    runId: row.run_id,
    branch: row.branch,
    baseCommit: row.base_commit,
    startedOnBranch: row.started_on_branch,
    startedAtCommit: row.started_at_commit,
    tip: row.tip,
    status: row.status as IntegrationStatus,
    note: row.note,
    integratedCommit: row.integrated_commit,
    owner: row.owner,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The integrations table: per run, the branch its approved work is merged into, where it started,
 * its tip, and whether that work reached the user's branch (or is kept on the branch, and why).
 */
export class IntegrationRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Records a run's integration branch at its base (status open). */
  insert(integration: { runId: string; branch: string; baseCommit: string; owner: string; startedOnBranch?: string | null; startedAtCommit?: string | null }, now: number): void {
    this.db
      .prepare(`INSERT INTO integrations (run_id, branch, base_commit, started_on_branch, started_at_commit, tip, status, owner, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`)
      .run(integration.runId, integration.branch, integration.baseCommit, integration.startedOnBranch ?? null, integration.startedAtCommit ?? null, integration.baseCommit, integration.owner, now, now);
  }

  /** Moves the recorded tip after a merge into the integration branch. */
  setTip(runId: string, tip: string, now: number): void {
    this.db.prepare('UPDATE integrations SET tip = ?, updated_at = ? WHERE run_id = ?').run(tip, now, runId);
  }

  /** Records how the run's work reached (or did not reach) the user's branch. */
  settle(runId: string, outcome: { status: Exclude<IntegrationStatus, 'open'>; note: string | null; integratedCommit?: string | null }, now: number): void {
    this.db
      .prepare('UPDATE integrations SET status = ?, note = ?, integrated_commit = ?, updated_at = ? WHERE run_id = ?')
      .run(outcome.status, outcome.note, outcome.integratedCommit ?? null, now, runId);
  }

  /** Hands an open integration to another owner (the process recovering it). */
  adopt(runId: string, owner: string, now: number): void {
    this.db.prepare('UPDATE integrations SET owner = ?, updated_at = ? WHERE run_id = ?').run(owner, now, runId);
  }

  /** One run's integration, or undefined (a run without git has none). */
  get(runId: string): Integration | undefined {
    const row = this.db.prepare<[string], IntegrationRow>('SELECT * FROM integrations WHERE run_id = ?').get(runId);
    return row ? integrationFromRow(row) : undefined;
  }

  /** Integrations whose work is not on the user's branch yet (open or kept), oldest first. */
  listUnintegrated(): ReadonlyArray<Integration> {
    return this.db
      .prepare<[], IntegrationRow>("SELECT * FROM integrations WHERE status IN ('open', 'kept') ORDER BY created_at, rowid")
      .all()
      .map(integrationFromRow);
  }

  /** Every integration, newest first. */
  list(limit = 100): ReadonlyArray<Integration> {
    return this.db
      .prepare<[number], IntegrationRow>('SELECT * FROM integrations ORDER BY created_at DESC, rowid DESC LIMIT ?')
      .all(limit)
      .map(integrationFromRow);
  }
}
