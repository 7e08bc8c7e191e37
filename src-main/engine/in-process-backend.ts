import { ZERO_USAGE } from '../../src-shared/domain/usage';
import type { AttemptError, AttemptInput, AttemptIO, AttemptOutcome, Discovery, WorkerBackend } from './worker-backend';

/** What a scripted in-process attempt does; every field optional. */
export interface InProcessStep {
  /** Simulated work time in ms (0 = finish in the same tick chain). */
  readonly durationMs?: number;
  /** Fail with this error instead of succeeding. */
  readonly error?: AttemptError;
  readonly output?: string;
  readonly logs?: ReadonlyArray<string>;
  readonly discoveries?: ReadonlyArray<Discovery>;
  readonly filesModified?: ReadonlyArray<string>;
  readonly subtasksCreated?: ReadonlyArray<{ readonly title: string; readonly description: string }>;
  /** Ignore the abort signal (to test the engine's grace period). */
  readonly ignoreAbort?: boolean;
}

/** Decides, per attempt, what the in-process backend does. */
export type InProcessScript = (input: AttemptInput) => InProcessStep | Promise<InProcessStep>;

const EMPTY = { filesModified: [], filesCreated: [], discoveries: [], usage: ZERO_USAGE, costUsd: 0 } as const;

/** A worker backend that runs in this process, for tests and benchmarks: instant or timed, scripted per attempt. */
export class InProcessBackend implements WorkerBackend {
  readonly name = 'in-process';

  constructor(private readonly script: InProcessScript = () => ({})) {}

  /** Runs one scripted attempt; resolves 'cancelled' promptly when aborted. */
  async runAttempt(input: AttemptInput, io: AttemptIO): Promise<AttemptOutcome> {
    let step: InProcessStep;
    try {
      step = await this.script(input);
    } catch (error) {
      return { ...EMPTY, status: 'failed', error: { errorClass: 'permanent', message: `script failed: ${String(error)}` } };
    }
    for (const text of step.logs ?? []) io.log({ kind: 'assistant.text', text });
    for (const discovery of step.discoveries ?? []) io.discovery(discovery);
    if (step.durationMs && step.durationMs > 0) {
      const finished = await wait(step.durationMs, step.ignoreAbort ? undefined : input.signal);
      if (!finished) return { ...EMPTY, status: 'cancelled' };
    }
    if (input.signal.aborted && !step.ignoreAbort) return { ...EMPTY, status: 'cancelled' };
    const common = {
      ...EMPTY,
      filesModified: step.filesModified ?? [],
      discoveries: step.discoveries ?? [],
      ...(step.subtasksCreated ? { subtasksCreated: step.subtasksCreated } : {}),
    };
    if (step.error) return { ...common, status: 'failed', error: step.error };
    return { ...common, status: 'succeeded', output: step.output ?? `done: ${input.task.title}` };
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
