import type { SqliteDatabase } from '../../store/database';
import type { MethodOutput } from '../../../src-shared/rpc/contract';

/** Tokens and cost per task, run and model, as usage.summary answers. */
export type UsageSummary = MethodOutput<'usage.summary'>;

interface SumRow {
  readonly input: number | null;
  readonly output: number | null;
  readonly cache_creation: number | null;
  readonly cache_read: number | null;
  readonly cost: number | null;
  readonly estimated: number | null;
  readonly unpriced: number | null;
}

const SUMS = `sum(u.input_tokens) AS input, sum(u.output_tokens) AS output, sum(u.cache_creation_input_tokens) AS cache_creation,
  sum(u.cache_read_input_tokens) AS cache_read, sum(u.cost_usd) AS cost,
  max(u.cost_kind = 'estimated') AS estimated, max(u.cost_kind = 'unpriced') AS unpriced`;

const TOTAL_SQL = `SELECT ${SUMS} FROM usage u`;
const BY_TASK_SQL = `SELECT u.task_id AS task_id, coalesce(t.title, '') AS title, ${SUMS}
  FROM usage u LEFT JOIN tasks t ON t.id = u.task_id WHERE u.task_id IS NOT NULL GROUP BY u.task_id ORDER BY cost DESC, u.task_id`;
const BY_RUN_SQL = `SELECT u.run_id AS run_id, coalesce(r.started_at, min(u.at)) AS started_at, coalesce(r.status, 'unknown') AS status, ${SUMS}
  FROM usage u LEFT JOIN runs r ON r.id = u.run_id WHERE u.run_id IS NOT NULL GROUP BY u.run_id ORDER BY started_at DESC, u.run_id`;
const BY_MODEL_SQL = `SELECT coalesce(u.model, 'unknown') AS model, ${SUMS} FROM usage u GROUP BY coalesce(u.model, 'unknown') ORDER BY cost DESC, model`;

/** Reads the usage table grouped for the Usage view (read-only; the store's repository has only per-scope totals). */
export function readUsageSummary(db: SqliteDatabase): UsageSummary {
  const total = db.prepare<[], SumRow>(TOTAL_SQL).get();
  const byTask = db.prepare<[], SumRow & { task_id: string; title: string }>(BY_TASK_SQL).all();
  const byRun = db.prepare<[], SumRow & { run_id: string; started_at: number; status: string }>(BY_RUN_SQL).all();
  const byModel = db.prepare<[], SumRow & { model: string }>(BY_MODEL_SQL).all();
  return {
    total: line(total),
    byTask: byTask.map((row) => ({ ...line(row), taskId: row.task_id, title: row.title })),
    byRun: byRun.map((row) => ({ ...line(row), runId: row.run_id, startedAt: row.started_at, status: row.status })),
    byModel: byModel.map((row) => ({ ...line(row), model: row.model })),
  };
}

function line(row: SumRow | undefined): UsageSummary['total'] {
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
