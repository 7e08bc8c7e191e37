import type { ReactNode } from 'react';
import type { Insights } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { formatCost } from '../runs/log-format';
import { LessonList } from './LessonList';
import { useInsights } from './queries';

/**
 * What the project's runs taught (seed 003's FeedbackAnalyzer): recurring failure causes, first-attempt
 * success by model and task size, cost per successful task, the tasks that needed most attempts, the
 * files that conflict most, and the lessons offered to later workers (editable).
 */
export function InsightsView({ project }: { readonly project: string }) {
  const insights = useInsights(project);
  return (
    <section aria-label="Insights" className="insights">
      {insights.isPending ? <p role="status">Loading insights…</p> : null}
      {insights.isError ? <ErrorMessage error={insights.error} /> : null}
      {insights.isSuccess ? <Report insights={insights.data} /> : null}
      <LessonList project={project} />
    </section>
  );
}

function Report({ insights }: { readonly insights: Insights }) {
  if (insights.feedbackCount === 0) return <p className="empty">No feedback yet. Failed checks, reviews, conflicts and retries are recorded as runs go; insights appear here.</p>;
  const percent = (rate: number) => `${Math.round(rate * 100)}%`;
  return (
    <>
      <Table
        caption="Recurring failure causes"
        columns={['Count', 'Kind', 'Cause', 'Tasks', 'Most often']}
        rows={insights.causes.map((cause) => [String(cause.count), cause.kind, cause.cause, cause.tasks.join(', ') || '-', cause.topDetail === '' ? '-' : `${cause.topDetail} (${cause.topDetailCount}×)`])}
      />
      <div className="insights-grid">
        <Table caption="First-attempt success by model" columns={['Model', 'Success', 'Tasks']} rows={insights.firstAttempt.byModel.map((row) => [row.model, percent(row.rate), `${row.succeeded}/${row.tasks}`])} />
        <Table caption="First-attempt success by task size" columns={['Size (criteria)', 'Success', 'Tasks']} rows={insights.firstAttempt.bySize.map((row) => [sizeLabel(row.size), percent(row.rate), `${row.succeeded}/${row.tasks}`])} />
        <Table
          caption="Cost per successful task"
          columns={['Model', 'Per task', 'Done', 'Cost']}
          rows={[
            ['all (manager included)', perTask(insights.costPerSuccess.overall.perTask), String(insights.costPerSuccess.overall.doneTasks), formatCost(insights.costPerSuccess.overall.costUsd)],
            ...insights.costPerSuccess.byModel.map((row) => [row.model, perTask(row.perTask), String(row.doneTasks), formatCost(row.costUsd)]),
          ]}
        />
      </div>
      <div className="insights-grid">
        <Table caption="Tasks that needed the most attempts" columns={['Task', 'Title', 'Attempts', 'Status', 'Cost']} rows={insights.mostAttempts.map((task) => [task.taskId, task.title, String(task.attempts), task.status, formatCost(task.costUsd)])} />
        <Table caption="Files that conflict most" columns={['File', 'Conflicts']} rows={insights.conflictFiles.map((file) => [file.file, String(file.conflicts)])} />
        <Table caption="Areas most involved in failures" columns={['Area', 'Failures']} rows={insights.areas.map((area) => [area.area, String(area.failures)])} />
      </div>
    </>
  );
}

function Table({ caption, columns, rows }: { readonly caption: string; readonly columns: ReadonlyArray<string>; readonly rows: ReadonlyArray<ReadonlyArray<ReactNode>> }) {
  return (
    <table className="usage-table panel" aria-label={caption}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length} className="muted">
              Nothing yet.
            </td>
          </tr>
        ) : (
          rows.map((row, index) => (
            <tr key={index}>
              {row.map((cell, column) => (
                <td key={column}>{cell}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

function sizeLabel(size: 'small' | 'medium' | 'large'): string {
  return size === 'small' ? 'small (0–2)' : size === 'medium' ? 'medium (3–5)' : 'large (6+)';
}

function perTask(value: number | null): string {
  return value === null ? '-' : formatCost(value);
}
