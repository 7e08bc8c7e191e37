import type { RunFinishing } from '../../../src-shared/domain/run-finishing';
import type { Attempt, EventPayload, Run } from '../../../src-shared/rpc/contract';
import { LogRingBuffer, type LogLine } from './log-buffer';

/** A worker lane: one attempt, running or finished during this run. */
export interface Lane {
  readonly attempt: Attempt;
  readonly running: boolean;
}

/** The latest `run.progress` of the project. */
export type RunProgress = Omit<EventPayload<'run.progress'>, 'project'>;

/** What the Run view shows live, replaced as a whole whenever something changes. */
export interface LiveRunSnapshot {
  readonly progress: RunProgress | null;
  readonly lanes: ReadonlyArray<Lane>;
  readonly paused: { readonly until: number; readonly reason: string } | null;
  readonly lastRun: Run | null;
  /** The step of the finish stage in progress (merge, final review, summary); null when none is. */
  readonly finishing: RunFinishing | null;
  /** Bumped whenever log lines arrive; read the lines from `logs`. */
  readonly logVersion: number;
}

const EMPTY: LiveRunSnapshot = { progress: null, lanes: [], paused: null, lastRun: null, finishing: null, logVersion: 0 };

/** An attempt running when the view opened, with the newest lines of its stored log (oldest first). */
export interface SeedAttempt {
  readonly attempt: Attempt;
  readonly lines: ReadonlyArray<Omit<LogLine, 'taskId'>>;
}

/** What the host reported running when the view opened (runs.status and attempts.logs). */
export interface LiveRunSeed {
  readonly run: Run | null;
  readonly attempts: ReadonlyArray<SeedAttempt>;
  /** The finish stage in progress when the view opened (absent: not asked). */
  readonly finishing?: RunFinishing | null;
}

/**
 * Collects a project's pushed run events (progress, worker lanes, logs, pauses) outside
 * React, and tells subscribers at most every `batchMs`, so thousands of log lines a second
 * cause a handful of renders.
 */
export class LiveRunStore {
  readonly logs: LogRingBuffer;
  private snapshot: LiveRunSnapshot = EMPTY;
  private draft: { -readonly [K in keyof LiveRunSnapshot]: LiveRunSnapshot[K] } = { ...EMPTY };
  private lanes = new Map<string, Lane>();
  /** Newest log seq taken per attempt: a line seen both stored and pushed is kept once. */
  private readonly lastSeq = new Map<string, number>();
  /** Pushed lines held back while a seed is on its way, so stored lines go first and the order stays right. */
  private held: LogLine[] | null = null;
  /** Whether a finish step was pushed since the seed was asked for: it is newer than the seed's. */
  private finishHeard = false;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    logs: LogRingBuffer = new LogRingBuffer(),
    private readonly batchMs = 80,
  ) {
    this.logs = logs;
  }

  /** For useSyncExternalStore. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For useSyncExternalStore: the same object until something changes. */
  readonly getSnapshot = (): LiveRunSnapshot => this.snapshot;

  /** A new run: lanes and logs of the previous one are dropped. */
  runStarted(run: Run): void {
    this.lanes = new Map([...this.lanes].filter(([, lane]) => lane.running));
    this.logs.clear();
    for (const attemptId of [...this.lastSeq.keys()]) if (!this.lanes.has(attemptId)) this.lastSeq.delete(attemptId);
    this.draft.lastRun = run;
    this.draft.progress = null;
    this.draft.finishing = null;
    this.draft.logVersion += 1;
    this.changed();
  }

  runFinished(run: Run): void {
    this.draft.lastRun = run;
    this.changed();
  }

  /** The finish stage moved on; 'done' ends it (the summary, if stored, has been pushed by then). */
  finishStep(finishing: RunFinishing): void {
    this.finishHeard = true;
    this.draft.finishing = finishing.step === 'done' ? null : finishing;
    this.changed();
  }

  progress(progress: RunProgress): void {
    this.draft.progress = progress;
    this.changed();
  }

  attemptStarted(attempt: Attempt): void {
    this.lanes.set(attempt.id, { attempt, running: true });
    this.changed();
  }

  /** A running attempt entered a pipeline stage (verify, review, integrate…). */
  attemptStage(attempt: Attempt): void {
    if (this.lanes.get(attempt.id)?.running !== true) return;
    this.lanes.set(attempt.id, { attempt, running: true });
    this.changed();
  }

  attemptFinished(attempt: Attempt): void {
    this.lanes.set(attempt.id, { attempt, running: false });
    this.changed();
  }

  log(line: LogLine): void {
    if (this.held !== null) {
      this.held.push(line);
      // A seed that takes this long is given up on; its stored lines older than these are then skipped.
      if (this.held.length >= this.logs.overall) this.releaseHeld();
      return;
    }
    if (!this.take(line)) return;
    this.draft.logVersion += 1;
    this.changed();
  }

  /** A seed is being fetched: pushed log lines wait until `seed` (or `seedFailed`) so they follow the stored ones. */
  beginSeed(): void {
    this.held ??= [];
    this.finishHeard = false;
  }

  /**
   * Fills in what a view opened mid-run missed: a lane for each running attempt not heard of
   * yet (a lane already known from events is newer, so it wins), its stored lines, then the
   * lines pushed meanwhile, each line once.
   */
  seed(seed: LiveRunSeed): void {
    this.draft.lastRun ??= seed.run;
    if (!this.finishHeard && seed.finishing !== undefined) this.draft.finishing = seed.finishing;
    for (const { attempt, lines } of seed.attempts) {
      if (!this.lanes.has(attempt.id)) this.lanes.set(attempt.id, { attempt, running: true });
      for (const line of lines) this.take({ ...line, taskId: attempt.taskId });
    }
    this.releaseHeld();
  }

  /** The seed could not be fetched: the lines pushed meanwhile are shown as they are. */
  seedFailed(): void {
    this.releaseHeld();
  }

  paused(until: number, reason: string): void {
    this.draft.paused = { until, reason };
    this.changed();
  }

  resumed(): void {
    this.draft.paused = null;
    this.changed();
  }

  /** Publishes pending changes now (tests, and the end of a batch). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.snapshot = { ...this.draft, lanes: [...this.lanes.values()] };
    for (const listener of [...this.listeners]) listener();
  }

  /** Stops a pending batch (when the project closes). */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private releaseHeld(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const line of held) this.take(line);
    this.draft.logVersion += 1;
    this.changed();
  }

  /** Adds a line unless its attempt already has it (or a newer one); true when added. */
  private take(line: LogLine): boolean {
    if (line.seq <= (this.lastSeq.get(line.attemptId) ?? 0)) return false;
    this.lastSeq.set(line.attemptId, line.seq);
    this.logs.push(line);
    return true;
  }

  private changed(): void {
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.batchMs);
  }
}
