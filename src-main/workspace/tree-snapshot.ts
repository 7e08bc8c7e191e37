import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ORCHESTRATOR_DIR_NAME } from './layout';
import { readHeadCommit } from './fast-head';
import { GitError, runGit, splitNul } from './git';

/** The working tree, the user's index and HEAD at one moment, as git objects. */
export interface WorkingTreeSnapshot {
  /** Tree of every non-ignored file (untracked included), `.orchestrator/` excluded. */
  readonly tree: string;
  /** Tree of the user's index, or null when it has unresolved conflicts. */
  readonly indexTree: string | null;
  readonly head: string | null;
}

/** One path that differs between two trees. */
export interface TreeChange {
  readonly path: string;
  /** 'added' and 'deleted' are relative to the first tree. */
  readonly status: 'added' | 'deleted' | 'modified' | 'type-changed';
}

/** Runs `use` with a fresh temporary index file that is deleted afterwards. */
export async function withTemporaryIndex<T>(use: (indexFile: string, env: Readonly<Record<string, string>>) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'co-index-'));
  const indexFile = path.join(dir, 'index');
  try {
    return await use(indexFile, { GIT_INDEX_FILE: indexFile });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Records the working tree (untracked files included, .gitignore respected, `.orchestrator/`
 * never) as a tree object through a temporary index: the user's index, HEAD and branches are
 * not touched. The temporary index starts empty on purpose, so skip-worktree or
 * assume-unchanged bits in the user's index cannot hide changes.
 */
export async function snapshotWorkingTree(projectDir: string): Promise<WorkingTreeSnapshot> {
  const [tree, indexTree, head] = await Promise.all([workingTreeObject(projectDir), userIndexTree(projectDir), readHeadCommit(projectDir)]);
  return { tree, indexTree, head };
}

/** Tree object of the working tree alone. */
export async function workingTreeObject(projectDir: string): Promise<string> {
  return withTemporaryIndex(async (_indexFile, env) => {
    const added = await runGit(projectDir, ['add', '-A', '--', '.', `:(exclude)${ORCHESTRATOR_DIR_NAME}`], { env, allowExitCodes: [1] });
    if (added.exitCode !== 0 && !onlyComplainsAboutIgnoredWorkspace(added.stderr)) {
      throw new GitError(['add', '-A'], added.exitCode, added.stderr);
    }
    return (await runGit(projectDir, ['write-tree'], { env })).stdout.trim();
  });
}

/**
 * `git add` exits 1 when an exclude pathspec names an ignored folder, although it added
 * everything else; that (and only that) is not a failure.
 */
function onlyComplainsAboutIgnoredWorkspace(stderr: string): boolean {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('hint:'));
  const [first, ...rest] = lines;
  return first?.startsWith('The following paths are ignored') === true && rest.every((line) => line.trim().startsWith(ORCHESTRATOR_DIR_NAME));
}

/** Tree of the user's index, written from a copy so the real index file is never rewritten. */
async function userIndexTree(projectDir: string): Promise<string | null> {
  const indexPath = await userIndexPath(projectDir);
  const bytes = await readFile(indexPath).catch(() => null);
  if (bytes === null) return EMPTY_TREE;
  // The same index bytes always give the same tree: skip the process when the index has not changed.
  const key = `${projectDir}\0${createHash('sha256').update(bytes).digest('hex')}`;
  const cached = indexTreeCache.get(key);
  if (cached !== undefined) return cached;
  const tree = await withTemporaryIndex(async (indexFile, env) => {
    await writeFile(indexFile, bytes);
    const result = await runGit(projectDir, ['write-tree'], { env, allowExitCodes: [128] });
    return result.exitCode === 0 ? result.stdout.trim() : null;
  });
  if (indexTreeCache.size > 256) indexTreeCache.clear();
  indexTreeCache.set(key, tree);
  return tree;
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const indexTreeCache = new Map<string, string | null>();

const indexPaths = new Map<string, string>();

/** Where the user's index file is (`.git/index`, or the worktree's own); cached, it never moves. */
async function userIndexPath(projectDir: string): Promise<string> {
  const cached = indexPaths.get(projectDir);
  if (cached !== undefined) return cached;
  const indexPath = path.resolve(projectDir, (await runGit(projectDir, ['rev-parse', '--git-path', 'index'])).stdout.trim());
  indexPaths.set(projectDir, indexPath);
  return indexPath;
}

/** Paths that differ between two trees (no rename detection), optionally limited to some paths. */
export async function diffTrees(
  projectDir: string,
  fromTree: string,
  toTree: string,
  limitTo?: ReadonlyArray<string>,
): Promise<TreeChange[]> {
  if (limitTo !== undefined && limitTo.length === 0) return [];
  const args = ['diff-tree', '-r', '-z', '--no-renames', '--name-status', fromTree, toTree];
  if (limitTo !== undefined) args.push('--', ...limitTo);
  const fields = splitNul(
    (await runGit(projectDir, args, { env: { GIT_LITERAL_PATHSPECS: '1' } })).stdout,
  );
  const changes: TreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const code = fields[i] ?? '';
    const file = fields[i + 1] ?? '';
    changes.push({ path: file, status: statusOf(code) });
  }
  return changes;
}

function statusOf(code: string): TreeChange['status'] {
  switch (code[0]) {
    case 'A':
      return 'added';
    case 'D':
      return 'deleted';
    case 'T':
      return 'type-changed';
    default:
      return 'modified';
  }
}

/** What a restore changed on disk. */
export interface RestoreOutcome {
  readonly restoredFiles: ReadonlyArray<string>;
  readonly deletedFiles: ReadonlyArray<string>;
}

/**
 * Makes the working tree match `targetTree` where it differs from `currentTree` (the tree of
 * the working tree right now), limited to `limitTo` when given. Ignored files that are in
 * neither tree are left alone. Writes through a temporary index: the user's index is untouched.
 */
export async function restoreWorkingTree(
  projectDir: string,
  currentTree: string,
  targetTree: string,
  limitTo?: ReadonlyArray<string>,
): Promise<RestoreOutcome> {
  const changes = await diffTrees(projectDir, currentTree, targetTree, limitTo);
  const deletedFiles = changes.filter((change) => change.status === 'deleted').map((change) => change.path);
  const restoredFiles = changes.filter((change) => change.status !== 'deleted').map((change) => change.path);
  for (const file of deletedFiles) await rm(path.join(projectDir, file), { force: true });
  await removeEmptyParents(projectDir, deletedFiles);
  if (restoredFiles.length > 0) {
    // `restore --worktree` writes files (type and executable bit included) without writing any index, and
    // refuses to write through symlinked folders. An empty temporary index keeps the user's out of it entirely.
    await withTemporaryIndex((_indexFile, env) =>
      runGit(
        projectDir,
        ['restore', `--source=${targetTree}`, '--worktree', '--pathspec-from-file=-', '--pathspec-file-nul'],
        { env: { ...env, GIT_LITERAL_PATHSPECS: '1' }, input: `${restoredFiles.join('\0')}\0` },
      ),
    );
  }
  return { restoredFiles, deletedFiles };
}

/** Removes folders left empty by deletions, innermost first, never the project folder itself. */
async function removeEmptyParents(projectDir: string, files: ReadonlyArray<string>): Promise<void> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let dir = path.posix.dirname(file); dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) folders.add(dir);
  }
  const deepestFirst = [...folders].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const folder of deepestFirst) {
    const full = path.join(projectDir, folder);
    const entries = await readdir(full).catch(() => null);
    if (entries !== null && entries.length === 0) await rmdir(full).catch(() => undefined);
  }
}
