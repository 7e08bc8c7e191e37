import { createHash } from 'node:crypto';
import { copyFile, lstat, mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
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

/** Paths a rollback is about to write, given the tree of the working tree; their on-disk entries are recorded too. */
export type CaptureAlso = (workingTree: string) => Promise<ReadonlyArray<string>>;

/**
 * Records the working tree (untracked files included, .gitignore respected, `.orchestrator/`
 * never) as a tree object through a temporary index: the user's index, HEAD and branches are
 * not touched. The temporary index never starts from the user's, so skip-worktree or
 * assume-unchanged bits there cannot hide changes; it starts from the orchestrator's own copy of
 * the last snapshot's (see `seedFromKeptIndex`), else empty. Files the user's index tracks
 * are recorded even when they match .gitignore (git itself never ignores a tracked file), and
 * `captureAlso` names more paths whose on-disk entries (ignored or not) must be in the tree.
 */
export async function snapshotWorkingTree(projectDir: string, captureAlso?: CaptureAlso): Promise<WorkingTreeSnapshot> {
  const [tree, indexTree, head] = await Promise.all([workingTreeObject(projectDir, captureAlso), userIndexTree(projectDir), readHeadCommit(projectDir)]);
  return { tree, indexTree, head };
}

/** Tree object of the working tree alone (see `snapshotWorkingTree`). */
export async function workingTreeObject(projectDir: string, captureAlso?: CaptureAlso): Promise<string> {
  return withTemporaryIndex(async (indexFile, env) => {
    const kept = await seedFromKeptIndex(projectDir, indexFile, env);
    const [added, trackedIgnored] = await Promise.all([
      runGit(projectDir, ['add', '-A', '--', '.', `:(exclude)${ORCHESTRATOR_DIR_NAME}`], { env, allowExitCodes: [1] }),
      // Read from the user's own index (no GIT_INDEX_FILE): tracked files that .gitignore patterns match.
      runGit(projectDir, ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard']),
    ]);
    if (added.exitCode !== 0 && !onlyComplainsAboutIgnoredWorkspace(added.stderr)) {
      throw new GitError(['add', '-A'], added.exitCode, added.stderr);
    }
    // Kept as `add -A` left it: never with the forced paths below, which are this snapshot's alone.
    if (kept !== null) await keepIndex(indexFile, kept);
    await forceAdd(projectDir, env, await entriesOnDisk(projectDir, splitNul(trackedIgnored.stdout)));
    let tree = (await runGit(projectDir, ['write-tree'], { env })).stdout.trim();
    if (captureAlso !== undefined && (await forceAdd(projectDir, env, await entriesOnDisk(projectDir, await captureAlso(tree))))) {
      tree = (await runGit(projectDir, ['write-tree'], { env })).stdout.trim();
    }
    return tree;
  });
}

/**
 * The index of the last snapshot, kept in the project's `.orchestrator/` folder. Hashing every file
 * into an empty index costs ~0.6 s on a 30,000-file repository at every checkpoint; from this copy,
 * `git add -A` hashes only files whose stat data (mtime, ctime, size, inode) changed, as `git add`
 * does with the user's own index. Only `git add -A` ever writes it, so it carries no skip-worktree
 * or assume-unchanged bits.
 */
function keptIndexPath(projectDir: string): string {
  return path.join(projectDir, ORCHESTRATOR_DIR_NAME, 'snapshot.index');
}

/**
 * Starts the temporary index as a copy of the kept one, minus entries that .gitignore now matches
 * (an empty index would never have added them). Returns the kept index's path, or null when this
 * folder has no `.orchestrator/` (the snapshot then starts empty and nothing is kept).
 */
async function seedFromKeptIndex(projectDir: string, indexFile: string, env: Readonly<Record<string, string>>): Promise<string | null> {
  const keptFile = keptIndexPath(projectDir);
  const folder = await lstat(path.dirname(keptFile)).catch(() => null);
  if (folder === null || !folder.isDirectory()) return null;
  const copied = await copyIndexFile(keptFile, indexFile).then(
    () => true,
    () => false,
  );
  if (!copied) return keptFile;
  const nowIgnored = await runGit(projectDir, ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard'], { env, allowExitCodes: [128] });
  if (nowIgnored.exitCode !== 0) {
    // An unreadable copy (a git upgrade, a broken file): start empty, as without one.
    await rm(indexFile, { force: true });
    return keptFile;
  }
  const paths = splitNul(nowIgnored.stdout);
  if (paths.length > 0) {
    await runGit(projectDir, ['rm', '--cached', '-f', '-q', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], {
      env: { ...env, GIT_LITERAL_PATHSPECS: '1' },
      input: `${paths.join('\0')}\0`,
    });
  }
  return keptFile;
}

/** Saves the temporary index as the kept one: a copy renamed into place, so concurrent snapshots never see half a file. */
async function keepIndex(indexFile: string, keptFile: string): Promise<void> {
  const partial = `${keptFile}.${process.pid}.${Date.now()}.tmp`;
  try {
    await copyIndexFile(indexFile, partial);
    await rename(partial, keptFile);
  } catch {
    // Only the next snapshot's speed is lost.
    await rm(partial, { force: true }).catch(() => undefined);
  }
}

/**
 * Copies an index file with its modification time: git takes the index file's mtime as the moment
 * the index was written, and re-reads any file changed in that same second ("racily clean": its
 * stat data cannot tell a later same-size edit apart). A copy stamped with the time of copying would
 * make those entries look settled, and such an edit would be missed.
 */
async function copyIndexFile(from: string, to: string): Promise<void> {
  // Read first: should `from` be replaced meanwhile, the copy gets the older time, which only makes git look at more files.
  const written = await stat(from);
  await copyFile(from, to);
  await utimes(to, written.atime, written.mtime);
}

/** `git add --force` of these paths into the temporary index; false when there were none. */
async function forceAdd(projectDir: string, env: Readonly<Record<string, string>>, paths: ReadonlyArray<string>): Promise<boolean> {
  if (paths.length === 0) return false;
  await runGit(projectDir, ['add', '--force', '--pathspec-from-file=-', '--pathspec-file-nul'], {
    env: { ...env, GIT_LITERAL_PATHSPECS: '1' },
    input: `${paths.join('\0')}\0`,
  });
  return true;
}

/**
 * What is on disk at these paths, as paths `git add` can record: the path itself when it is a
 * file, a symlink or a folder (recorded whole), or the first of its parents that is not a
 * folder (a file or symlink standing where a folder would have to go). Missing paths and
 * anything under `.orchestrator/` or `.git/` are left out.
 */
export async function entriesOnDisk(projectDir: string, paths: ReadonlyArray<string>): Promise<string[]> {
  const found = new Set<string>();
  const kinds = new Map<string, 'dir' | 'other' | 'missing'>();
  const kindOf = async (relative: string): Promise<'dir' | 'other' | 'missing'> => {
    const known = kinds.get(relative);
    if (known !== undefined) return known;
    const info = await lstat(path.join(projectDir, relative)).catch(() => null);
    const kind = info === null ? 'missing' : info.isDirectory() ? 'dir' : 'other';
    kinds.set(relative, kind);
    return kind;
  };
  for (const file of paths) {
    const parts = file.split('/');
    if (parts[0] === ORCHESTRATOR_DIR_NAME || parts[0] === '.git' || parts.includes('..') || parts.includes('')) continue;
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const prefix = parts.slice(0, depth).join('/');
      const kind = await kindOf(prefix);
      if (kind === 'missing') break;
      if (kind === 'other' || depth === parts.length) {
        found.add(prefix);
        break;
      }
    }
  }
  return [...found];
}

/**
 * `git add` exits 1 when an exclude pathspec names an ignored folder, although it added
 * everything else; that (and only that) is not a failure.
 */
function onlyComplainsAboutIgnoredWorkspace(stderr: string): boolean {
  // Warnings (an embedded repository, line endings) come with exit 0 on their own; they are not the failure either.
  const lines = stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('hint:') && !line.startsWith('warning:'));
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

/** One path that differs between two trees, with both sides' mode and object ('000000' / null on the missing side). */
export interface RawTreeChange extends TreeChange {
  readonly fromMode: string;
  readonly toMode: string;
  readonly fromObject: string | null;
  readonly toObject: string | null;
}

/** Paths that differ between two trees (no rename detection), optionally limited to some paths. */
export async function diffTrees(
  projectDir: string,
  fromTree: string,
  toTree: string,
  limitTo?: ReadonlyArray<string>,
): Promise<TreeChange[]> {
  return (await diffTreesRaw(projectDir, fromTree, toTree, limitTo)).map(({ path: file, status }) => ({ path: file, status }));
}

const NO_OBJECT = /^0+$/;

/** `diffTrees` with modes and objects (`git diff-tree --raw`). */
export async function diffTreesRaw(
  projectDir: string,
  fromTree: string,
  toTree: string,
  limitTo?: ReadonlyArray<string>,
): Promise<RawTreeChange[]> {
  if (limitTo !== undefined && limitTo.length === 0) return [];
  const args = ['diff-tree', '-r', '-z', '--no-renames', '--raw', '--abbrev=40', fromTree, toTree];
  if (limitTo !== undefined) args.push('--', ...limitTo);
  const fields = splitNul((await runGit(projectDir, args, { env: { GIT_LITERAL_PATHSPECS: '1' } })).stdout);
  const changes: RawTreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    // ":<from mode> <to mode> <from object> <to object> <status>", then the path.
    const [fromMode = '', toMode = '', fromObject = '', toObject = '', code = ''] = (fields[i] ?? '').replace(/^:/, '').split(' ');
    changes.push({
      path: fields[i + 1] ?? '',
      status: statusOf(code),
      fromMode,
      toMode,
      fromObject: NO_OBJECT.test(fromObject) ? null : fromObject,
      toObject: NO_OBJECT.test(toObject) ? null : toObject,
    });
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
