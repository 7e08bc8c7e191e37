import type { Run } from '../../src-shared/domain/run';
import type { RunSummary } from '../../src-shared/domain/run-summary';
import type { RunSummaryInput } from '../agents/manager/manager';
import { latestFinishedRun, summaryOfRun } from '../feedback/run-summary';
import type { Store } from '../store/store';
import { resolveCommit } from '../workspace/git';
import { redactSecrets } from '../workspace/redact';
import { GitHubError } from './github-error';
import { composePullRequest, type PullRequestDraft } from './pr-body';
import type { GitHubRepository } from './repository';

/** A run's pull request, ready to print (--dry-run) or open. */
export interface RunPullRequest {
  readonly run: Run;
  /** The run's integrated work: its integration branch's tip. */
  readonly commit: string;
  readonly draft: PullRequestDraft;
  /** Whose summary heads the body. */
  readonly summarySource: 'manager' | 'composed';
  /** Why the manager's summary is not used, when it was asked and failed. */
  readonly note: string | null;
}

/** Asks the manager for a run summary (Manager.summarizeRun). */
export type RunSummarizer = (input: RunSummaryInput) => Promise<string>;

/**
 * Finds the run (`runId`, a prefix of one, or the newest finished run), checks it has integrated work,
 * and composes its pull request; the manager's summary heads the body when `summarize` is given
 * and answers, else the composed run summary does.
 */
export async function prepareRunPullRequest(options: {
  readonly projectDir: string;
  readonly store: Store;
  readonly repository: GitHubRepository;
  readonly runId?: string;
  readonly summarize?: RunSummarizer;
}): Promise<RunPullRequest> {
  const { store } = options;
  const run = findRun(store, options.runId);
  if (run.status === 'running') throw new GitHubError(`run ${run.id.slice(0, 8)} is still running; open its pull request when it has finished.`);
  const integration = store.integrations.get(run.id);
  const summary = summaryOfRun(store, run.id) as RunSummary;
  if (integration === undefined || integration.tip === integration.baseCommit || summary.completed.length === 0) {
    throw new GitHubError(`run ${run.id.slice(0, 8)} integrated no work (no task was merged on a git branch); there is nothing to open a pull request for.`);
  }
  if (integration.status === 'open') {
    throw new GitHubError(`run ${run.id.slice(0, 8)}'s work is still being merged into your branch; try again in a moment (if its process died, \`co integrate\` finishes it).`);
  }
  const commit = await resolveCommit(options.projectDir, integration.tip);
  if (commit === null) throw new GitHubError(`the run's work (${integration.tip.slice(0, 12)}) is no longer in this repository; it cannot be pushed.`);
  let managerSummary: string | null = null;
  let note: string | null = null;
  if (options.summarize !== undefined) {
    try {
      managerSummary = (await options.summarize(summaryInput(summary))).trim() || null;
    } catch (error) {
      note = `the manager's run summary could not be made (${redactSecrets(error instanceof Error ? error.message : String(error)).slice(0, 300)}); the composed summary is used.`;
    }
  }
  const draft = composePullRequest({ store, run, summary, repository: options.repository, managerSummary });
  return { run, commit, draft, summarySource: managerSummary === null ? 'composed' : 'manager', note };
}

function findRun(store: Store, runId: string | undefined): Run {
  if (runId === undefined) {
    const latest = latestFinishedRun(store);
    if (latest === undefined) throw new GitHubError('no run has finished yet; run the tasks with `co run`, then `co pr`.');
    return latest;
  }
  const exact = store.runs.get(runId);
  if (exact !== undefined) return exact;
  const matches = store.runs.list(1_000).filter((run) => run.id.startsWith(runId));
  if (matches.length === 1) return matches[0] as Run;
  throw new GitHubError(matches.length === 0 ? `no run ${runId}; \`co summary\` names the latest run.` : `${runId} names ${matches.length} runs; give more of the id.`);
}

function summaryInput(summary: RunSummary): RunSummaryInput {
  const tasks = [...summary.completed, ...summary.failed];
  return {
    tasks: tasks.map((task) => ({ id: task.id, title: task.title, status: task.status })),
    outcomes: tasks.map((task) => ({ taskId: task.id, status: task.status, ...(task.reason === null ? {} : { error: task.reason }) })),
  };
}
