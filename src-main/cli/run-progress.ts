import type { TaskStatus } from '../../src-shared/domain/task-status';
import type { EngineEventBus } from '../engine/engine-events';

/** What the live display knows about a run. */
export interface RunProgressState {
  readonly counts: Readonly<Partial<Record<TaskStatus, number>>>;
  readonly total: number;
  /** One entry per busy worker: the task it runs and what it last said. */
  readonly workers: ReadonlyMap<string, { readonly taskId: string; readonly title: string; readonly lastLine: string; readonly startedAt: number }>;
  readonly costUsd: number;
  readonly pausedUntil: number | null;
}

const BAR_WIDTH = 30;

/** Renders the progress block: overall bar, then one line per worker (pure, for tests). */
export function renderProgress(state: RunProgressState, now: number, columns: number): string[] {
  const done = state.counts.done ?? 0;
  const failed = (state.counts.failed ?? 0) + (state.counts.blocked ?? 0);
  const fraction = state.total === 0 ? 0 : (done + failed) / state.total;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const lines = [
    `${bar} ${done}/${state.total} done${failed > 0 ? `, ${failed} failed/blocked` : ''} · ${state.workers.size} working · $${state.costUsd.toFixed(4)}`,
  ];
  if (state.pausedUntil !== null && state.pausedUntil > now) {
    lines.push(`⏸ rate limited: paused for ${Math.ceil((state.pausedUntil - now) / 1000)} s`);
  }
  for (const worker of [...state.workers.values()].sort((a, b) => a.startedAt - b.startedAt)) {
    const seconds = Math.floor((now - worker.startedAt) / 1000);
    const line = `  ▸ ${worker.taskId} ${worker.title} (${seconds}s) ${worker.lastLine.replace(/\s+/g, ' ')}`;
    lines.push(line.length > columns ? `${line.slice(0, Math.max(0, columns - 1))}…` : line);
  }
  return lines;
}

/** Follows the engine's events into a RunProgressState. */
export class RunProgressTracker {
  private counts: Partial<Record<TaskStatus, number>> = {};
  private total = 0;
  private readonly workers = new Map<string, { taskId: string; title: string; lastLine: string; startedAt: number }>();
  private costUsd = 0;
  private pausedUntil: number | null = null;

  constructor(bus: EngineEventBus, titleOf: (taskId: string) => string) {
    bus.on('run.progress', (event) => {
      this.counts = { ...event.counts };
      this.total = event.total;
    });
    bus.on('attempt.started', ({ attempt }) => {
      this.workers.set(attempt.id, { taskId: attempt.taskId, title: titleOf(attempt.taskId), lastLine: '', startedAt: Date.now() });
    });
    bus.on('attempt.log', (event) => {
      const worker = this.workers.get(event.attemptId);
      if (worker !== undefined && event.text.trim() !== '') worker.lastLine = event.text.trim().split('\n')[0] ?? '';
    });
    bus.on('attempt.finished', ({ attempt }) => {
      this.workers.delete(attempt.id);
      this.costUsd += attempt.costUsd;
    });
    bus.on('pool.paused', (event) => {
      this.pausedUntil = event.until;
    });
    bus.on('pool.resumed', () => {
      this.pausedUntil = null;
    });
  }

  /** The current state. */
  get state(): RunProgressState {
    return { counts: this.counts, total: this.total, workers: this.workers, costUsd: this.costUsd, pausedUntil: this.pausedUntil };
  }
}

/** Redraws the progress block in place on a TTY, at most every `intervalMs`. */
export function startLiveDisplay(tracker: RunProgressTracker, stream: NodeJS.WriteStream, intervalMs = 200): () => void {
  let previousLines = 0;
  const draw = (): void => {
    const lines = renderProgress(tracker.state, Date.now(), stream.columns ?? 100);
    let output = previousLines > 0 ? `\u001b[${previousLines}A` : '';
    for (const line of lines) output += `\u001b[2K${line}\n`;
    for (let extra = lines.length; extra < previousLines; extra++) output += '\u001b[2K\n';
    const drawn = Math.max(lines.length, previousLines);
    stream.write(output);
    previousLines = drawn;
  };
  draw();
  const timer = setInterval(draw, intervalMs);
  return () => {
    clearInterval(timer);
    draw();
  };
}
