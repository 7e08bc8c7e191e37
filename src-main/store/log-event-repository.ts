import type { Statement } from 'better-sqlite3';
import type { StoredLogEvent } from '../../src-shared/domain/attempt';
import type { SqliteDatabase } from './database';

/** A log event waiting to be written. */
export interface LogEventInsert {
  readonly attemptId: string;
  readonly seq: number;
  readonly at: number;
  readonly kind: string;
  readonly text: string;
  readonly data?: unknown;
}

interface LogEventRow {
  readonly id: number;
  readonly attempt_id: string;
  readonly seq: number;
  readonly at: number;
  readonly kind: string;
  readonly text: string;
  readonly data: string | null;
}

/** The append-only log_events table (a trigger refuses updates). */
export class LogEventRepository {
  private readonly insertStatement: Statement;

  constructor(private readonly db: SqliteDatabase) {
    this.insertStatement = db.prepare('INSERT INTO log_events (attempt_id, seq, at, kind, text, data) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** Appends events in one transaction. */
  append(events: ReadonlyArray<LogEventInsert>): void {
    if (events.length === 0) return;
    this.db.transaction(() => {
      for (const event of events) {
        this.insertStatement.run(
          event.attemptId,
          event.seq,
          event.at,
          event.kind,
          event.text,
          event.data === undefined ? null : safeJson(event.data),
        );
      }
    })();
  }

  /** Events of an attempt in order, optionally after a sequence number (for tailing). */
  listForAttempt(attemptId: string, afterSeq = -1, limit = 10_000): ReadonlyArray<StoredLogEvent> {
    return this.db
      .prepare<[string, number, number], LogEventRow>(
        'SELECT * FROM log_events WHERE attempt_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .all(attemptId, afterSeq, limit)
      .map(storedLogEventOf);
  }

  /** The newest `limit` events of an attempt after `afterSeq`, oldest first: the end of a long log, for a view opened mid-attempt. */
  listLatestForAttempt(attemptId: string, afterSeq = -1, limit = 10_000): ReadonlyArray<StoredLogEvent> {
    return this.db
      .prepare<[string, number, number], LogEventRow>(
        'SELECT * FROM (SELECT * FROM log_events WHERE attempt_id = ? AND seq > ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
      )
      .all(attemptId, afterSeq, limit)
      .map(storedLogEventOf);
  }
}

function storedLogEventOf(row: LogEventRow): StoredLogEvent {
  return {
    id: row.id,
    attemptId: row.attempt_id,
    seq: row.seq,
    at: row.at,
    kind: row.kind,
    text: row.text,
    data: row.data === null ? null : (JSON.parse(row.data) as unknown),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return JSON.stringify(String(value));
  }
}

/** Buffers log events and writes them in batches (by count or after a short delay), so chatty workers cost few transactions. */
export class BatchedLogWriter {
  private buffer: LogEventInsert[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: LogEventRepository,
    private readonly maxBatch = 200,
    private readonly maxDelayMs = 100,
  ) {}

  /** Queues one event. */
  push(event: LogEventInsert): void {
    this.buffer.push(event);
    if (this.buffer.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  /** Writes everything queued now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.repository.append(batch);
  }
}
