import type { Attempt } from '../../../src-shared/rpc/contract';
import { OpenTerminalButtons } from '../terminal/OpenTerminalButtons';
import type { Lane } from './live-run-store';
import type { LogRingBuffer } from './log-buffer';
import { formatCost } from './log-format';

interface WorkerLanesProps {
  readonly lanes: ReadonlyArray<Lane>;
  readonly titles: ReadonlyMap<string, string>;
  readonly selected: string | null;
  readonly onSelect: (attemptId: string | null) => void;
  readonly logs: LogRingBuffer;
}

/** One lane per attempt of this run: the task it works on, running or finished; choosing one filters the log (and offers a finished one's terminal). */
export function WorkerLanes({ lanes, titles, selected, onSelect, logs }: WorkerLanesProps) {
  if (lanes.length === 0) return <p className="muted">No workers yet. Lanes appear when a run starts attempts.</p>;
  return (
    <ul className="lanes" aria-label="Worker lanes">
      <li>
        <button type="button" className="lane" aria-pressed={selected === null} onClick={() => onSelect(null)}>
          All workers
        </button>
      </li>
      {lanes.map(({ attempt, running }) => (
        <li key={attempt.id}>
          <button type="button" className={running ? 'lane running' : 'lane'} aria-pressed={selected === attempt.id} onClick={() => onSelect(attempt.id)}>
            <span className="task-id">{attempt.taskId}</span> {titles.get(attempt.taskId) ?? ''}
            <span className="muted lane-meta">
              {running ? stageLabel(attempt.stage) : attempt.status} · attempt {attempt.number} · {logs.sizeOf(attempt.id)} lines
              {running ? '' : ` · ${formatCost(attempt.costUsd)}`}
            </span>
          </button>
          {selected === attempt.id && !running ? <OpenTerminalButtons attempt={attempt} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** What a running attempt is doing, by pipeline stage. */
function stageLabel(stage: Attempt['stage'] | undefined): string {
  switch (stage ?? null) {
    case 'prepare':
      return 'preparing';
    case 'verify':
      return 'checking';
    case 'review':
      return 'in review';
    case 'integrate':
      return 'merging';
    case 'execute':
    case 'done':
    case null:
      return 'running';
  }
}
