import type { Attempt } from '../../src-shared/domain/attempt';
import type { Run } from '../../src-shared/domain/run';
import type { RunSummary } from '../../src-shared/domain/run-summary';
import type { Task } from '../../src-shared/domain/task';
import { formatCostLabel } from '../../src-shared/domain/usage';
import type { Store } from '../store/store';
import { redactSecrets } from '../workspace/redact';
import type { GitHubRepository } from './repository';

/** A pull request's title and body, and the issues it closes. */
export interface PullRequestDraft {
  readonly title: string;
  readonly body: string;
  /** Issue numbers of this repository (and owner/name#N of others) the body closes. */
  readonly closes: ReadonlyArray<string>;
}

const MAX_TITLE = 120;
/** GitHub refuses bodies over 65,536 characters. */
const MAX_BODY = 60_000;

/** The issue a task was imported from ("https://HOST/OWNER/NAME/issues/N"), or null. */
export function issueOfSource(sourceRef: string | null): { readonly owner: string; readonly name: string; readonly number: number } | null {
  if (sourceRef === null) return null;
  const match = /^https?:\/\/[^/\s]+\/([^/\s]+)\/([^/\s]+)\/issues\/(\d+)$/.exec(sourceRef.trim());
  if (match === null) return null;
  return { owner: match[1] as string, name: match[2] as string, number: Number(match[3]) };
}

/** "#12" for an issue of the same repository, "owner/name#12" for another. */
function issueReference(issue: { readonly owner: string; readonly name: string; readonly number: number }, repository: GitHubRepository): string {
  const same = issue.owner.toLowerCase() === repository.owner.toLowerCase() && issue.name.toLowerCase() === repository.name.toLowerCase();
  return same ? `#${issue.number}` : `${issue.owner}/${issue.name}#${issue.number}`;
}

/**
 * A pull request for a run's integrated work: titled from the goal (or its one task, or how many
 * tasks), its body the run's summary (the manager's when given, else the composed one), then one
 * section per task done in the run (acceptance criteria, checks run, review verdict, cost, and
 * "Closes #N" for a task imported from an issue). Redacted like every export.
 */
export function composePullRequest(options: {
  readonly store: Store;
  readonly run: Run;
  readonly summary: RunSummary;
  readonly repository: GitHubRepository;
  /** The manager's summary of the run; the composed summary's text is used without it. */
  readonly managerSummary: string | null;
}): PullRequestDraft {
  const { store, run, summary, repository } = options;
  const attempts = store.attempts.listForRun(run.id);
  const tasks = summary.completed.map((entry) => store.tasks.get(entry.id)).filter((task): task is Task => task !== undefined);
  const closes: string[] = [];
  const sections = tasks.map((task) => {
    const issue = issueOfSource(task.sourceRef);
    const reference = issue === null ? null : issueReference(issue, repository);
    if (reference !== null) closes.push(reference);
    return taskSection(store, task, attempts.filter((attempt) => attempt.taskId === task.id), reference);
  });
  const notDone = summary.failed.map((task) => `- ${task.id} ${task.title} — ${task.reason ?? task.status} (not in this pull request)`);
  const body = [
    '## Summary',
    '',
    (options.managerSummary ?? summary.text).trim(),
    '',
    `## Tasks (${tasks.length})`,
    '',
    ...sections,
    ...(notDone.length > 0 ? ['## Not done', '', ...notDone, ''] : []),
    `---\nOpened by Claude Orchestrator from run ${run.id.slice(0, 8)}.`,
  ].join('\n');
  return { title: redactSecrets(titleOf(run, summary, tasks)), body: clip(redactSecrets(body), MAX_BODY), closes };
}

function titleOf(run: Run, summary: RunSummary, tasks: ReadonlyArray<Task>): string {
  const goal = (summary.goal ?? run.goal ?? '').replace(/\s+/g, ' ').trim();
  const title = goal !== '' ? goal : tasks.length === 1 ? (tasks[0] as Task).title : `${tasks.length} tasks: ${tasks.map((task) => task.title).join('; ')}`;
  return clip(title.replace(/\s+/g, ' '), MAX_TITLE);
}

function taskSection(store: Store, task: Task, attempts: ReadonlyArray<Attempt>, closes: string | null): string {
  const merged = [...attempts].reverse().find((attempt) => attempt.stage === 'done' || attempt.review === 'approve') ?? attempts[attempts.length - 1];
  const cost = attempts.reduce((total, attempt) => total + attempt.costUsd, 0);
  const lines = [`### Task ${task.id}: ${task.title}`, ''];
  if (task.acceptanceCriteria.length > 0) lines.push('Acceptance criteria:', ...task.acceptanceCriteria.map((criterion) => `- ${oneLine(criterion)}`), '');
  lines.push(`- Checks: ${merged === undefined ? 'none recorded' : checksOf(store, merged)}`);
  lines.push(`- Review: ${reviewOf(merged)}`);
  lines.push(`- Cost: ${formatCostLabel(cost, { estimated: false, unpriced: false }, 4)} over ${attempts.length} ${attempts.length === 1 ? 'attempt' : 'attempts'}`);
  if (closes !== null) lines.push('', `Closes ${closes}`);
  lines.push('');
  return lines.join('\n');
}

/** What the verify stage of the attempt logged: the commands run and whether they passed. */
function checksOf(store: Store, attempt: Attempt): string {
  const verify = store.logEvents.listForAttempt(attempt.id).filter((event) => event.kind === 'verify');
  const ran = verify.map((event) => /^Running the project's checks: (.+)$/.exec(event.text)?.[1]).find((command) => command !== undefined);
  if (ran === undefined) return 'none configured (checks.verify is empty)';
  const passed = verify.some((event) => event.text === 'The checks passed.');
  return `\`${oneLine(ran)}\` ${passed ? 'passed' : 'did not pass'}`;
}

function reviewOf(attempt: Attempt | undefined): string {
  switch (attempt?.review ?? null) {
    case 'approve':
      return 'approved by the manager';
    case 'request_changes':
      return 'changes requested';
    case 'fail':
      return 'failed';
    default:
      return 'not reviewed (review is off)';
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
