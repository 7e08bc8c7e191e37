import { gitText, isAncestor, resolveCommit, runGit, splitNul } from './git';
import { withUserMergeLock } from './user-merge-lock';

/** How merging one branch into another ended. */
export type MergeResult =
  | { readonly status: 'merged'; readonly commit: string; readonly fastForward: boolean }
  | { readonly status: 'up-to-date'; readonly commit: string }
  /** Nothing changed anywhere; both branches are as they were. */
  | { readonly status: 'conflict'; readonly conflictingFiles: ReadonlyArray<string> }
  /** The user's uncommitted changes would be overwritten; nothing was changed. */
  | { readonly status: 'blocked-by-local-changes'; readonly files: ReadonlyArray<string> };

const queues = new Map<string, Promise<unknown>>();

/** Runs merges into the same branch one after another within this process. */
async function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  queues.set(key, settled);
  try {
    return await next;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}

/** Outcome of a merge computed without any working tree (`git merge-tree --write-tree`, git ≥ 2.38). */
type TreeMerge = { readonly clean: true; readonly tree: string } | { readonly clean: false; readonly conflictingFiles: string[] };

/** Computes the merge of two commits in the object database only. */
export async function mergeTrees(projectDir: string, ours: string, theirs: string): Promise<TreeMerge> {
  const result = await runGit(projectDir, ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs], {
    allowExitCodes: [1],
  });
  const fields = splitNul(result.stdout);
  const tree = fields[0] ?? '';
  if (result.exitCode === 0) return { clean: true, tree };
  const conflictingFiles = [...new Set(fields.slice(1).filter((field) => field !== ''))].sort();
  return { clean: false, conflictingFiles };
}

/**
 * Merges an attempt branch into the integration branch without checking either out: the
 * merge is computed in the object database and the branch ref moved with compare-and-swap.
 * A conflict changes nothing and names the conflicting files; the attempt branch keeps its work.
 */
export async function mergeAttemptBranch(
  projectDir: string,
  options: { readonly integrationBranch: string; readonly attemptBranch: string; readonly message: string },
): Promise<MergeResult> {
  const integrationRef = `refs/heads/${options.integrationBranch}`;
  return serialized(`${projectDir}\0${integrationRef}`, async () => {
    for (let tries = 0; tries < 5; tries += 1) {
      const ours = await requireCommit(projectDir, integrationRef);
      const theirs = await requireCommit(projectDir, `refs/heads/${options.attemptBranch}`);
      if (await isAncestor(projectDir, theirs, ours)) return { status: 'up-to-date', commit: ours } as const;
      let commit: string;
      let fastForward = false;
      if (await isAncestor(projectDir, ours, theirs)) {
        commit = theirs;
        fastForward = true;
      } else {
        const merged = await mergeTrees(projectDir, ours, theirs);
        if (!merged.clean) return { status: 'conflict', conflictingFiles: merged.conflictingFiles } as const;
        commit = await gitText(projectDir, ['commit-tree', merged.tree, '-p', ours, '-p', theirs, '-F', '-'], {
          input: options.message,
          needsIdentity: true,
        });
      }
      // Compare-and-swap: fails if another process moved the branch meanwhile; then merge again.
      const moved = await runGit(projectDir, ['update-ref', '-m', `orchestrator: merge ${options.attemptBranch}`, integrationRef, commit, ours], {
        allowExitCodes: [128],
      });
      if (moved.exitCode === 0) return { status: 'merged', commit, fastForward } as const;
    }
    throw new Error(`The branch ${options.integrationBranch} kept changing while merging ${options.attemptBranch}; try again.`);
  });
}

/**
 * Brings the integration branch into the user's current branch: the one step that touches the
 * user's working tree. Checked first without a working tree, so a conflict changes nothing;
 * git itself refuses (and we report) when uncommitted changes would be overwritten. Merges from
 * other orchestrator processes (the app and `co run` on one project) take turns under a lock;
 * when something else (the user's own git) moved the branch or held git's index lock meanwhile,
 * the merge is worked out again.
 */
export async function mergeIntoCurrentBranch(
  projectDir: string,
  options: { readonly sourceBranch: string; readonly message: string },
): Promise<MergeResult> {
  const currentRef = await runGit(projectDir, ['symbolic-ref', '-q', 'HEAD'], { allowExitCodes: [1] });
  if (currentRef.exitCode !== 0) throw new Error('HEAD is detached; check out the branch to merge into first.');
  const ref = currentRef.stdout.trim();
  return serialized(`${projectDir}\0${ref}`, () =>
    withUserMergeLock(projectDir, async () => {
      for (let tries = 1; ; tries += 1) {
        const outcome = await mergeIntoHeadOnce(projectDir, options);
        if (outcome.status !== 'raced') return outcome;
        if (tries >= CONCURRENT_MERGE_TRIES) throw new Error(`git merge of ${options.sourceBranch} failed: ${outcome.detail}`);
        await new Promise((resolve) => setTimeout(resolve, 50 * tries + Math.floor(Math.random() * 100)));
      }
    }),
  );
}

/** How often a merge into the user's branch is worked out again when another process got in its way. */
const CONCURRENT_MERGE_TRIES = 8;

/** One try of `mergeIntoCurrentBranch`; 'raced' when another process moved HEAD or held the index lock meanwhile. */
async function mergeIntoHeadOnce(
  projectDir: string,
  options: { readonly sourceBranch: string; readonly message: string },
): Promise<MergeResult | { readonly status: 'raced'; readonly detail: string }> {
  const ours = await requireCommit(projectDir, 'HEAD');
  const theirs = await requireCommit(projectDir, `refs/heads/${options.sourceBranch}`);
  if (await isAncestor(projectDir, theirs, ours)) return { status: 'up-to-date', commit: ours } as const;
  const fastForward = await isAncestor(projectDir, ours, theirs);
  let target = theirs;
  if (!fastForward) {
    // The merge commit is made in the object database, so the working tree only ever fast-forwards to it:
    // a branch that moved meanwhile makes the step fail (and it is worked out again), never leaves conflict markers.
    const merged = await mergeTrees(projectDir, ours, theirs);
    if (!merged.clean) return { status: 'conflict', conflictingFiles: merged.conflictingFiles } as const;
    target = await gitText(projectDir, ['commit-tree', merged.tree, '-p', ours, '-p', theirs, '-F', '-'], { input: options.message, needsIdentity: true });
  }
  const result = await runGit(projectDir, ['merge', '-q', '--ff-only', target], { allowExitCodes: [1, 2, 128], needsIdentity: true });
  if (result.exitCode !== 0) {
    const files = localChangesInTheWay(`${result.stdout}\n${result.stderr}`);
    if (files.length > 0) return { status: 'blocked-by-local-changes', files } as const;
    const detail = result.stderr.trim();
    if ((await resolveCommit(projectDir, 'HEAD')) !== ours || /index\.lock/.test(detail)) return { status: 'raced', detail } as const;
    throw new Error(`git merge of ${options.sourceBranch} failed: ${detail}`);
  }
  return { status: 'merged', commit: target, fastForward } as const;
}

/** Files git lists under "would be overwritten by merge" / "untracked working tree files would be overwritten". */
function localChangesInTheWay(output: string): string[] {
  const files: string[] = [];
  let listing = false;
  for (const line of output.split('\n')) {
    if (/would be (overwritten|removed) by merge/.test(line)) listing = true;
    else if (listing && line.startsWith('\t')) files.push(line.trim());
    else listing = false;
  }
  return files;
}

async function requireCommit(projectDir: string, revision: string): Promise<string> {
  const commit = await resolveCommit(projectDir, revision);
  if (commit === null) throw new Error(`"${revision.replace(/^refs\/heads\//, '')}" does not exist.`);
  return commit;
}
