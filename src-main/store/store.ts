import { AttemptCommentRepository } from './attempt-comment-repository';
import { AttemptRepository } from './attempt-repository';
import { openDatabase, type OpenDatabaseOptions, type SqliteDatabase } from './database';
import { DependencyRepository } from './dependency-repository';
import { DiscoveryRepository } from './discovery-repository';
import { FeedbackRepository } from './feedback-repository';
import { IntegrationRepository } from './integration-repository';
import { LessonRepository } from './lesson-repository';
import { BatchedLogWriter, LogEventRepository } from './log-event-repository';
import { MetaRepository } from './meta-repository';
import { RunRepository } from './run-repository';
import { RunSummaryRepository } from './run-summary-repository';
import { TaskHoldRepository } from './task-hold-repository';
import { TaskLeaseRepository } from './task-lease-repository';
import { TaskRepository } from './task-repository';
import { UsageRepository } from './usage-repository';

/** One open project database with a repository per table. */
export class Store {
  readonly tasks: TaskRepository;
  readonly leases: TaskLeaseRepository;
  /** A person's hold on a task while they drive its session in a terminal. */
  readonly holds: TaskHoldRepository;
  readonly dependencies: DependencyRepository;
  readonly runs: RunRepository;
  readonly integrations: IntegrationRepository;
  readonly attempts: AttemptRepository;
  readonly logEvents: LogEventRepository;
  readonly logWriter: BatchedLogWriter;
  readonly discoveries: DiscoveryRepository;
  readonly usage: UsageRepository;
  readonly meta: MetaRepository;
  readonly feedback: FeedbackRepository;
  readonly lessons: LessonRepository;
  readonly runSummaries: RunSummaryRepository;
  /** The user's line comments on attempts' diffs. */
  readonly attemptComments: AttemptCommentRepository;
  /** Number of write transactions run through `write`, for benchmarks. */
  writeTransactions = 0;

  private constructor(readonly db: SqliteDatabase) {
    this.tasks = new TaskRepository(db);
    this.leases = new TaskLeaseRepository(db);
    this.holds = new TaskHoldRepository(db);
    this.dependencies = new DependencyRepository(db);
    this.runs = new RunRepository(db);
    this.integrations = new IntegrationRepository(db);
    this.attempts = new AttemptRepository(db);
    this.logEvents = new LogEventRepository(db);
    this.logWriter = new BatchedLogWriter(this.logEvents);
    this.discoveries = new DiscoveryRepository(db);
    this.usage = new UsageRepository(db);
    this.meta = new MetaRepository(db);
    this.feedback = new FeedbackRepository(db);
    this.lessons = new LessonRepository(db);
    this.runSummaries = new RunSummaryRepository(db);
    this.attemptComments = new AttemptCommentRepository(db);
  }

  /** Opens (or creates and migrates) the database file. */
  static open(file: string, options?: OpenDatabaseOptions): Store {
    return new Store(openDatabase(file, options));
  }

  /** Runs `work` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so two processes serialise cleanly. */
  write<T>(work: () => T): T {
    this.writeTransactions += 1;
    return this.db.transaction(work).immediate();
  }

  /** SQLite's `data_version`: it changes when another connection (another process) commits to the database, never for this one's own writes. */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Runs `work` in a read transaction (a consistent snapshot). */
  read<T>(work: () => T): T {
    return this.db.transaction(work).deferred();
  }

  /** Flushes buffered logs and closes the connection. */
  close(): void {
    if (!this.db.open) return;
    this.logWriter.flush();
    this.db.close();
  }
}
