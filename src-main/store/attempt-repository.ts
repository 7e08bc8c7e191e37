import type { Statement } from 'better-sqlite3';
import type { Attempt, AttemptStage, AttemptStatus } from '../../src-shared/domain/attempt';
import type { ErrorClass } from '../../src-shared/domain/error-class';
import type { Usage } from '../../src-shared/domain/usage';
import type { SqliteDatabase } from './database';

interface AttemptRow {
  readonly id: string;
  readonly task_id: string;
  readonly run_id: string | null;
  readonly number: number;
  readonly status: string;
  readonly backend: string;
  readonly worker_owner: string;
  readonly session_id: string | null;
  readonly working_directory: string | null;
  readonly worktree: string | null;
  readonly branch: string | null;
  readonly commit_before: string | null;
  readonly commit_after: string | null;
  readonly exit_code: number | null;
  readonly output: string | null;
  readonly error_class: string | null;
  readonly error_message: string | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
  readonly cost_usd: number;
  readonly review: string | null;
  readonly stage: string | null;
  readonly work_commit: string | null;
  readonly started_at: number;
  readonly finished_at: number | null;
}

function attemptFromRow(row: AttemptRow): Attempt {
  return {
    id: row.id,
    taskId: row.task_id,
    runId: row.run_id,
    number: row.number,
    status: row.status as AttemptStatus,
    backend: row.backend,
    workerOwner: row.worker_owner,
    sessionId: row.session_id,
    workingDirectory: row.working_directory,
    worktree: row.worktree,
    branch: row.branch,
    commitBefore: row.commit_before,
    commitAfter: row.commit_after,
    exitCode: row.exit_code,
    output: row.output,
    errorClass: row.error_class as ErrorClass | null,
    errorMessage: row.error_message,
    usage: {
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      cacheCreationInputTokens: row.cache_creation_input_tokens,
      cacheReadInputTokens: row.cache_read_input_tokens,
    },
    costUsd: row.cost_usd,
    review: row.review,
    stage: row.stage as AttemptStage | null,
    workCommit: row.work_commit,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** Workspace facts an attempt's lifecycle reports (all optional). */
export interface AttemptWorkspace {
  readonly workingDirectory?: string | null;
  readonly worktree?: string | null;
  readonly branch?: string | null;
  readonly commitBefore?: string | null;
  readonly commitAfter?: string | null;
  /** The attempt's own commit (its work on its branch, before any merge). */
  readonly workCommit?: string | null;
}

/** How an attempt ended, as stored. */
export interface AttemptEnd {
  readonly status: Exclude<AttemptStatus, 'running'>;
  readonly sessionId?: string | null;
  readonly exitCode?: number | null;
  readonly output?: string | null;
  readonly errorClass?: ErrorClass | null;
  readonly errorMessage?: string | null;
  readonly usage?: Usage;
  readonly costUsd?: number;
  readonly review?: string | null;
}

/** The process group an attempt started (migration 003), with what a restart needs to decide whether to kill it. */
export interface AttemptProcessRecord {
  readonly attemptId: string;
  readonly taskId: string;
  readonly status: AttemptStatus;
  readonly workerOwner: string;
  readonly pid: number;
  readonly processGroup: number;
  readonly startTime: string | null;
}

/** The attempts table. */
export class AttemptRepository {
  private readonly insertStatement: Statement;
  private readonly finishStatement: Statement;
  private readonly getStatement: Statement<[string], AttemptRow>;
  private readonly workspaceStatement: Statement;

  constructor(private readonly db: SqliteDatabase) {
    this.insertStatement = db.prepare(`INSERT INTO attempts (id, task_id, run_id, number, status, backend, worker_owner, started_at)
      VALUES (@id, @taskId, @runId, @number, 'running', @backend, @workerOwner, @now)`);
    this.finishStatement = db.prepare(`UPDATE attempts SET status = @status, session_id = coalesce(@sessionId, session_id),
      exit_code = @exitCode, output = @output, error_class = @errorClass, error_message = @errorMessage,
      input_tokens = @inputTokens, output_tokens = @outputTokens, cache_creation_input_tokens = @cacheCreation,
      cache_read_input_tokens = @cacheRead, cost_usd = @costUsd, review = coalesce(@review, review), finished_at = @now
      WHERE id = @id AND status = 'running'`);
    this.getStatement = db.prepare('SELECT * FROM attempts WHERE id = ?');
    this.workspaceStatement = db.prepare(`UPDATE attempts SET working_directory = coalesce(@workingDirectory, working_directory),
      worktree = coalesce(@worktree, worktree), branch = coalesce(@branch, branch),
      commit_before = coalesce(@commitBefore, commit_before), commit_after = coalesce(@commitAfter, commit_after),
      work_commit = coalesce(@workCommit, work_commit) WHERE id = @id`);
  }

  /** Records the start of an attempt. */
  insert(attempt: { id: string; taskId: string; runId: string | null; number: number; backend: string; workerOwner: string }, now: number): void {
    this.insertStatement.run({ ...attempt, now });
  }

  /** Records where the attempt works (worktree, branch, commits). */
  setWorkspace(id: string, workspace: AttemptWorkspace): void {
    this.workspaceStatement.run({
        id,
        workingDirectory: workspace.workingDirectory ?? null,
        worktree: workspace.worktree ?? null,
        branch: workspace.branch ?? null,
        commitBefore: workspace.commitBefore ?? null,
        commitAfter: workspace.commitAfter ?? null,
        workCommit: workspace.workCommit ?? null,
      });
  }

  /** Records how a running attempt ended; false if it had already ended. */
  finish(id: string, end: AttemptEnd, now: number): boolean {
    const usage = end.usage;
    return (
      this.finishStatement.run({
        id,
        status: end.status,
        sessionId: end.sessionId ?? null,
        exitCode: end.exitCode ?? null,
        output: end.output ?? null,
        errorClass: end.errorClass ?? null,
        errorMessage: end.errorMessage ?? null,
        inputTokens: usage?.inputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        cacheCreation: usage?.cacheCreationInputTokens ?? 0,
        cacheRead: usage?.cacheReadInputTokens ?? 0,
        costUsd: end.costUsd ?? 0,
        review: end.review ?? null,
        now,
      }).changes === 1
    );
  }

  /** Records the pipeline stage a running attempt has reached. */
  setStage(id: string, stage: AttemptStage): void {
    this.db.prepare("UPDATE attempts SET stage = ? WHERE id = ?").run(stage, id);
  }

  /** Marks running attempts whose lease was lost as interrupted. */
  interrupt(ids: ReadonlyArray<string>, reason: string, now: number): void {
    for (const id of ids) this.finish(id, { status: 'interrupted', errorMessage: reason }, now);
  }

  /** Records the process group the attempt's agent runs in (the latest one, when an attempt starts several). */
  setProcess(id: string, process: { readonly pid: number; readonly processGroup: number; readonly startTime: string | null }): void {
    this.db
      .prepare('UPDATE attempts SET process_pid = ?, process_group = ?, process_started = ? WHERE id = ?')
      .run(process.pid, process.processGroup, process.startTime, id);
  }

  /** Recorded process groups of attempts that did not end cleanly (running or interrupted): where orphans can be. */
  listUnfinishedProcesses(): ReadonlyArray<AttemptProcessRecord> {
    return this.db
      .prepare<[], { id: string; task_id: string; status: string; worker_owner: string; process_pid: number; process_group: number | null; process_started: string | null }>(
        `SELECT id, task_id, status, worker_owner, process_pid, process_group, process_started FROM attempts
         WHERE process_pid IS NOT NULL AND status IN ('running', 'interrupted')`,
      )
      .all()
      .map((row) => ({
        attemptId: row.id,
        taskId: row.task_id,
        status: row.status as AttemptStatus,
        workerOwner: row.worker_owner,
        pid: row.process_pid,
        processGroup: row.process_group ?? row.process_pid,
        startTime: row.process_started,
      }));
  }

  /** One attempt, or undefined. */
  get(id: string): Attempt | undefined {
    const row = this.getStatement.get(id);
    return row ? attemptFromRow(row) : undefined;
  }

  /** Attempts of a task, oldest first. */
  listForTask(taskId: string): ReadonlyArray<Attempt> {
    return this.db
      .prepare<[string], AttemptRow>('SELECT * FROM attempts WHERE task_id = ? ORDER BY number, started_at')
      .all(taskId)
      .map(attemptFromRow);
  }

  /** Attempts of a run, oldest first. */
  listForRun(runId: string): ReadonlyArray<Attempt> {
    return this.db
      .prepare<[string], AttemptRow>('SELECT * FROM attempts WHERE run_id = ? ORDER BY started_at, number')
      .all(runId)
      .map(attemptFromRow);
  }
}
