import { useRef } from 'react';
import type { RunSummary } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { CreatePullRequest } from '../github/CreatePullRequest';
import { formatCost } from './log-format';
import { useDecideFollowUps } from './summary-queries';

/**
 * The last run's summary at the top of the Run view: what was done and what failed (and why), cost
 * and time, the final review's verdict with the criteria it found not met, and the follow-up tasks
 * it proposed, which the user accepts (they are added to the tasks) or discards.
 */
export function RunSummaryPanel({ project, summary }: { readonly project: string; readonly summary: RunSummary }) {
  const decide = useDecideFollowUps(project);
  const heading = useRef<HTMLHeadingElement>(null);
  const review = summary.finalReview;
  const proposal = review?.followUps ?? null;
  const unmet = review?.criteria.filter((criterion) => !criterion.met) ?? [];
  const decideFollowUps = (decision: 'accept' | 'discard') => {
    if (decide.isPending) return;
    // The buttons go away with the decision: focus moves to the summary's heading.
    decide.mutate({ runId: summary.runId, decision }, { onSuccess: () => heading.current?.focus() });
  };
  return (
    <section className="run-summary panel" aria-label="Run summary">
      <h3 tabIndex={-1} ref={heading}>
        Last run {summary.status} · {summary.completed.length} done, {summary.failed.length} failed · {formatCost(summary.costUsd)}
        {summary.costEstimated === true ? ' (estimated)' : ''}
        {summary.costUnpriced === true ? ' + unpriced usage' : ''} · {formatDuration(summary.durationMs)}
      </h3>
      {summary.stopped !== undefined && summary.stopped !== null ? (
        <p role="status" aria-label="Why the run stopped">
          Stopped: {summary.stopped}
        </p>
      ) : null}
      {summary.goal !== null ? <p className="muted">Goal: {summary.goal}</p> : null}
      {summary.failed.length > 0 ? (
        <ul aria-label="Failed tasks" className="run-summary-list">
          {summary.failed.map((task) => (
            <li key={task.id}>
              Task {task.id} {task.title} — {task.reason ?? task.status}
            </li>
          ))}
        </ul>
      ) : null}
      {review !== null ? (
        <p aria-label="Final review">
          {review.status === 'reviewed'
            ? `Final review: ${(review.verdict ?? 'not_met').replace('_', ' ')} — ${review.criteria.length - unmet.length} of ${review.criteria.length} criteria met. ${review.note}`
            : `Final review ${review.status}: ${review.note}`}
        </p>
      ) : null}
      {unmet.length > 0 ? (
        <ul aria-label="Criteria not met" className="run-summary-list">
          {unmet.map((criterion) => (
            <li key={`${criterion.taskId}-${criterion.index}`}>
              Task {criterion.taskId}: {criterion.criterion}
              {criterion.note === null ? '' : ` — ${criterion.note}`}
            </li>
          ))}
        </ul>
      ) : null}
      {proposal !== null && proposal.tasks.length > 0 ? (
        <div role="group" aria-label="Proposed follow-up tasks" className="follow-ups">
          {proposal.status === 'proposed' ? <p>The final review proposes {proposal.tasks.length === 1 ? 'a follow-up task' : `${proposal.tasks.length} follow-up tasks`}; nothing is added until you accept.</p> : null}
          <ul className="run-summary-list">
            {proposal.tasks.map((task) => (
              <li key={task.id}>
                <strong>{task.title}</strong> — {task.description}
              </li>
            ))}
          </ul>
          {proposal.status === 'proposed' ? (
            <div className="toolbar">
              <button type="button" className="primary" aria-disabled={decide.isPending} onClick={() => decideFollowUps('accept')}>
                Accept {proposal.tasks.length === 1 ? 'the task' : `${proposal.tasks.length} tasks`}
              </button>
              <button type="button" aria-disabled={decide.isPending} onClick={() => decideFollowUps('discard')}>
                Discard
              </button>
            </div>
          ) : (
            <p role="status">{proposal.status === 'accepted' ? `Added as tasks ${proposal.acceptedIds.join(', ')}.` : 'Discarded.'}</p>
          )}
        </div>
      ) : null}
      {decide.isError ? <ErrorMessage error={decide.error} /> : null}
      {summary.completed.length > 0 ? <CreatePullRequest key={summary.runId} project={project} runId={summary.runId} /> : null}
      <details>
        <summary>Full summary</summary>
        <pre className="run-summary-text">{summary.text}</pre>
      </details>
    </section>
  );
}

/** "2m 5s", "41s", "1h 3m". */
function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m ${seconds % 60}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
