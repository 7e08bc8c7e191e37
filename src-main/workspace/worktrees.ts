import { mkdir, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { assertGitRoot, workspacePaths } from './layout';
import { assertValidBranchName, GitError, gitText, isAncestor, resolveCommit, runGit, splitNul } from './git';

/** Branch names the orchestrator creates. */
export const BRANCH_PREFIX = 'orchestrator/';

/** The branch attempts start from and merge into; never checked out, so the user's tree is untouched. */
export interface IntegrationBranch {
  readonly branch: string;
  readonly baseCommit: string;
}

/** One attempt's isolated checkout. */
export interface AttemptWorktree {
  readonly attemptId: string;
  readonly path: string;
  readonly branch: string;
  /** Integration tip the attempt started from; the attempt's diff is against it. */
  readonly baseCommit: string;
}

/** Default integration branch of a run. */
export function integrationBranchName(runId: string): string {
  return `${BRANCH_PREFIX}run-${safeName(runId)}`;
}

/** Default branch of an attempt. */
export function attemptBranchName(attemptId: string): string {
  return `${BRANCH_PREFIX}attempt-${safeName(attemptId)}`;
}

function safeName(id: string): string {
  const name = id.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[.-]+/, '').replace(/\.+$/, '').replace(/\.\.+/g, '.');
  if (name === '' || name.endsWith('.lock')) throw new Error(`"${id}" cannot be used in a branch name.`);
  return name;
}

/**
 * Creates (or reuses) the integration branch of a run, starting at `baseRef` (default the
 * user's HEAD). Only a ref is written: the user's working tree, index and branch are untouched.
 */
export async function ensureIntegrationBranch(
  projectDir: string,
  options: { readonly runId: string; readonly baseRef?: string; readonly branch?: string },
): Promise<IntegrationBranch> {
  await assertGitRoot(projectDir);
  const branch = options.branch ?? integrationBranchName(options.runId);
  await assertValidBranchName(projectDir, branch);
  const existing = await resolveCommit(projectDir, `refs/heads/${branch}`);
  if (existing !== null) return { branch, baseCommit: existing };
  const base = await resolveCommit(projectDir, options.baseRef ?? 'HEAD');
  if (base === null) {
    throw new Error(`Cannot start from "${options.baseRef ?? 'HEAD'}": the repository has no commit there yet. Commit once first.`);
  }
  // '' as the old value: create only if absent. If a concurrent caller won the race, use its branch.
  const created = await runGit(projectDir, ['update-ref', `refs/heads/${branch}`, base, ''], { allowExitCodes: [128] });
  if (created.exitCode !== 0) {
    const winner = await resolveCommit(projectDir, `refs/heads/${branch}`);
    if (winner === null) throw new GitError(['update-ref', `refs/heads/${branch}`], created.exitCode, created.stderr);
    return { branch, baseCommit: winner };
  }
  return { branch, baseCommit: base };
}

/**
 * Creates an attempt's branch from the integration branch's current tip (so it contains its
 * dependencies' merged work) and checks it out in `.orchestrator/worktrees/<attemptId>`.
 */
export async function createAttemptWorktree(
  projectDir: string,
  options: { readonly attemptId: string; readonly integrationBranch: string; readonly branch?: string },
): Promise<AttemptWorktree> {
  await assertGitRoot(projectDir);
  const branch = options.branch ?? attemptBranchName(options.attemptId);
  await assertValidBranchName(projectDir, branch);
  const baseCommit = await resolveCommit(projectDir, `refs/heads/${options.integrationBranch}`);
  if (baseCommit === null) throw new Error(`Integration branch "${options.integrationBranch}" does not exist.`);
  const { worktreesDir } = workspacePaths(projectDir);
  await mkdir(worktreesDir, { recursive: true, mode: 0o700 });
  const worktreePath = path.join(worktreesDir, safeName(options.attemptId));
  await runGit(projectDir, ['worktree', 'add', '-q', '-b', branch, worktreePath, baseCommit]);
  return { attemptId: options.attemptId, path: worktreePath, branch, baseCommit };
}

/**
 * Checks out a new branch `branch` at `baseCommit` in `.orchestrator/worktrees/<attemptId>` (the
 * pipeline decides the base: the integration tip when the attempt starts).
 */
export async function createAttemptWorktreeAt(
  projectDir: string,
  options: { readonly attemptId: string; readonly branch: string; readonly baseCommit: string },
): Promise<AttemptWorktree> {
  await assertGitRoot(projectDir);
  await assertValidBranchName(projectDir, options.branch);
  const { worktreesDir } = workspacePaths(projectDir);
  await mkdir(worktreesDir, { recursive: true, mode: 0o700 });
  const worktreePath = path.join(worktreesDir, safeName(options.attemptId));
  await runGit(projectDir, ['worktree', 'add', '-q', '-B', options.branch, worktreePath, options.baseCommit]);
  return { attemptId: options.attemptId, path: worktreePath, branch: options.branch, baseCommit: options.baseCommit };
}

/** The branch of one attempt, named so a person can tell whose work it holds: orchestrator/task-12-attempt-2-1a2b3c4d. */
export function taskAttemptBranchName(taskId: string, attemptNumber: number, attemptId: string): string {
  return `${BRANCH_PREFIX}task-${taskBranchPart(taskId)}-attempt-${attemptNumber}-${safeName(attemptId).slice(0, 8)}`;
}

/** How a task id appears in its attempts' branch names (`12` in orchestrator/task-12-attempt-2-…). */
export function taskBranchPart(taskId: string): string {
  return safeName(taskId);
}

/** The task part (`taskBranchPart`) of a branch named by `taskAttemptBranchName`, or undefined for any other branch. */
export function taskPartOfAttemptBranch(branch: string): string | undefined {
  return ATTEMPT_BRANCH.exec(branch)?.[1];
}

const ATTEMPT_BRANCH = new RegExp(`^${BRANCH_PREFIX}task-(.+)-attempt-\\d+-[A-Za-z0-9._-]+$`);

/**
 * Commits everything in a worktree (untracked included) on its branch; returns the new
 * commit, or null when there was nothing to commit. Hooks are skipped: review is the gate.
 * The commit is made from the index `git add` just wrote (write-tree, commit-tree, then the
 * branch moved from the old commit to the new one): `git commit` would check every file of the
 * checkout again, which on a large repository costs as much as the add (docs/BENCHMARKS.md
 * "Workspace speed"), and would sign or run post-commit hooks the user set up for their own commits.
 */
export async function commitAllChanges(worktreePath: string, message: string, options: { readonly exclude?: ReadonlyArray<string> } = {}): Promise<string | null> {
  const excluded = (options.exclude ?? []).map((file) => `:(exclude,literal)${file}`);
  await runGit(worktreePath, excluded.length === 0 ? ['add', '-A'] : ['add', '-A', '--', '.', ...excluded]);
  const staged = await runGit(worktreePath, ['diff', '--cached', '--quiet'], { allowExitCodes: [1] });
  if (staged.exitCode === 0) return null;
  const tree = await gitText(worktreePath, ['write-tree']);
  const parent = await gitText(worktreePath, ['rev-parse', '--verify', 'HEAD']);
  const commit = await gitText(worktreePath, ['commit-tree', tree, '-p', parent, '-F', '-'], { input: message, needsIdentity: true });
  await runGit(worktreePath, ['update-ref', '-m', `commit: ${message.split('\n')[0] ?? ''}`, 'HEAD', commit, parent]);
  return commit;
}

/** A commit message with the configured prefix (seeds' git.commit_message_prefix). */
export function taskCommitMessage(prefix: string, task: { readonly id: string; readonly title: string }): string {
  const head = `${prefix}${prefix === '' || /\s$/.test(prefix) ? '' : ' '}${task.title} (task ${task.id})`;
  return `${head.trim()}\n`;
}

/** One registered git worktree. */
export interface WorktreeEntry {
  readonly path: string;
  readonly head: string | null;
  readonly branch: string | null;
  readonly locked: boolean;
  readonly prunable: boolean;
}

/** All worktrees git knows for the repository (the main one first). */
export async function listWorktrees(projectDir: string): Promise<WorktreeEntry[]> {
  const fields = splitNul((await runGit(projectDir, ['worktree', 'list', '--porcelain', '-z'])).stdout);
  const entries: WorktreeEntry[] = [];
  let current: { path: string; head: string | null; branch: string | null; locked: boolean; prunable: boolean } | null = null;
  for (const field of [...fields, '']) {
    if (field === '') {
      if (current !== null) entries.push(current);
      current = null;
      continue;
    }
    const [key = '', ...rest] = field.split(' ');
    const value = rest.join(' ');
    if (key === 'worktree') current = { path: value, head: null, branch: null, locked: false, prunable: false };
    else if (current === null) continue;
    else if (key === 'HEAD') current.head = value;
    else if (key === 'branch') current.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'locked') current.locked = true;
    else if (key === 'prunable') current.prunable = true;
  }
  return entries;
}

/**
 * Removes an attempt's worktree; uncommitted work is committed to its branch first, and the
 * branch is deleted only when `deleteBranchIfMergedInto` already contains it, so nothing is lost.
 */
export async function removeAttemptWorktree(
  projectDir: string,
  worktree: Pick<AttemptWorktree, 'path' | 'branch'>,
  options: { readonly deleteBranchIfMergedInto?: string } = {},
): Promise<{ readonly salvagedCommit: string | null; readonly branchDeleted: boolean }> {
  const present = await stat(worktree.path).then(
    (info) => info.isDirectory(),
    () => false,
  );
  const salvageMessage = 'orchestrator: uncommitted work saved before worktree removal\n';
  const salvagedCommit = present ? await commitAllChanges(worktree.path, salvageMessage) : null;
  if (present) await runGit(projectDir, ['worktree', 'remove', '--force', worktree.path]);
  await runGit(projectDir, ['worktree', 'prune']);
  const branchDeleted = await isMergedBranch(projectDir, worktree.branch, options.deleteBranchIfMergedInto);
  if (branchDeleted) await runGit(projectDir, ['branch', '-D', '-q', worktree.branch]);
  return { salvagedCommit, branchDeleted };
}

/** True when `branch` exists and `into` already contains it (so deleting it loses nothing). */
async function isMergedBranch(projectDir: string, branch: string, into: string | undefined): Promise<boolean> {
  if (into === undefined || branch === '') return false;
  if ((await resolveCommit(projectDir, `refs/heads/${branch}`)) === null) return false;
  return isAncestor(projectDir, `refs/heads/${branch}`, into);
}

/** What stale worktree cleanup did. */
export interface CleanupReport {
  readonly removedWorktrees: ReadonlyArray<string>;
  /** Worktrees whose uncommitted work was committed to their branch before removal. */
  readonly salvagedBranches: ReadonlyArray<string>;
  /** Attempt branches deleted because the integration branch already contains them. */
  readonly deletedBranches: ReadonlyArray<string>;
  /** Folders under .orchestrator/worktrees that git does not know; left for the user to inspect. */
  readonly unknownFolders: ReadonlyArray<string>;
}

/**
 * Removes attempt worktrees that no live attempt owns (after a crash, say). Work is never
 * lost: uncommitted changes are committed to the attempt's branch, and a branch is deleted
 * only when `mergedInto` already contains it.
 */
export async function cleanupStaleWorktrees(
  projectDir: string,
  /** `isActive` receives git's (real) path of each attempt worktree. */
  options: { readonly isActive: (worktreePath: string) => boolean; readonly mergedInto?: string },
): Promise<CleanupReport> {
  await runGit(projectDir, ['worktree', 'prune']);
  // git reports real paths; compare against the real path of our folder (symlinked temp folders, macOS /private).
  const root = await realpath(workspacePaths(projectDir).worktreesDir).catch(() => workspacePaths(projectDir).worktreesDir);
  const worktrees = (await listWorktrees(projectDir)).filter((entry) => isInside(root, entry.path));
  const removedWorktrees: string[] = [];
  const salvagedBranches: string[] = [];
  const deletedBranches: string[] = [];
  for (const entry of worktrees) {
    if (options.isActive(entry.path) || entry.locked) continue;
    const removal = await removeAttemptWorktree(projectDir, { path: entry.path, branch: entry.branch ?? '' }, {
      ...(options.mergedInto === undefined ? {} : { deleteBranchIfMergedInto: options.mergedInto }),
    });
    removedWorktrees.push(entry.path);
    if (removal.salvagedCommit !== null && entry.branch !== null) salvagedBranches.push(entry.branch);
    if (removal.branchDeleted && entry.branch !== null) deletedBranches.push(entry.branch);
  }
  const known = new Set((await listWorktrees(projectDir)).map((entry) => path.resolve(entry.path)));
  const folders = await readdir(root).catch(() => [] as string[]);
  const unknownFolders = folders.map((name) => path.join(root, name)).filter((folder) => !known.has(path.resolve(folder)));
  return { removedWorktrees, salvagedBranches, deletedBranches, unknownFolders };
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(candidate));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
