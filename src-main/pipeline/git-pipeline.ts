import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Task } from '../../src-shared/domain/task';
import type { AfterSuccessResult, AttemptContext, AttemptLifecycle, ChangedFiles, PreparedWorkspace } from '../engine/lifecycle';
import type { AttemptOutcome } from '../engine/worker-backend';
import type { Store } from '../store/store';
import type { AttemptWorkspaces } from '../workspace/attempt-workspaces';
import { runGit } from '../workspace/git';
import { checkOutSubmodules } from '../workspace/submodules';
import type { MergeWorktree } from '../workspace/merge-worktree';
import type { AttemptState } from './attempt-state';
import type { CheckOutcome, CheckRunner, PipelineChecks } from './checks';
import type { ConflictResolver } from './conflict-resolver';
import { MergeQueue } from './merge-queue';
import { filesChangedBetween, prepareAttempt } from './stage-prepare';
import { integrateAttempt } from './stage-integrate';
import { ReviewOutage, reviewAttempt, type AttemptReviewer } from './stage-review';
import { verifyAttempt } from './stage-verify';

const NO_CHANGES: ChangedFiles = { filesCreated: [], filesModified: [] };

/** Everything the git pipeline of a project needs. */
export interface GitPipelineOptions {
  readonly projectDir: string;
  readonly store: () => Store;
  readonly commitMessagePrefix: string;
  /** Null: review off. */
  readonly reviewer: AttemptReviewer | null;
  /** Null: conflicts always go back to the task as a new attempt. */
  readonly resolver: ConflictResolver | null;
  readonly checks: PipelineChecks;
  readonly runChecks: CheckRunner;
  readonly workspaces: AttemptWorkspaces;
  readonly mergeWorktree: MergeWorktree;
  /** Copies `checks.copy` files into a workspace and runs `checks.setup` when needed; returns the copied paths. */
  readonly readyWorkspace: (workspace: { readonly path: string; readonly created: boolean }, context: AttemptContext | null) => Promise<ReadonlyArray<string>>;
  /** Review tries and their pause, for tests. */
  readonly reviewTries?: number;
  readonly reviewRetryDelayMs?: number;
}

/** The pipeline as the engine sees it, plus its merge queue (shared with recovery). */
export interface GitPipeline extends AttemptLifecycle {
  readonly queue: MergeQueue;
}

/**
 * The run pipeline over git, as the engine's lifecycle hooks: prepare (a checkout at the integration
 * tip) → [execute: the worker backend] → verify (commit, project checks) → review (the manager) →
 * integrate (the merge queue), then cleanup (the checkout is given back; a merged attempt's branch
 * is deleted, others stay until their task is done). The user's working tree, index and branch are
 * untouched throughout; the run's finish merges the integration branch into the user's branch.
 */
export function gitPipeline(options: GitPipelineOptions): GitPipeline {
  const attempts = new Map<string, AttemptState>();
  const reviewOutage = new ReviewOutage();
  const queue = new MergeQueue({
    projectDir: options.projectDir,
    checks: options.checks,
    resolver: options.resolver,
    mergeWorktree: options.mergeWorktree,
    recordTip: (runId, tip) => {
      const store = options.store();
      store.write(() => store.integrations.setTip(runId, tip, Date.now()));
    },
    verifyTip: async (worktree, commit, signal): Promise<CheckOutcome> => {
      await worktree.checkout(commit);
      // A problem is not fatal here: the checks then say what is missing.
      await checkOutSubmodules(worktree.folder, options.projectDir);
      await options.readyWorkspace({ path: worktree.folder, created: false }, null);
      return options.runChecks(options.checks.verify, { cwd: worktree.folder, timeoutMs: options.checks.timeoutMs, signal });
    },
  });
  const stateOf = (context: AttemptContext): AttemptState => {
    const state = attempts.get(context.attemptId);
    if (state === undefined) throw new Error(`No workspace is recorded for attempt ${context.attemptId}.`);
    return state;
  };

  return {
    queue,

    async prepare(task: Task, context: AttemptContext): Promise<PreparedWorkspace> {
      const { prepared, state } = await prepareAttempt(
        { projectDir: options.projectDir, store: options.store, workspaces: options.workspaces, queue, readyWorkspace: options.readyWorkspace },
        task,
        context,
      );
      attempts.set(context.attemptId, state);
      return prepared;
    },

    async afterSuccess(task, outcome, context): Promise<AfterSuccessResult> {
      const state = stateOf(context);
      const verified = await verifyAttempt({ checks: options.checks, runChecks: options.runChecks, commitMessagePrefix: options.commitMessagePrefix }, task, state, context);
      const workCommit = state.workCommit ?? undefined;
      // Stored before review and merge: if this process dies once the work is merged, recovery finds this
      // commit in the run's branch and marks the task done instead of running it again.
      if (workCommit !== undefined) recordWorkCommit(options.store(), context.attemptId, workCommit);
      // The backend did not scan the checkout (changesFromCommit): the commit says what changed.
      const changedFiles = state.workspace === null ? undefined : workCommit === undefined ? NO_CHANGES : await filesChangedBetween(options.projectDir, state.baseCommit, workCommit);
      const withCommit = (result: AfterSuccessResult): AfterSuccessResult => ({
        ...result,
        ...(workCommit === undefined || result.workCommit !== undefined ? {} : { workCommit }),
        ...(changedFiles === undefined ? {} : { changedFiles }),
      });
      if ('verdict' in verified) return withCommit({ verdict: verified.verdict });
      const reviewOptions = {
        projectDir: options.projectDir,
        reviewer: options.reviewer,
        outage: reviewOutage,
        ...(options.reviewTries === undefined ? {} : { reviewTries: options.reviewTries }),
        ...(options.reviewRetryDelayMs === undefined ? {} : { reviewRetryDelayMs: options.reviewRetryDelayMs }),
      };
      const verdict = await reviewAttempt(reviewOptions, task, outcome.output, state, context);
      if (verdict !== 'approve') return withCommit({ verdict });
      const integrated = await integrateAttempt(queue, task, state, context);
      // With review off the work passed without a verdict: the attempt must not say the manager approved it.
      return withCommit(options.reviewer === null ? { ...integrated, reviewed: false } : integrated);
    },

    async cleanup(_task: Task, _outcome: AttemptOutcome, context: AttemptContext): Promise<void> {
      const state = attempts.get(context.attemptId);
      attempts.delete(context.attemptId);
      if (state === undefined) return;
      if (state.workspace !== null) {
        // Copied files (.env …) must not be swept into the branch when the checkout is given back.
        await Promise.all(state.copied.map((file) => rm(path.join(state.workspace?.path ?? '', file), { force: true })));
        await options.workspaces.release(state.workspace, { saveLeftovers: !state.workSaved });
      }
      if (state.merged) await runGit(options.projectDir, ['branch', '-D', '-q', state.branch], { allowExitCodes: [1] });
    },
  };
}

function recordWorkCommit(store: Store, attemptId: string, workCommit: string): void {
  store.write(() => store.attempts.setWorkspace(attemptId, { workCommit }));
}
