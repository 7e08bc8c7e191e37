import type { Integration } from '../../src-shared/domain/integration';
import type { Store } from '../store/store';
import { currentBranch, headCommit, isAncestor, resolveCommit, runGit } from '../workspace/git';
import { mergeIntoCurrentBranch } from '../workspace/merge';
import { pruneResolvedAttemptBranches } from './branch-cleanup';

/** The one command that brings kept work in, as the CLI and the app tell the user. */
export const INTEGRATE_COMMAND = 'co integrate';

/** What bringing a run's work into the user's branch did. */
export interface IntegrationReport {
  readonly runId: string;
  readonly status: Integration['status'];
  /** Lines for people: what was merged, or where the work is kept and how to bring it in. */
  readonly lines: ReadonlyArray<string>;
}

/**
 * Stage 6, finish: merges a run's integration branch (all its approved, checked work) into the
 * user's current branch, exactly once, and records the outcome. When git refuses (uncommitted changes
 * in the way, a conflict, a detached HEAD) the work is kept on the branch — recorded as 'kept' with
 * the reason, reported by `co status` and the app, and taken in by the next run and `co integrate`.
 * Kept work of earlier runs that the merge brought in is marked integrated too.
 */
export async function finishRunIntegration(projectDir: string, store: Store, runId: string): Promise<IntegrationReport> {
  const integration = store.integrations.get(runId);
  if (integration === undefined) return { runId, status: 'empty', lines: [] };
  const report = await settle(projectDir, store, integration);
  if (report.status === 'integrated') await markContainedIntegrated(projectDir, store, `brought in with run ${runId}`);
  await pruneResolvedAttemptBranches(projectDir, store).catch(() => undefined);
  return report;
}

/** `co integrate`: brings every kept (or stranded) run's work into the user's branch; newest first, so one merge usually covers the rest. */
export async function integrateKeptWork(projectDir: string, store: Store, isOwnerAlive: (owner: string) => boolean): Promise<ReadonlyArray<IntegrationReport>> {
  const reports: IntegrationReport[] = [];
  const pending = store.integrations.listUnintegrated().filter((integration) => integration.status === 'kept' || !isOwnerAlive(integration.owner) || isFinished(store, integration));
  for (const integration of [...pending].reverse()) {
    const current = store.integrations.get(integration.runId);
    if (current === undefined || (current.status !== 'kept' && current.status !== 'open')) continue;
    const report = await settle(projectDir, store, current);
    reports.push(report);
    if (report.status === 'integrated') await markContainedIntegrated(projectDir, store, `brought in with run ${integration.runId}`);
  }
  return reports;
}

/** Marks open-or-kept integrations whose work the user's branch already holds as integrated (and drops their branches). */
export async function markContainedIntegrated(projectDir: string, store: Store, note: string): Promise<void> {
  const head = await headCommit(projectDir);
  if (head === null) return;
  for (const integration of store.integrations.listUnintegrated()) {
    if (integration.status !== 'kept' && !isFinished(store, integration)) continue;
    const tip = (await resolveCommit(projectDir, `refs/heads/${integration.branch}`)) ?? integration.tip;
    if (!(await isAncestor(projectDir, tip, head))) continue;
    store.write(() => store.integrations.settle(integration.runId, { status: 'integrated', note, integratedCommit: head }, Date.now()));
    await deleteBranch(projectDir, integration.branch);
  }
}

function isFinished(store: Store, integration: Integration): boolean {
  const run = store.runs.get(integration.runId);
  return run !== undefined && run.status !== 'running';
}

async function settle(projectDir: string, store: Store, integration: Integration): Promise<IntegrationReport> {
  const runId = integration.runId;
  const record = (status: Exclude<Integration['status'], 'open'>, note: string | null, integratedCommit: string | null = null): void => {
    store.write(() => store.integrations.settle(runId, { status, note, integratedCommit }, Date.now()));
  };
  const tip = await resolveCommit(projectDir, `refs/heads/${integration.branch}`);
  if (tip === null) {
    record('kept', `the branch ${integration.branch} is gone; its last recorded commit is ${integration.tip.slice(0, 10)}`);
    return { runId, status: 'kept', lines: [`The run's branch ${integration.branch} was deleted; its work is still in commit ${integration.tip}. Bring it in with: git merge ${integration.tip}`] };
  }
  const head = await headCommit(projectDir);
  if (head !== null && (await isAncestor(projectDir, tip, head))) {
    const merged = tip !== integration.baseCommit;
    record(merged ? 'integrated' : 'empty', merged ? 'already on your branch' : 'the run merged nothing', merged ? head : null);
    await deleteBranch(projectDir, integration.branch);
    return { runId, status: merged ? 'integrated' : 'empty', lines: [] };
  }
  const keep = (why: string, how: string): IntegrationReport => {
    record('kept', why);
    return { runId, status: 'kept', lines: [`The run's work is kept on branch ${integration.branch}: ${why}. ${how}`] };
  };
  // The user switched to a branch that does not hold where the run started (or rewrote theirs): merging
  // would bring the run's whole line of history into it, not only the run's work.
  if (head !== null && integration.startedAtCommit !== null && !(await isAncestor(projectDir, integration.startedAtCommit, head))) {
    const startedOn = integration.startedOnBranch ?? `commit ${integration.startedAtCommit.slice(0, 10)}`;
    const now = (await currentBranch(projectDir)) ?? 'a detached HEAD';
    const back = integration.startedOnBranch === null ? `git checkout ${integration.startedAtCommit.slice(0, 10)}` : `git checkout ${integration.startedOnBranch}`;
    return keep(
      `the run started on ${startedOn}, and your checkout is now on ${now}, which does not hold that`,
      `Go back (${back}) and run \`${INTEGRATE_COMMAND}\`, or merge it where you want it: git merge ${integration.branch}`,
    );
  }
  try {
    const merged = await mergeIntoCurrentBranch(projectDir, { sourceBranch: integration.branch, message: `Merge orchestrator run ${runId}\n` });
    switch (merged.status) {
      case 'merged':
        record('integrated', `merged into your branch (${merged.commit.slice(0, 10)})`, merged.commit);
        await deleteBranch(projectDir, integration.branch);
        return { runId, status: 'integrated', lines: [`Merged the run's approved work into your current branch (${merged.commit.slice(0, 10)}).`] };
      case 'up-to-date':
        record('integrated', 'already on your branch', merged.commit);
        await deleteBranch(projectDir, integration.branch);
        return { runId, status: 'integrated', lines: [] };
      case 'conflict':
        return keep(`it conflicts with your branch in ${merged.conflictingFiles.join(', ')}`, `Merge it and resolve: git merge ${integration.branch}`);
      case 'blocked-by-local-changes':
        return keep(`your uncommitted changes in ${merged.files.join(', ')} are in the way`, `Commit or stash them, then run \`${INTEGRATE_COMMAND}\` (or use Integrate in the app). The next run builds on this work meanwhile.`);
    }
  } catch (error) {
    return keep(error instanceof Error ? error.message.replace(/\.$/, '') : String(error), `Run \`${INTEGRATE_COMMAND}\` once that is fixed (or: git merge ${integration.branch}).`);
  }
}

async function deleteBranch(projectDir: string, branch: string): Promise<void> {
  await runGit(projectDir, ['branch', '-D', '-q', branch], { allowExitCodes: [1] });
}
