import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Task } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { countByStatus } from '../tasks/filters';
import { useTasks } from '../tasks/queries';
import type { LiveRunStore } from './live-run-store';
import { LogList, type ShownLogLine } from './LogList';
import { formatCost, formatTokens } from './log-format';
import { KeptWork } from './KeptWork';
import { PauseBanner, RunProgressPanel } from './RunProgress';
import { useRunStatus, useStartRun, useStopRun } from './queries';
import { RunFinishingStatus } from './RunFinishingStatus';
import { RunSummaryPanel } from './RunSummaryPanel';
import { useRunSummary } from './summary-queries';
import { WorkerLanes } from './WorkerLanes';

const EMPTY: ReadonlyArray<Task> = [];

/** The Run tab: start and stop, live progress, worker lanes, the live log and cost so far. */
export function RunView({ project, live }: { readonly project: string; readonly live: LiveRunStore }) {
  const status = useRunStatus(project);
  const tasks = useTasks(project);
  const start = useStartRun(project);
  const stop = useStopRun(project);
  const summary = useRunSummary(project);
  const snapshot = useSyncExternalStore(live.subscribe, live.getSnapshot);
  const [lane, setLane] = useState<string | null>(null);

  const all = tasks.data ?? EMPTY;
  const titles = useMemo(() => new Map(all.map((task) => [task.id, task.title])), [all]);
  const running = status.data?.running === true;
  const logVersion = snapshot.logVersion;
  const lines = useMemo<ReadonlyArray<ShownLogLine>>(() => {
    void logVersion; // the buffer changed in place; the version says when to read it again
    if (lane !== null) return live.logs.lines(lane);
    return live.logs.lines().map((line) => ({ ...line, source: line.taskId }));
  }, [live, lane, logVersion]);

  // While a finish stage is going, the last run's outcome is not known yet: no summary (an earlier run's, or one composed too early) stands in for it.
  const finishing = running ? null : snapshot.finishing;
  const shownSummary = running || finishing !== null ? null : (summary.data ?? null);
  const counts = snapshot.progress?.counts ?? status.data?.counts ?? countByStatus(all);
  const total = snapshot.progress?.total ?? status.data?.total ?? all.length;
  const settled = snapshot.progress?.settled ?? (counts.done ?? 0) + (counts.failed ?? 0) + (counts.cancelled ?? 0) + (counts.blocked ?? 0) + (counts.deferred ?? 0);
  const pausedUntil = status.data?.pausedUntil ?? null;
  const paused = snapshot.paused ?? (pausedUntil !== null ? { until: pausedUntil, reason: 'rate limit' } : null);
  // The buttons are aria-disabled rather than disabled so a focused one keeps focus while it waits;
  // when the run starts or ends, focus moves from the button that no longer applies to the one that does.
  const startButton = useRef<HTMLButtonElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const focused = document.activeElement;
    if (running && focused === startButton.current) stopButton.current?.focus();
    if (!running && focused === stopButton.current) startButton.current?.focus();
  }, [running]);
  const startBlocked = running || start.isPending || status.isPending;
  const stopBlocked = !running || stop.isPending;
  const tokens = status.data === undefined ? 0 : status.data.usage.inputTokens + status.data.usage.outputTokens + status.data.usage.cacheCreationInputTokens + status.data.usage.cacheReadInputTokens;

  return (
    <div className="run-view">
      <div className="toolbar" role="toolbar" aria-label="Run controls">
        <button ref={startButton} type="button" className="primary" aria-disabled={startBlocked} onClick={() => startBlocked || start.mutate()}>
          {start.isPending ? 'Starting…' : 'Start run'}
        </button>
        <button ref={stopButton} type="button" aria-disabled={stopBlocked} onClick={() => stopBlocked || stop.mutate()}>
          {stop.isPending ? 'Stopping…' : 'Stop run'}
        </button>
        <span role="status" aria-label="Run state" className={running ? 'run-state running' : 'run-state'}>
          {status.isPending ? 'Checking…' : running ? `Running · ${activeLabel(status.data?.activeWorkers ?? 0)}` : finishing !== null ? 'Finishing' : 'Idle'}
        </span>
        {status.isSuccess ? (
          <span className="muted" aria-label="Cost so far">
            Cost so far {formatCost(status.data.costUsd)} · {formatTokens(tokens)} tokens
          </span>
        ) : null}
      </div>
      {start.isError ? <ErrorMessage error={start.error} /> : null}
      {stop.isError ? <ErrorMessage error={stop.error} /> : null}
      {status.isError && status.error.message !== start.error?.message ? <ErrorMessage error={status.error} /> : null}
      {finishing !== null ? <RunFinishingStatus finishing={finishing} /> : null}
      {shownSummary !== null ? <RunSummaryPanel project={project} summary={shownSummary} /> : null}
      {paused !== null ? <PauseBanner until={paused.until} reason={paused.reason} /> : null}
      {status.isSuccess ? <KeptWork project={project} status={status.data} /> : null}
      {tasks.isSuccess && all.length === 0 ? <p className="empty">No tasks yet. Add tasks in the Tasks tab, then start a run.</p> : null}
      <RunProgressPanel counts={counts} total={total} settled={settled} activeWorkers={snapshot.progress?.activeWorkers ?? status.data?.activeWorkers ?? 0} />
      <WorkerLanes lanes={snapshot.lanes} titles={titles} selected={lane} onSelect={setLane} logs={live.logs} />
      <h3 className="log-heading">{lane === null ? 'Live log · all workers' : `Live log · attempt ${lane.slice(0, 8)}`}</h3>
      <LogList
        lines={lines}
        label={lane === null ? 'Live log of all workers' : 'Live log of the selected worker'}
        emptyText={running ? 'Waiting for the workers to write…' : 'No log lines yet. Start a run to see the workers’ output here.'}
      />
    </div>
  );
}

function activeLabel(count: number): string {
  return `${count} active ${count === 1 ? 'worker' : 'workers'}`;
}
