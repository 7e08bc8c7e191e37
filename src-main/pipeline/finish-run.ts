import type { Run } from '../../src-shared/domain/run';
import type { FinishStep } from '../../src-shared/domain/run-finishing';
import type { FinalReview, RunSummary } from '../../src-shared/domain/run-summary';
import type { EngineEventBus } from '../engine/engine-events';
import type { FeedbackCollector } from '../feedback/feedback-collector';
import { composeRunSummary } from '../feedback/run-summary';
import type { Store } from '../store/store';
import { currentBranch } from '../workspace/git';
import { finishRunIntegration, type IntegrationReport } from './run-finish';
import { finalReviewOfRun, type FinishReviewDeps } from './stage-finish-review';

/** What the finish stage of a run needs. */
export interface FinishRunDeps extends Omit<FinishReviewDeps, 'store'> {
  readonly store: Store;
  readonly events: EngineEventBus;
  readonly feedback: FeedbackCollector;
  /** Whether runs integrate through git worktrees (false: nothing to merge, nothing to review). */
  readonly usesWorktrees: boolean;
}

/** What finishing a run did. */
export interface FinishOutcome {
  readonly integration: IntegrationReport | null;
  readonly summary: RunSummary;
}

/**
 * Stage 6, finish, in order: (1) the run's integration branch is merged into the user's branch
 * (run-finish.ts), (2) the manager's final review of the integrated change (stage-finish-review.ts),
 * (3) the run's summary is composed, stored with the run and announced (`run.summarized`: the CLI,
 * the Run view and the notification show it). The review comes after the merge on purpose: it only
 * advises (it proposes follow-ups, it changes no code), so a slow or unreachable manager never holds
 * back finished work, and what it reviews — base..tip of the integration branch — is the same change
 * either way. No step's failure stops the next; each is reported in the summary. Each step is
 * announced (`run.finishing`: merge, final review, summary, then done), so the app says what is
 * happening instead of showing the run's outcome before it is known.
 */
export async function finishRun(deps: FinishRunDeps, run: Run): Promise<FinishOutcome> {
  let branch: string | null = null;
  try {
    return await finishSteps(deps, run, (step, into) => {
      branch = into ?? branch;
      deps.events.emit('run.finishing', { runId: run.id, step, branch });
    });
  } finally {
    deps.events.emit('run.finishing', { runId: run.id, step: 'done', branch });
  }
}

async function finishSteps(deps: FinishRunDeps, run: Run, announce: (step: Exclude<FinishStep, 'done'>, branch?: string | null) => void): Promise<FinishOutcome> {
  let integration: IntegrationReport | null = null;
  let integrationLines: ReadonlyArray<string> = [];
  if (deps.usesWorktrees) {
    announce('merge', await currentBranch(deps.projectDir).catch(() => null));
    try {
      integration = await finishRunIntegration(deps.projectDir, deps.store, run.id);
      integrationLines = integration.lines;
      deps.events.emit('integration.changed', { runId: run.id, status: integration.status, lines: integration.lines });
    } catch (error) {
      integrationLines = [`The run's work could not be merged into your branch: ${messageOf(error)}. It stays on its branch; run \`co integrate\`.`];
    }
  }
  let finalReview: FinalReview;
  try {
    finalReview = await finalReviewOfRun({ ...deps, onAsk: () => announce('final-review') }, run.id);
  } catch (error) {
    finalReview = { status: 'failed', verdict: null, note: `the final review could not run: ${messageOf(error)}`, criteria: [], gaps: [], costUsd: 0, followUps: null };
  }
  announce('summary');
  await deps.feedback.settled();
  const summary = composeRunSummary(deps.store, deps.store.runs.get(run.id) ?? run, { integration: integrationLines, finalReview });
  deps.store.write(() => deps.store.runSummaries.save(summary, Date.now()));
  deps.events.emit('run.summarized', { runId: run.id, summary });
  return { integration, summary };
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}
