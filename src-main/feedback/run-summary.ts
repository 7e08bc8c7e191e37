import type { StoredDiscovery } from '../../src-shared/domain/discovery';
import type { Run } from '../../src-shared/domain/run';
import type { FinalReview, RunSummary, SummaryTask } from '../../src-shared/domain/run-summary';
import type { Store } from '../store/store';
import { formatCostLabel } from '../../src-shared/domain/usage';

/** What the finish stage adds to a run's summary. */
export interface SummaryFinish {
  /** Where the work went (the integration report's lines). */
  readonly integration: ReadonlyArray<string>;
  readonly finalReview: FinalReview | null;
}

/**
 * A run's result in the seeds' shape (`run_with_leader_planning()` returns goal, tasks_completed,
 * tasks_failed, discoveries and summary), plus the run id and the structured summary. It is also a
 * `Run` (its fields are all there), so code that expected a Run keeps working; `summary` is the full
 * summary text rather than the scheduler's one-line tally.
 */
export type RunResult = Run & {
  readonly runId: string;
  readonly goal: string | null;
  /** How many of the run's tasks are done. */
  readonly tasksCompleted: number;
  /** How many of the run's tasks failed or are blocked. */
  readonly tasksFailed: number;
  /** What the run's workers found for later tasks. */
  readonly discoveries: ReadonlyArray<StoredDiscovery>;
  readonly summary: string;
  /** The structured summary: the tasks with reasons, cost, time, the final review. */
  readonly report: RunSummary;
};

/** The run's result in the seeds' shape, from its record and summary. */
export function runResultOf(store: Store, run: Run, summary: RunSummary): RunResult {
  return {
    ...run,
    runId: run.id,
    goal: summary.goal,
    tasksCompleted: summary.completed.length,
    tasksFailed: summary.failed.length,
    discoveries: discoveriesOfRun(store, run.id),
    summary: summary.text,
    report: summary,
  };
}

/** A run's stored summary, else one composed from the store now (runs finished before summaries existed, or still running). */
export function summaryOfRun(store: Store, runId: string): RunSummary | undefined {
  const stored = store.runSummaries.get(runId);
  if (stored !== undefined) return stored;
  const run = store.runs.get(runId);
  if (run === undefined) return undefined;
  const integration = store.integrations.get(runId);
  return composeRunSummary(store, run, { integration: integration?.note === null || integration === undefined ? [] : [integrationLine(integration.status, integration.note)], finalReview: null });
}

/** The newest run that has finished (what `co summary` and the Run view show by default), or undefined. */
export function latestFinishedRun(store: Store): Run | undefined {
  return store.runs.list(50).find((run) => run.status !== 'running');
}

/**
 * Composes a run's summary from the store (deterministic; no model call): the run's tasks that are
 * done and those that failed or are blocked with why, how many still wait, what they cost and how
 * long the run took, their discoveries, where the work went and the final review's verdict.
 */
export function composeRunSummary(store: Store, run: Run, finish: SummaryFinish, now = Date.now()): RunSummary {
  const attempts = store.attempts.listForRun(run.id);
  const attemptsOf = new Map<string, number>();
  for (const attempt of attempts) attemptsOf.set(attempt.taskId, (attemptsOf.get(attempt.taskId) ?? 0) + 1);
  const scope = run.taskIds === null ? store.tasks.list() : store.tasks.list({ ids: [...new Set([...run.taskIds, ...attemptsOf.keys()])] });
  const completed: SummaryTask[] = [];
  const failed: SummaryTask[] = [];
  const awaitingReview: SummaryTask[] = [];
  let waiting = 0;
  for (const task of scope) {
    const tried = attemptsOf.get(task.id) ?? 0;
    const entry = { id: task.id, title: task.title, status: task.status, attempts: tried };
    if (task.status === 'done' && tried > 0) completed.push({ ...entry, reason: null });
    else if ((task.status === 'failed' || task.status === 'blocked') && tried > 0) failed.push({ ...entry, reason: task.statusReason });
    else if (!['done', 'failed', 'blocked', 'cancelled', 'deferred'].includes(task.status)) {
      waiting += 1;
      if (task.resumeAttemptId !== null && tried > 0) awaitingReview.push({ ...entry, reason: task.statusReason });
    }
  }
  const totals = store.usage.totalsForRun(run.id);
  const summary: Omit<RunSummary, 'text'> = {
    runId: run.id,
    goal: run.goal ?? (store.meta.get('goal') || null),
    status: run.status,
    stopped: stopReason(run.summary),
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: Math.max(0, (run.finishedAt ?? now) - run.startedAt),
    costUsd: totals.costUsd,
    costEstimated: totals.estimated,
    costUnpriced: totals.unpriced,
    inputTokens: totals.usage.inputTokens + totals.usage.cacheReadInputTokens + totals.usage.cacheCreationInputTokens,
    outputTokens: totals.usage.outputTokens,
    completed,
    failed,
    waiting,
    awaitingReview,
    discoveries: discoveriesOfRun(store, run.id).map((discovery) => ({ taskId: discovery.taskId, summary: discovery.summary })),
    integration: [...finish.integration],
    finalReview: finish.finalReview,
  };
  return { ...summary, text: summaryText(summary) };
}

/** The summary as text for people: the CLI's last lines, a notification, a pull request's body. */
export function summaryText(summary: Omit<RunSummary, 'text'>): string {
  const lines = [
    `Run ${summary.runId.slice(0, 8)} ${summary.status} in ${formatDuration(summary.durationMs)} · ${formatCostLabel(summary.costUsd, { estimated: summary.costEstimated === true, unpriced: summary.costUnpriced === true })} · ${summary.inputTokens} input / ${summary.outputTokens} output tokens`,
  ];
  if (summary.stopped !== undefined && summary.stopped !== null) lines.push(`Stopped: ${oneLine(summary.stopped, 600)}`);
  if (summary.goal !== null) lines.push(`Goal: ${oneLine(summary.goal, 200)}`);
  lines.push(`Done (${summary.completed.length})${listed(summary.completed.map((task) => `${task.id} ${task.title}`))}`);
  if (summary.failed.length > 0) {
    lines.push(`Failed or blocked (${summary.failed.length}):`);
    for (const task of summary.failed.slice(0, 20)) lines.push(`  ${task.id} ${task.title} — ${oneLine(task.reason ?? task.status, 300)} (${task.attempts} ${task.attempts === 1 ? 'attempt' : 'attempts'})`);
    if (summary.failed.length > 20) lines.push(`  … and ${summary.failed.length - 20} more`);
  }
  if (summary.waiting > 0) lines.push(`Still waiting: ${summary.waiting} ${summary.waiting === 1 ? 'task' : 'tasks'} (a dependency failed, or the run stopped first)`);
  const awaitingReview = summary.awaitingReview ?? [];
  if (awaitingReview.length > 0) {
    lines.push(`  of which ${awaitingReview.length} with work kept for review (the next run reviews it without running the worker again)${listed(awaitingReview.map((task) => `${task.id} ${task.title}`))}`);
  }
  if (summary.discoveries.length > 0) lines.push(`Discoveries (${summary.discoveries.length})${listed(summary.discoveries.map((found) => oneLine(found.summary, 120)))}`);
  lines.push(...finalReviewLines(summary.finalReview));
  lines.push(...summary.integration);
  return lines.join('\n');
}

/** Why the scheduler stopped the run, from its one-line record ("the run stopped: … (tally)"), else null. */
function stopReason(line: string | null): string | null {
  if (line === null) return null;
  const stopped = /^the run stopped: ([\s\S]*?)(?: \(\d+ done, [^()]*\))?$/.exec(line);
  if (stopped !== null) return stopped[1] ?? null;
  return line.startsWith('the scheduler stopped on an error: ') ? line : null;
}

function finalReviewLines(review: FinalReview | null): ReadonlyArray<string> {
  if (review === null) return [];
  if (review.status !== 'reviewed') return [`Final review: ${review.status} — ${oneLine(review.note, 400)}`];
  const met = review.criteria.filter((criterion) => criterion.met).length;
  const lines = [`Final review: ${(review.verdict ?? 'not_met').replace('_', ' ')} — ${met} of ${review.criteria.length} criteria met. ${oneLine(review.note, 600)}`.trimEnd()];
  for (const criterion of review.criteria.filter((item) => !item.met).slice(0, 20)) {
    lines.push(`  Not met: task ${criterion.taskId} criterion ${criterion.index} "${oneLine(criterion.criterion, 160)}"${criterion.note === null ? '' : ` — ${oneLine(criterion.note, 200)}`}`);
  }
  for (const gap of review.gaps.slice(0, 10)) lines.push(`  Gap: ${oneLine(gap, 300)}`);
  const proposal = review.followUps;
  if (proposal !== null && proposal.tasks.length > 0) {
    const titles = proposal.tasks.map((task) => task.title);
    switch (proposal.status) {
      case 'proposed':
        lines.push(`Follow-up tasks proposed (${titles.length})${listed(titles)} — accept with \`co summary --accept-follow-ups\` (or in the Run view), or discard with \`co summary --discard-follow-ups\`.`);
        break;
      case 'accepted':
        lines.push(`Follow-up tasks accepted as ${proposal.acceptedIds.join(', ')}.`);
        break;
      case 'discarded':
        lines.push(`Follow-up tasks (${titles.length}) were discarded.`);
        break;
    }
  }
  return lines;
}

function discoveriesOfRun(store: Store, runId: string): ReadonlyArray<StoredDiscovery> {
  return store.discoveries.list().filter((discovery) => discovery.runId === runId);
}

function integrationLine(status: string, note: string): string {
  return status === 'kept' ? `The run's work is kept on its branch: ${note}. Bring it in with \`co integrate\`.` : `The run's work: ${note}.`;
}

function listed(items: ReadonlyArray<string>): string {
  if (items.length === 0) return '';
  const shown = items.slice(0, 20).join(' · ');
  return `: ${shown}${items.length > 20 ? ` · … and ${items.length - 20} more` : ''}`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** "2m 5s", "41s", "1h 3m". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
