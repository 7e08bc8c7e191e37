import { lstat, readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { runGit, splitNul } from './git';
import { diffTreesRaw, withTemporaryIndex, type RawTreeChange } from './tree-snapshot';

/** What a restore changed on disk. */
export interface RestoreOutcome {
  readonly restoredFiles: ReadonlyArray<string>;
  readonly deletedFiles: ReadonlyArray<string>;
  /** Paths the target does not have that were left in place because .gitignore (as restored) ignores them. */
  readonly keptIgnoredFiles: ReadonlyArray<string>;
}

/** How `restoreWorkingTree` treats paths the target tree does not have. */
export interface RestoreOptions {
  /** Only these paths (and what is under them). */
  readonly limitTo?: ReadonlyArray<string>;
  /**
   * Leave a path the target lacks when the restored .gitignore files ignore it (FULL and
   * PARTIAL: the checkpoint never recorded ignored files, so it cannot say they were absent).
   */
  readonly keepIgnored: boolean;
}

/** A restore that would destroy something the safety checkpoint did not record; nothing was written. */
export class UnrecordedPathError extends Error {
  override readonly name = 'UnrecordedPathError';
  constructor(
    readonly paths: ReadonlyArray<string>,
    why: string,
  ) {
    const shown = paths.slice(0, 5).map((file) => `"${file}"`).join(', ');
    const more = paths.length > 5 ? ` and ${paths.length - 5} more` : '';
    super(`the rollback would overwrite or delete ${shown}${more}, which the safety checkpoint could not record (${why}); move it out of the project and try again. Nothing was changed on disk.`);
  }
}

const GITLINK = '160000';

/**
 * Makes the working tree match `targetTree` where it differs from `currentTree`, the tree of
 * the working tree right now as the safety checkpoint recorded it. Everything it overwrites or
 * deletes is in `currentTree`: before writing anything it checks that each path it writes is
 * either recorded there or absent on disk, and refuses otherwise (UnrecordedPathError). Files
 * and symlinks standing where a folder must go, and folders where a file must go, are removed
 * first (they are recorded too). Writes go through a temporary index; the user's is untouched.
 */
export async function restoreWorkingTree(projectDir: string, currentTree: string, targetTree: string, options: RestoreOptions): Promise<RestoreOutcome> {
  const changes = await diffTreesRaw(projectDir, currentTree, targetTree, options.limitTo);
  const writes = changes.filter((change) => change.status !== 'deleted');
  const deletes = changes.filter((change) => change.status === 'deleted');
  const writePaths = new Set(writes.map((change) => change.path));
  const writeFolders = new Set(writes.flatMap((change) => parentsOf(change.path)));
  // A deletion is in the way when a write needs its path as a folder, or it lies under a path that becomes a file.
  const inTheWay = (file: string): boolean => writeFolders.has(file) || parentsOf(file).some((folder) => writePaths.has(folder));
  const obstacles = deletes.filter((change) => inTheWay(change.path)).map((change) => change.path);
  const optional = deletes.filter((change) => !inTheWay(change.path)).map((change) => change.path);
  await assertEverythingRecorded(projectDir, changes, new Set(deletes.map((change) => change.path)));

  await removeFiles(projectDir, obstacles);
  // Folders where a file goes now hold nothing but empty folders (checked above).
  for (const change of writes) {
    if (change.status === 'added' && (await kindOnDisk(projectDir, change.path)) === 'dir') await rm(path.join(projectDir, change.path), { recursive: true });
  }
  const restoredFiles = writes.map((change) => change.path);
  if (restoredFiles.length > 0) {
    // `restore --worktree` writes files (type and executable bit included) without writing any index, and
    // refuses to write through symlinked folders. An empty temporary index keeps the user's out of it entirely.
    await withTemporaryIndex((_indexFile, env) =>
      runGit(projectDir, ['restore', `--source=${targetTree}`, '--worktree', '--pathspec-from-file=-', '--pathspec-file-nul'], {
        env: { ...env, GIT_LITERAL_PATHSPECS: '1' },
        input: `${restoredFiles.join('\0')}\0`,
      }),
    );
  }
  // Ignore rules are read after the restore, so they are the target's own .gitignore files.
  const ignored = options.keepIgnored ? await ignoredPaths(projectDir, optional) : new Set<string>();
  const removable = optional.filter((file) => !ignored.has(file));
  await removeFiles(projectDir, removable);
  return { restoredFiles, deletedFiles: [...obstacles, ...removable], keptIgnoredFiles: optional.filter((file) => ignored.has(file)) };
}

/**
 * The promise, checked before anything is written: every path about to be overwritten or
 * deleted is recorded in the current tree (a nested repository is recorded only as a commit
 * id, so it counts as unrecorded), and every path about to be created is absent on disk or a
 * folder holding only recorded files.
 */
async function assertEverythingRecorded(projectDir: string, changes: ReadonlyArray<RawTreeChange>, deleted: ReadonlySet<string>): Promise<void> {
  const nested = changes.filter((change) => change.fromMode === GITLINK && (change.status === 'deleted' || change.toMode !== GITLINK));
  if (nested.length > 0) throw new UnrecordedPathError(nested.map((change) => change.path), 'a nested git repository');
  const unrecorded: string[] = [];
  const checkedFolders = new Set<string>();
  for (const change of changes) {
    if (change.status === 'deleted') continue;
    // Parents: a file or symlink where a folder must go has to be recorded (it is then a deletion);
    // below it, or below a missing folder, there is nothing on disk to lose.
    let parentsAreFolders = true;
    for (const folder of parentsOf(change.path)) {
      const kind = await kindOnDisk(projectDir, folder);
      if (kind === 'other' && !deleted.has(folder) && !checkedFolders.has(folder)) unrecorded.push(folder);
      checkedFolders.add(folder);
      if (kind !== 'dir') {
        parentsAreFolders = false;
        break;
      }
    }
    if (change.status !== 'added' || !parentsAreFolders) continue;
    const kind = await kindOnDisk(projectDir, change.path);
    if (kind === 'other') unrecorded.push(change.path);
    if (kind === 'dir') unrecorded.push(...(await filesUnder(projectDir, change.path)).filter((file) => !deleted.has(file)));
  }
  if (unrecorded.length > 0) throw new UnrecordedPathError(unrecorded, 'it changed while the rollback ran, or git cannot record it');
}

/** Every file and symlink under a folder, project-relative, without following symlinks. */
async function filesUnder(projectDir: string, folder: string): Promise<string[]> {
  const entries = await readdir(path.join(projectDir, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(projectDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

async function kindOnDisk(projectDir: string, file: string): Promise<'dir' | 'other' | 'missing'> {
  const info = await lstat(path.join(projectDir, file)).catch(() => null);
  return info === null ? 'missing' : info.isDirectory() ? 'dir' : 'other';
}

/** The paths .gitignore, .git/info/exclude or core.excludesFile ignore now, whether or not the index tracks them. */
async function ignoredPaths(projectDir: string, files: ReadonlyArray<string>): Promise<Set<string>> {
  if (files.length === 0) return new Set();
  const result = await runGit(projectDir, ['check-ignore', '-z', '--stdin', '--no-index'], { input: `${files.join('\0')}\0`, allowExitCodes: [1] });
  return new Set(splitNul(result.stdout));
}

/** Deletes files and symlinks (never following them), then the folders they leave empty. */
async function removeFiles(projectDir: string, files: ReadonlyArray<string>): Promise<void> {
  for (const file of files) await rm(path.join(projectDir, file), { force: true });
  await removeEmptyParents(projectDir, files);
}

/** Removes folders left empty by deletions, innermost first, never the project folder itself. */
async function removeEmptyParents(projectDir: string, files: ReadonlyArray<string>): Promise<void> {
  const folders = new Set(files.flatMap(parentsOf));
  const deepestFirst = [...folders].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const folder of deepestFirst) {
    const full = path.join(projectDir, folder);
    const entries = await readdir(full).catch(() => null);
    if (entries !== null && entries.length === 0) await rmdir(full).catch(() => undefined);
  }
}

/** The folders a project-relative path lies in, outermost first ("a/b/c" → "a", "a/b"). */
function parentsOf(file: string): string[] {
  const parts = file.split('/');
  return parts.slice(0, -1).map((_part, index) => parts.slice(0, index + 1).join('/'));
}
