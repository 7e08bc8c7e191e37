import type { CostKind } from '../../src-shared/domain/usage';
import type { ErrorClass } from '../../src-shared/domain/error-class';
import type { WorkerLesson } from '../../src-shared/domain/feedback';
import type { Usage } from '../../src-shared/domain/usage';

/**
 * The one interface every worker backend implements: the in-process test backend, the
 * Claude Code CLI backend and the API agent loop. Nothing here assumes a local process, so a
 * remote or queued backend can implement it later (DESIGN.md "Later, on paper").
 */
export interface WorkerBackend {
  /** Stable name recorded on each attempt, e.g. 'claude-cli', 'api', 'in-process'. */
  readonly name: string;
  /** What its cost figures are (default 'billed'): Claude Code on a subscription login only estimates them. */
  readonly costKind?: CostKind;
  /** Runs one attempt of one task. Must resolve (never reject) with an outcome; must stop promptly when `input.signal` aborts. */
  runAttempt(input: AttemptInput, io: AttemptIO): Promise<AttemptOutcome>;
}

/** What a worker needs to know about its task; a self-contained copy, not the stored row. */
export interface WorkerTaskContext {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly details: string;
  readonly acceptanceCriteria: ReadonlyArray<string>;
  readonly testStrategy: string;
  readonly contextFiles: ReadonlyArray<string>;
  readonly hints: ReadonlyArray<string>;
  /** Discoveries from earlier tasks that share tags or files with this one. */
  readonly relevantDiscoveries: ReadonlyArray<Discovery>;
  /** Lessons from recurring feedback of earlier work (failed checks, conflicting files, …), each with its source; bounded. */
  readonly lessons?: ReadonlyArray<WorkerLesson>;
  /** Reviewer feedback from a previous attempt that was sent back with "request changes". */
  readonly reviewFeedback?: string;
}

/** Input of one attempt. */
export interface AttemptInput {
  readonly attemptId: string;
  readonly runId: string;
  readonly task: WorkerTaskContext;
  /** Folder the worker works in: the attempt's git worktree, or the project folder without git. */
  readonly workingDirectory: string;
  readonly model: string;
  readonly maxTurns?: number;
  readonly timeoutMs: number;
  /** Aborted on timeout or cancellation; the backend must kill everything it started. */
  readonly signal: AbortSignal;
  /**
   * False when the caller reads the files changed from the attempt's commit: the backend need not
   * find them by scanning the working directory (two scans of a whole checkout per attempt).
   */
  readonly scanFileChanges?: boolean;
}

/** A finding a worker reports for later tasks. */
export interface Discovery {
  readonly summary: string;
  readonly details?: string;
  readonly tags: ReadonlyArray<string>;
  readonly files: ReadonlyArray<string>;
}

/** One structured event of an attempt, stored in log_events and streamed to the UI. */
export interface AttemptLogEvent {
  /** e.g. 'system', 'assistant.text', 'tool_use', 'tool_result', 'result', 'stderr', 'unknown' */
  readonly kind: string;
  readonly text: string;
  /** The raw event as the backend received it, kept for the log view and debugging. */
  readonly data?: unknown;
}

/** Channels a backend reports through while it runs. */
export interface AttemptIO {
  log(event: AttemptLogEvent): void;
  discovery(discovery: Discovery): void;
  /** Usage so far, for live cost display and rate-limit thresholds. */
  usage?(usage: Usage, costUsd: number): void;
  /** Ask the pool to pause until a time (rate limits); the attempt itself then ends as a transient failure. */
  rateLimited?(resetAt: Date, reason: string): void;
  /** A local process group was started for this attempt; recorded so a restart can kill it if its owner died. */
  processStarted?(info: AgentProcessInfo): void;
}

/** A process group an attempt started: its leader's pid (= the group id when spawned detached) and start time. */
export interface AgentProcessInfo {
  readonly pid: number;
  readonly processGroup: number;
  /** Start time token of the leader (src-main/process/process-identity.ts), or null where unknown. */
  readonly startTime: string | null;
}

/** How an attempt ended. */
export type AttemptOutcome =
  | (AttemptOutcomeCommon & { readonly status: 'succeeded'; readonly output: string })
  | (AttemptOutcomeCommon & { readonly status: 'failed'; readonly error: AttemptError })
  | (AttemptOutcomeCommon & { readonly status: 'cancelled' });

/** Fields every outcome carries. */
export interface AttemptOutcomeCommon {
  readonly filesModified: ReadonlyArray<string>;
  readonly filesCreated: ReadonlyArray<string>;
  readonly discoveries: ReadonlyArray<Discovery>;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly sessionId?: string;
  readonly subtasksCreated?: ReadonlyArray<{ readonly title: string; readonly description: string }>;
}

/** A classified failure; `message` is already redacted and says what the user can do. */
export interface AttemptError {
  readonly errorClass: ErrorClass;
  readonly message: string;
  /** For transient errors such as 429: when to try again, if the server said. */
  readonly retryAfterMs?: number;
  /**
   * The environment is broken for every task, not just this one (no `claude` on the machine,
   * authentication refused): the run stops once with this message instead of failing each task in turn.
   */
  readonly stopsRun?: boolean;
}
