import type { FeedbackKind } from '../../src-shared/domain/feedback';
import type { Insights } from '../../src-shared/rpc/contract';
import type { SqliteDatabase } from '../store/database';
import { parseStringArray } from '../store/json-columns';

/** Feedback kinds that are failures (the rest are approvals, pauses and the user's edits). */
const FAILURE_KINDS: ReadonlyArray<FeedbackKind> = ['check', 'conflict', 'error', 'review', 'final_review', 'user_verdict', 'rollback'];
/** Rows of each list of the report. */
const TOP = 15;

interface CauseRow {
  readonly kind: FeedbackKind;
  readonly cause: string;
  readonly count: number;
  readonly tasks: string;
  readonly runs: number;
  readonly last_at: number;
}

/** An attempt is a success when it was merged as it was: succeeded, no error, approved or not reviewed. */
const SUCCESS = `a.status = 'succeeded' AND a.error_message IS NULL AND coalesce(a.review, 'approve') = 'approve'`;
/** The model of an attempt, from its usage record. */
const MODEL = `coalesce((SELECT u.model FROM usage u WHERE u.attempt_id = a.id AND u.model IS NOT NULL LIMIT 1), 'unknown')`;
/** Each task's first attempt (the lowest number; the earliest start among equals). */
const FIRST_ATTEMPTS = `SELECT a.*, ${MODEL} AS model, (SELECT json_array_length(t.acceptance) FROM tasks t WHERE t.id = a.task_id) AS criteria
  FROM attempts a WHERE a.status != 'running' AND NOT EXISTS (
    SELECT 1 FROM attempts b WHERE b.task_id = a.task_id AND (b.number < a.number OR (b.number = a.number AND b.started_at < a.started_at)))`;

/**
 * Seed 003's FeedbackAnalyzer as a report (read-only SQL over feedback, attempts, usage and tasks):
 * recurring failure causes (by check, error shape, verdict), the files and areas most involved in
 * failures, first-attempt success rates by model and by task size, cost per successful task,
 * the tasks that needed the most attempts, and the files that conflict most.
 */
export function readInsights(db: SqliteDatabase): Insights {
  const failures = `SELECT * FROM feedback WHERE kind IN (SELECT value FROM json_each(?)) AND NOT (kind IN ('review', 'user_verdict') AND cause = 'approve')`;
  const kinds = JSON.stringify(FAILURE_KINDS);
  const causes = db
    .prepare<[string], CauseRow>(`SELECT kind, cause, count(*) AS count, json_group_array(DISTINCT task_id) AS tasks, count(DISTINCT run_id) AS runs, max(created_at) AS last_at
      FROM (${failures}) GROUP BY kind, cause ORDER BY count DESC, last_at DESC LIMIT ${TOP}`)
    .all(kinds)
    .map((row) => {
      const top = db
        .prepare<[string, string, string], { detail: string; n: number }>(`SELECT detail, count(*) AS n FROM (${failures}) WHERE kind = ? AND cause = ? GROUP BY detail ORDER BY n DESC, max(id) DESC LIMIT 1`)
        .get(kinds, row.kind, row.cause);
      return {
        kind: row.kind,
        cause: row.cause,
        count: row.count,
        tasks: parseStringArray(row.tasks).filter((task) => task !== 'null'),
        runs: row.runs,
        topDetail: top?.detail ?? '',
        topDetailCount: top?.n ?? 0,
        lastAt: row.last_at,
      };
    });
  const fileRows = db.prepare<[string], { file: string; failures: number }>(`SELECT f.value AS file, count(*) AS failures FROM (${failures}) x, json_each(x.files) f GROUP BY f.value ORDER BY failures DESC, file LIMIT 200`).all(kinds);
  const areas = new Map<string, number>();
  for (const row of fileRows) {
    const area = row.file.includes('/') ? `${row.file.split('/')[0] ?? ''}/` : '(project root)';
    areas.set(area, (areas.get(area) ?? 0) + row.failures);
  }
  const rate = (tasks: number, succeeded: number) => ({ tasks, succeeded, rate: tasks === 0 ? 0 : succeeded / tasks });
  const byModel = db
    .prepare<[], { model: string; tasks: number; succeeded: number }>(`SELECT model, count(*) AS tasks, sum(CASE WHEN ${SUCCESS} THEN 1 ELSE 0 END) AS succeeded FROM (${FIRST_ATTEMPTS}) a GROUP BY model ORDER BY tasks DESC`)
    .all()
    .map((row) => ({ model: row.model, ...rate(row.tasks, row.succeeded) }));
  const sizeRows = db
    .prepare<[], { size: 'small' | 'medium' | 'large'; tasks: number; succeeded: number }>(`SELECT CASE WHEN coalesce(criteria, 0) <= 2 THEN 'small' WHEN criteria <= 5 THEN 'medium' ELSE 'large' END AS size,
      count(*) AS tasks, sum(CASE WHEN ${SUCCESS} THEN 1 ELSE 0 END) AS succeeded FROM (${FIRST_ATTEMPTS}) a GROUP BY size`)
    .all();
  const bySize = (['small', 'medium', 'large'] as const).flatMap((size) => {
    const row = sizeRows.find((candidate) => candidate.size === size);
    return row === undefined ? [] : [{ size, ...rate(row.tasks, row.succeeded) }];
  });
  const perTask = (done: number, cost: number) => ({ doneTasks: done, costUsd: cost, perTask: done === 0 ? null : cost / done });
  const overall = db.prepare<[], { done: number; cost: number | null }>(`SELECT (SELECT count(*) FROM tasks WHERE status = 'done') AS done, (SELECT sum(cost_usd) FROM usage) AS cost`).get();
  const costByModel = db
    .prepare<[], { model: string; done: number; cost: number }>(`SELECT ${MODEL} AS model, count(DISTINCT CASE WHEN t.status = 'done' AND ${SUCCESS} THEN a.task_id END) AS done, sum(a.cost_usd) AS cost
      FROM attempts a JOIN tasks t ON t.id = a.task_id GROUP BY model ORDER BY cost DESC`)
    .all()
    .map((row) => ({ model: row.model, ...perTask(row.done, row.cost) }));
  const mostAttempts = db
    .prepare<[], { id: string; title: string; status: string; attempts: number; cost: number | null }>(`SELECT t.id, t.title, t.status, count(a.id) AS attempts, sum(a.cost_usd) AS cost
      FROM tasks t JOIN attempts a ON a.task_id = t.id GROUP BY t.id HAVING count(a.id) > 1 ORDER BY attempts DESC, cost DESC LIMIT ${TOP}`)
    .all()
    .map((row) => ({ taskId: row.id, title: row.title, status: row.status, attempts: row.attempts, costUsd: row.cost ?? 0 }));
  const conflictFiles = db
    .prepare<[], { file: string; conflicts: number }>(`SELECT f.value AS file, count(*) AS conflicts FROM feedback x, json_each(x.files) f WHERE x.kind = 'conflict' GROUP BY f.value ORDER BY conflicts DESC, file LIMIT ${TOP}`)
    .all();
  return {
    causes,
    files: fileRows.slice(0, TOP),
    areas: [...areas].map(([area, count]) => ({ area, failures: count })).sort((a, b) => b.failures - a.failures).slice(0, TOP),
    firstAttempt: { byModel, bySize },
    costPerSuccess: { overall: perTask(overall?.done ?? 0, overall?.cost ?? 0), byModel: costByModel },
    mostAttempts,
    conflictFiles,
    feedbackCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM feedback').get()?.n ?? 0,
  };
}
