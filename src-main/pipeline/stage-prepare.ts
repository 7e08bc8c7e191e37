import type { Task } from '../../src-shared/domain/task';
import type { AttemptContext, ChangedFiles, PreparedWorkspace } from '../engine/lifecycle';
import type { AttemptOutcome } from '../engine/worker-backend';
import type { Store } from '../store/store';
import { TERMINAL_BACKEND } from '../terminal/terminal-backend';
import type { AttemptWorkspaces } from '../workspace/attempt-workspaces';
import { isAncestor, resolveCommit, runGit, splitNul } from '../workspace/git';
import { taskAttemptBranchName } from '../workspace/worktrees';
import type { AttemptState } from './attempt-state';
import type { MergeQueue } from './merge-queue';

/** What the prepare stage needs. */
export interface PrepareDeps {
  readonly projectDir: string;
  readonly store: () => Store;
  readonly workspaces: AttemptWorkspaces;
  readonly queue: MergeQueue;
  /** Copies `checks.copy` files in and runs `checks.setup` when its inputs changed; returns the copied paths. */
  readonly readyWorkspace: (workspace: { readonly path: string; readonly created: boolean }, context: AttemptContext) => Promise<ReadonlyArray<string>>;
}

/** The environment is broken for every task (no commit to start from): the run stops instead of failing each task. */
export class BrokenEnvironmentError extends Error {
  override readonly name = 'BrokenEnvironmentError';
  /** Read by the engine: the run stops with this message. */
  readonly stopsRun = true;
}

/**
 * Stage 1, prepare: the attempt gets a checkout on a new branch at its run's integration tip — after
 * that tip has taken in the merged work of the task's dependencies, even when another process's run
 * produced it — with `checks.copy` files and warm dependencies. A task whose earlier attempt left
 * committed work waiting for a review resumes it instead of running the worker again.
 */
export async function prepareAttempt(deps: PrepareDeps, task: Task, context: AttemptContext): Promise<{ readonly prepared: PreparedWorkspace; readonly state: AttemptState }> {
  const runId = context.runId;
  if (runId === null) throw new Error('An attempt outside a run cannot be integrated.');
  const integration = deps.store().integrations.get(runId);
  if (integration === undefined) throw new Error(`Run ${runId} has no integration branch recorded.`);
  const branchRef = `refs/heads/${integration.branch}`;
  if ((await resolveCommit(deps.projectDir, branchRef)) === null) throw new BrokenEnvironmentError(`The run's integration branch ${integration.branch} is gone (deleted by hand?).`);
  await takeInDependencies(deps, task, context, runId, integration.branch);

  const resumed = await resumedWork(deps, task);
  if (resumed !== null) {
    const state: AttemptState = { runId, integrationBranch: integration.branch, baseCommit: resumed.base, branch: resumed.branch, workspace: null, copied: [], workCommit: resumed.workCommit, workSaved: true, verified: resumed.verified, merged: false };
    return { prepared: { workingDirectory: deps.projectDir, branch: resumed.branch, commitBefore: resumed.base, resumedOutcome: resumed.outcome }, state };
  }

  const tip = await resolveCommit(deps.projectDir, branchRef);
  if (tip === null) throw new BrokenEnvironmentError(`The run's integration branch ${integration.branch} is gone.`);
  const branch = taskAttemptBranchName(task.id, context.attemptNumber, context.attemptId);
  const workspace = await deps.workspaces.acquire({ attemptId: context.attemptId, branch, baseCommit: tip });
  if (workspace.note !== undefined) context.log('system', workspace.note);
  try {
    const copied = await deps.readyWorkspace(workspace, context);
    const state: AttemptState = { runId, integrationBranch: integration.branch, baseCommit: tip, branch, workspace, copied, workCommit: null, workSaved: false, verified: false, merged: false };
    return { prepared: { workingDirectory: workspace.path, worktree: workspace.path, branch, commitBefore: tip, changesFromCommit: true }, state };
  } catch (error) {
    await deps.workspaces.release(workspace).catch(() => undefined);
    throw error;
  }
}

/**
 * Merges the work of the task's done dependencies into the run's integration branch when it is not
 * there yet (another run — another process, or one interrupted — merged it into its own branch).
 */
async function takeInDependencies(deps: PrepareDeps, task: Task, context: AttemptContext, runId: string, integrationBranch: string): Promise<void> {
  const store = deps.store();
  for (const dependencyId of task.dependencies) {
    const merged = store.attempts
      .listForTask(dependencyId)
      .filter((attempt) => attempt.status === 'succeeded' && attempt.commitAfter !== null)
      .at(-1);
    if (merged?.commitAfter === undefined || merged.commitAfter === null) continue;
    const tip = await resolveCommit(deps.projectDir, `refs/heads/${integrationBranch}`);
    if (tip === null || (await resolveCommit(deps.projectDir, merged.commitAfter)) === null) continue;
    if (await isAncestor(deps.projectDir, merged.commitAfter, tip)) continue;
    const dependency = store.tasks.get(dependencyId);
    context.log('system', `Taking in the work of task ${dependencyId}, merged by another run, before this attempt starts.`);
    const outcome = await deps.queue.submit({
      runId,
      integrationBranch,
      task: { id: dependencyId, title: dependency?.title ?? '', description: dependency?.description ?? '' },
      workCommit: merged.commitAfter,
      attemptBase: merged.commitAfter,
      verifiedInWorkspace: false,
      signal: context.signal,
      isCurrent: context.isCurrent,
      log: (text) => context.log('integrate', text),
    });
    if (outcome.status !== 'merged') {
      throw new Error(`The work of task ${dependencyId} (merged by another run) does not combine with this run's work: ${outcome.status === 'conflict' ? `conflict in ${outcome.files.join(', ')}` : `\`${outcome.failed.command}\` failed`}.`);
    }
  }
}

/** Committed work of an earlier attempt waiting for a review that could not run (or made by a person in a terminal), or null. */
async function resumedWork(deps: PrepareDeps, task: Task): Promise<{ readonly outcome: AttemptOutcome & { readonly status: 'succeeded' }; readonly workCommit: string; readonly base: string; readonly branch: string; readonly verified: boolean } | null> {
  if (task.resumeAttemptId === null) return null;
  const attempt = deps.store().attempts.get(task.resumeAttemptId);
  if (attempt?.workCommit === undefined || attempt.workCommit === null || attempt.commitBefore === null || attempt.branch === null) return null;
  if ((await resolveCommit(deps.projectDir, attempt.workCommit)) === null) return null;
  const { filesCreated, filesModified } = await filesChangedBetween(deps.projectDir, attempt.commitBefore, attempt.workCommit);
  return {
    outcome: { status: 'succeeded', output: attempt.output ?? '', filesCreated, filesModified, discoveries: [], usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0 },
    workCommit: attempt.workCommit,
    base: attempt.commitBefore,
    branch: attempt.branch,
    // Work a person made in a terminal has not been through the project's checks; an attempt's that waited for its review has.
    verified: attempt.backend !== TERMINAL_BACKEND,
  };
}

/** The files a commit created and modified (deleted ones count as modified) against a base: a diff of two trees, no scan of a checkout. */
export async function filesChangedBetween(projectDir: string, base: string, work: string): Promise<ChangedFiles> {
  const changes = splitNul((await runGit(projectDir, ['diff', '--name-status', '--no-renames', '-z', base, work])).stdout);
  const filesCreated: string[] = [];
  const filesModified: string[] = [];
  for (let index = 0; index + 1 < changes.length; index += 2) (changes[index] === 'A' ? filesCreated : filesModified).push(changes[index + 1] ?? '');
  return { filesCreated, filesModified };
}
