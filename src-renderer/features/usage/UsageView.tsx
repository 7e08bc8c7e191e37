import { useState } from 'react';
import { assertNever } from '../../../src-shared/domain/assert-never';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useUsageSummary } from './queries';
import { costLabel, formatCost, formatTokens, hasUsage, totalTokens, usageBars, type UsageSummary } from './usage-format';
import { UsageChart } from './UsageChart';
import { UsageTable, type UsageRow } from './UsageTable';

type Grouping = 'task' | 'run' | 'model';
const GROUPINGS: ReadonlyArray<{ readonly value: Grouping; readonly label: string }> = [
  { value: 'task', label: 'By task' },
  { value: 'run', label: 'By run' },
  { value: 'model', label: 'By model' },
];

/** Tokens and cost of a project: totals, a cost chart and tables per task, run and model. */
export function UsageView({ project }: { readonly project: string }) {
  const summary = useUsageSummary(project);
  const [grouping, setGrouping] = useState<Grouping>('task');

  if (summary.isPending) return <p className="muted" role="status">Loading usage…</p>;
  if (summary.isError) return <ErrorMessage error={summary.error} />;
  const data = summary.data;

  return (
    <section aria-label="Usage" className="usage">
      <dl className="usage-totals" aria-label="Usage totals">
        <div>
          <dt>Cost</dt>
          <dd>{costLabel(data.total)}</dd>
        </div>
        <div>
          <dt>Total tokens</dt>
          <dd>{formatTokens(totalTokens(data.total))}</dd>
        </div>
        <div>
          <dt>Input</dt>
          <dd>{formatTokens(data.total.usage.inputTokens)}</dd>
        </div>
        <div>
          <dt>Output</dt>
          <dd>{formatTokens(data.total.usage.outputTokens)}</dd>
        </div>
        <div>
          <dt>Cache (write / read)</dt>
          <dd>
            {formatTokens(data.total.usage.cacheCreationInputTokens)} / {formatTokens(data.total.usage.cacheReadInputTokens)}
          </dd>
        </div>
      </dl>
      {hasUsage(data) ? (
        <>
          <div className="segmented" role="group" aria-label="Group usage">
            {GROUPINGS.map((option) => (
              <button key={option.value} type="button" aria-pressed={grouping === option.value} onClick={() => setGrouping(option.value)}>
                {option.label}
              </button>
            ))}
          </div>
          <Grouped summary={data} grouping={grouping} />
        </>
      ) : (
        <p className="empty">No usage recorded yet. Tokens and cost appear here once a run has called the models.</p>
      )}
    </section>
  );
}

function Grouped({ summary, grouping }: { readonly summary: UsageSummary; readonly grouping: Grouping }) {
  switch (grouping) {
    case 'task': {
      const rows: UsageRow[] = summary.byTask.map((line) => ({ key: line.taskId, cells: [line.taskId, line.title || '(deleted task)'], line }));
      const bars = usageBars(summary.byTask.map((line) => ({ ...line, label: `${line.taskId} ${line.title}`.trim() })));
      const untracked = summary.total.costUsd - summary.byTask.reduce((sum, line) => sum + line.costUsd, 0);
      const note = untracked > 0.00005 ? `Manager calls not tied to a task (planning, final review): ${formatCost(untracked)}.` : undefined;
      return <Panel chartTitle="Cost per task" bars={bars} caption="Usage per task" columns={['Task', 'Title']} rows={rows} note={note} />;
    }
    case 'run': {
      const rows: UsageRow[] = summary.byRun.map((line) => ({ key: line.runId, cells: [line.runId, new Date(line.startedAt).toLocaleString(), line.status], line }));
      const bars = usageBars(summary.byRun.map((line) => ({ ...line, label: `${new Date(line.startedAt).toLocaleString()} (${line.status})` })));
      return <Panel chartTitle="Cost per run" bars={bars} caption="Usage per run" columns={['Run', 'Started', 'Status']} rows={rows} />;
    }
    case 'model': {
      const rows: UsageRow[] = summary.byModel.map((line) => ({ key: line.model, cells: [line.model], line }));
      const bars = usageBars(summary.byModel.map((line) => ({ ...line, label: line.model })));
      return <Panel chartTitle="Cost per model" bars={bars} caption="Usage per model" columns={['Model']} rows={rows} />;
    }
    default:
      return assertNever(grouping);
  }
}

function Panel(props: {
  readonly chartTitle: string;
  readonly bars: ReturnType<typeof usageBars>;
  readonly caption: string;
  readonly columns: ReadonlyArray<string>;
  readonly rows: ReadonlyArray<UsageRow>;
  readonly note?: string | undefined;
}) {
  return (
    <div className="usage-panel panel">
      {props.bars.length > 0 ? <UsageChart title={props.chartTitle} bars={props.bars} /> : null}
      <UsageTable caption={props.caption} columns={props.columns} rows={props.rows} />
      {props.note === undefined ? null : <p className="muted usage-note">{props.note}</p>}
    </div>
  );
}
