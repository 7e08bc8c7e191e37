import type { Integration } from '../../src-shared/domain/integration';
import type { Store } from '../store/store';
import { currentBranch, gitText, headCommit, isAncestor, resolveCommit, runGit } from '../workspace/git';
import { mergeTrees } from '../workspace/merge';
import { integrationBranchName } from '../workspace/worktrees';

/** A run cannot start because the repository has nothing to start from. */
export class NoCommitError extends Error {
  override readonly name = 'NoCommitError';
  constructor() {
    super('The repository has no commit yet, so a run has nothing to start from. Commit once (git add -A && git commit -m "First commit"), then run again.');
  }
}

/** The integration branch a new run merges into, and what the user should know about where it starts. */
export interface RunStart {
  readonly integration: Integration;
  readonly notes: ReadonlyArray<string>;
}

/**
 * Where a run starts (the first step of its pipeline): a new integration branch at the user's HEAD —
 * or, while finished work of earlier runs is still kept on their branches (their merge into the
 * user's branch was refused), at a commit that contains that work too, so no run builds without it.
 * The branch and its base are recorded before any attempt starts.
 */
export async function openRunIntegration(projectDir: string, store: Store, runId: string, owner: string): Promise<RunStart> {
  const head = await headCommit(projectDir);
  if (head === null) throw new NoCommitError();
  const notes: string[] = [];
  const startedOnBranch = await currentBranch(projectDir);
  let base = head;
  for (const kept of store.integrations.listUnintegrated()) {
    if (kept.status !== 'kept') continue;
    const tip = (await resolveCommit(projectDir, `refs/heads/${kept.branch}`)) ?? (await resolveCommit(projectDir, kept.tip));
    if (tip === null) continue;
    // Work of a run started on another line of history would bring that line's commits along.
    if (kept.startedAtCommit !== null && !(await isAncestor(projectDir, kept.startedAtCommit, head))) {
      notes.push(`The work kept on ${kept.branch} was made on ${kept.startedOnBranch ?? 'another commit'}, which your current branch does not hold; this run starts without it.`);
      continue;
    }
    if (await isAncestor(projectDir, tip, base)) continue;
    if (await isAncestor(projectDir, base, tip)) {
      base = tip;
    } else {
      const merged = await mergeTrees(projectDir, base, tip);
      if (!merged.clean) {
        notes.push(`The work kept on ${kept.branch} conflicts with your branch in ${merged.conflictingFiles.join(', ')}; this run starts without it. Merge it by hand: git merge ${kept.branch}`);
        continue;
      }
      base = await gitText(projectDir, ['commit-tree', merged.tree, '-p', base, '-p', tip, '-F', '-'], { input: `Start of run ${runId}: your branch with the work kept on ${kept.branch}\n`, needsIdentity: true });
    }
    notes.push(`This run starts from the finished work kept on ${kept.branch} (not on your branch yet), so its tasks build on it; it reaches your branch when this run's work does (or now: co integrate).`);
  }
  const branch = integrationBranchName(runId);
  await runGit(projectDir, ['update-ref', `refs/heads/${branch}`, base, '']);
  const now = Date.now();
  store.write(() => store.integrations.insert({ runId, branch, baseCommit: base, owner, startedOnBranch, startedAtCommit: head }, now));
  const integration = store.integrations.get(runId);
  if (integration === undefined) throw new Error(`The integration of run ${runId} was not recorded.`);
  return { integration, notes };
}
