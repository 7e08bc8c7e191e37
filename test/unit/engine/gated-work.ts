import type { InProcessScript, InProcessStep } from '../../../src-main/engine/in-process-backend';

/** When one attempt of a task ran, on a logical clock that ticks at every start, end and mark. */
export interface AttemptSpan {
  readonly taskId: string;
  readonly start: number;
  end: number | null;
}

/**
 * Work for the in-process backend that the test steers: a gated task's attempt runs until the
 * test releases it (or the attempt is aborted), others finish at once or after their step's
 * simulated work. Every attempt's span is recorded, so a test can say what ran at the same time.
 */
export class GatedWork {
  readonly spans: AttemptSpan[] = [];
  private clock = 0;
  private readonly gated = new Set<string>();
  private readonly open = new Map<string, () => void>();
  private readonly steps = new Map<string, InProcessStep[]>();
  private readonly waiters: Array<{ readonly ready: () => boolean; readonly resolve: () => void }> = [];

  /** Holds the attempts of these tasks until `release`. */
  gate(...taskIds: ReadonlyArray<string>): this {
    for (const id of taskIds) this.gated.add(id);
    return this;
  }

  /** What the next attempts of a task return, in order (then success). */
  script(taskId: string, ...steps: ReadonlyArray<InProcessStep>): this {
    this.steps.set(taskId, [...steps]);
    return this;
  }

  /** Lets the running attempt of a gated task finish, and its later attempts run straight through. */
  release(taskId: string): void {
    this.gated.delete(taskId);
    this.open.get(taskId)?.();
  }

  /** A tick of the clock, to place an outside event among the spans. */
  mark(): number {
    this.clock += 1;
    return this.clock;
  }

  /** Resolves once `count` attempts of the task have started. */
  started(taskId: string, count = 1): Promise<void> {
    return this.until(() => this.spansOf(taskId).length >= count);
  }

  /** Resolves once `count` attempts of the task have ended. */
  ended(taskId: string, count = 1): Promise<void> {
    return this.until(() => this.spansOf(taskId).filter((span) => span.end !== null).length >= count);
  }

  spansOf(taskId: string): ReadonlyArray<AttemptSpan> {
    return this.spans.filter((span) => span.taskId === taskId);
  }

  /** Whether some attempt of `a` was running while some attempt of `b` was. */
  ranTogether(a: string, b: string): boolean {
    return this.spansOf(a).some((x) => this.spansOf(b).some((y) => x.start < (y.end ?? Infinity) && y.start < (x.end ?? Infinity)));
  }

  /** Whether the task has an attempt running now. */
  isRunning(taskId: string): boolean {
    return this.spansOf(taskId).some((span) => span.end === null);
  }

  readonly backendScript: InProcessScript = async (input) => {
    const taskId = input.task.id;
    const span: AttemptSpan = { taskId, start: this.mark(), end: null };
    this.spans.push(span);
    this.settle();
    const step = this.steps.get(taskId)?.shift() ?? {};
    if (this.gated.has(taskId)) {
      await new Promise<void>((resolve) => {
        this.open.set(taskId, resolve);
        input.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      this.open.delete(taskId);
    }
    if (step.durationMs !== undefined && step.durationMs > 0) await simulatedWork(step.durationMs, input.signal);
    span.end = this.mark();
    this.settle();
    return { ...step, durationMs: 0 };
  };

  private until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.ready()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

/** The backend's simulated work time, cut short by an abort. */
function simulatedWork(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
