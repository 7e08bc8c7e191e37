import { useEffect, useState } from 'react';
import { TASK_STATUSES, type TaskStatus } from '../../../src-shared/domain/task-status';
import { statusLabel } from '../tasks/filters';

interface ProgressProps {
  readonly counts: Partial<Record<TaskStatus, number>>;
  readonly total: number;
  readonly settled: number;
  readonly activeWorkers: number;
}

/** Settled of total as a bar, then the count per status and the active workers. */
export function RunProgressPanel({ counts, total, settled, activeWorkers }: ProgressProps) {
  const done = counts.done ?? 0;
  return (
    <section className="progress panel" aria-label="Progress">
      <div className="row">
        <progress aria-label="Tasks settled" max={Math.max(total, 1)} value={Math.min(settled, total)} />
        <span>
          {settled}/{total} settled · {done} done · {activeWorkers} active worker{activeWorkers === 1 ? '' : 's'}
        </span>
      </div>
      <ul className="counts" aria-label="Tasks per status">
        {TASK_STATUSES.filter((status) => (counts[status] ?? 0) > 0).map((status) => (
          <li key={status}>
            <span className={`status status-${status}`}>{statusLabel(status)}</span> {counts[status]}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The pool is paused (rate limit or usage threshold) until a time; counts down. */
export function PauseBanner({ until, reason }: { readonly until: number; readonly reason: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.ceil((until - now) / 1_000));
  return (
    <p className="banner" role="alert">
      Workers paused: {reason}. {seconds > 0 ? `Resuming in ${seconds} s.` : 'Resuming…'}
    </p>
  );
}
