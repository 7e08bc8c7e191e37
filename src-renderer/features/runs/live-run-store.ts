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
  /** Bumped whenever log lines arrive; read the lines from `logs`. */
  readonly logVersion: number;
}

const EMPTY: LiveRunSnapshot = { progress: null, lanes: [], paused: null, lastRun: null, logVersion: 0 };

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
    this.draft.lastRun = run;
    this.draft.progress = null;
    this.draft.logVersion += 1;
    this.changed();
  }

  runFinished(run: Run): void {
    this.draft.lastRun = run;
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

  attemptFinished(attempt: Attempt): void {
    this.lanes.set(attempt.id, { attempt, running: false });
    this.changed();
  }

  log(line: LogLine): void {
    this.logs.push(line);
    this.draft.logVersion += 1;
    this.changed();
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

  private changed(): void {
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.batchMs);
  }
}
