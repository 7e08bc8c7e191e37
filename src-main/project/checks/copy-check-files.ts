import { chmod, cp, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { runGit, splitNul } from '../../workspace/git';
import { isGitRepository } from '../../workspace/layout';

/** What copying checks.copy into a workspace did. */
export interface CopyCheckFilesResult {
  /** Paths copied, relative to the project root, as listed. */
  readonly copied: ReadonlyArray<string>;
  /** One line per listed path that was skipped, and why. */
  readonly notes: ReadonlyArray<string>;
}

/** A checks.copy entry that points outside the project; nothing was copied. */
export class CheckCopyPathError extends Error {
  override readonly name = 'CheckCopyPathError';
}

/**
 * Copies the listed untracked files (or folders), e.g. `.env`, from the project into a workspace,
 * keeping their permission bits (a 600 file stays 600). Paths must stay inside the project (a
 * symlink inside it is followed: its target's content is copied). Missing paths and paths git
 * tracks (the workspace has them already) are skipped with a note.
 */
export async function copyCheckFiles(projectDir: string, workspaceDir: string, files: ReadonlyArray<string>): Promise<CopyCheckFilesResult> {
  const root = path.resolve(projectDir);
  const entries = files.map((file) => ({ file, source: insideProject(root, file) }));
  const tracked = await trackedPaths(root, entries.map((entry) => entry.file));
  const copied: string[] = [];
  const notes: string[] = [];
  for (const { file, source } of entries) {
    const info = await stat(source).catch(() => null);
    if (info === null) {
      notes.push(`checks.copy: ${file} does not exist in the project; skipped.`);
      continue;
    }
    if (tracked.has(file)) {
      notes.push(`checks.copy: ${file} is tracked by git, so the workspace has it already; skipped.`);
      continue;
    }
    const target = path.join(path.resolve(workspaceDir), path.relative(root, source));
    await mkdir(path.dirname(target), { recursive: true });
    await cp(source, target, { recursive: true, force: true, dereference: true, preserveTimestamps: true });
    if (info.isFile()) await chmod(target, info.mode & 0o7777);
    copied.push(file);
  }
  return { copied, notes };
}

/**
 * Git pathspecs that keep the copied files out of a commit: `git add -A -- . <pathspecs>` stages
 * everything else. `top` anchors them at the repository root, `literal` keeps `*` or `?` in a name
 * from acting as a wildcard.
 */
export function commitExcludePathspecs(files: ReadonlyArray<string>): string[] {
  return files.map((file) => `:(top,exclude,literal)${toPosix(path.normalize(file)).replace(/^\.\/|\/$/g, '')}`);
}

/** The absolute path of a checks.copy entry; throws when it leaves the project. */
function insideProject(root: string, file: string): string {
  const resolved = path.resolve(root, file);
  const relative = path.relative(root, resolved);
  if (path.isAbsolute(file) || relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new CheckCopyPathError(`checks.copy: "${file}" is not a path inside the project; list paths relative to the project root (e.g. ".env").`);
  }
  return resolved;
}

/** Which of the listed paths git tracks in the project (none when it is not a repository). */
async function trackedPaths(root: string, files: ReadonlyArray<string>): Promise<ReadonlySet<string>> {
  if (files.length === 0 || !(await isGitRepository(root))) return new Set();
  const tracked = new Set<string>();
  for (const file of files) {
    const listed = await runGit(root, ['ls-files', '-z', '--', `:(top,literal)${toPosix(path.normalize(file))}`]);
    if (splitNul(listed.stdout).length > 0) tracked.add(file);
  }
  return tracked;
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
