import type { Statement } from 'better-sqlite3';
import type { CostKind, Usage } from '../../src-shared/domain/usage';
import type { SqliteDatabase } from './database';

/** One usage record: a worker attempt or a manager call. */
export interface UsageRecord {
  readonly source: 'worker' | 'manager';
  readonly runId: string | null;
  readonly taskId: string | null;
  readonly attemptId: string | null;
  readonly model: string | null;
  readonly usage: Usage;
  readonly costUsd: number;
  /** Default 'billed'. */
  readonly costKind?: CostKind;
}

/** Summed usage and cost. */
export interface UsageTotals {
  readonly usage: Usage;
  readonly costUsd: number;
  /** Some of the cost is Claude Code's estimate (a subscription login), not a bill. */
  readonly estimated: boolean;
  /** Some usage is of a model without a price row: its cost is unknown, not $0. */
  readonly unpriced: boolean;
}

interface TotalsRow {
  readonly input: number | null;
  readonly output: number | null;
  readonly cache_creation: number | null;
  readonly cache_read: number | null;
  readonly cost: number | null;
  readonly estimated: number | null;
  readonly unpriced: number | null;
}

const TOTALS = `SELECT sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cache_creation_input_tokens) AS cache_creation,
  sum(cache_read_input_tokens) AS cache_read, sum(cost_usd) AS cost, max(cost_kind = 'estimated') AS estimated, max(cost_kind = 'unpriced') AS unpriced FROM usage`;

/** The usage table, with totals per task, run and project. */
export class UsageRepository {
  private readonly insertStatement: Statement;

  constructor(private readonly db: SqliteDatabase) {
    this.insertStatement = db.prepare(`INSERT INTO usage (source, run_id, task_id, attempt_id, model, input_tokens, output_tokens,
      cache_creation_input_tokens, cache_read_input_tokens, cost_usd, cost_kind, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Records usage; a record with no tokens and no cost is skipped. */
  insert(record: UsageRecord, now: number): void {
    const { usage } = record;
    if (record.costUsd === 0 && usage.inputTokens + usage.outputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens === 0) return;
    this.insertStatement.run(
        record.source,
        record.runId,
        record.taskId,
        record.attemptId,
        record.model,
        usage.inputTokens,
        usage.outputTokens,
        usage.cacheCreationInputTokens,
        usage.cacheReadInputTokens,
        record.costUsd,
        record.costKind ?? 'billed',
        now,
      );
  }

  /** Totals of one task. */
  totalsForTask(taskId: string): UsageTotals {
    return totals(this.db.prepare<[string], TotalsRow>(`${TOTALS} WHERE task_id = ?`).get(taskId));
  }

  /** Totals of one run. */
  totalsForRun(runId: string): UsageTotals {
    return totals(this.db.prepare<[string], TotalsRow>(`${TOTALS} WHERE run_id = ?`).get(runId));
  }

  /** Totals of the whole project. */
  totalsForProject(): UsageTotals {
    return totals(this.db.prepare<[], TotalsRow>(TOTALS).get());
  }
}

function totals(row: TotalsRow | undefined): UsageTotals {
  return {
    usage: {
      inputTokens: row?.input ?? 0,
      outputTokens: row?.output ?? 0,
      cacheCreationInputTokens: row?.cache_creation ?? 0,
      cacheReadInputTokens: row?.cache_read ?? 0,
    },
    costUsd: row?.cost ?? 0,
    estimated: (row?.estimated ?? 0) === 1,
    unpriced: (row?.unpriced ?? 0) === 1,
  };
}
