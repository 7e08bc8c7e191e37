import { stat } from 'node:fs/promises';
import path from 'node:path';
import { runGit, splitNul } from './git';

/** A submodule as a worktree's `.gitmodules` names it. */
interface Submodule {
  readonly name: string;
  readonly path: string;
}

/** Every submodule a worktree's `.gitmodules` names (initialised or not); none without the file. */
async function listSubmodules(folder: string): Promise<ReadonlyArray<Submodule>> {
  if (!(await exists(path.join(folder, '.gitmodules')))) return [];
  const listed = await runGit(folder, ['config', '-f', '.gitmodules', '--get-regexp', String.raw`^submodule\..*\.path$`], { allowExitCodes: [1] });
  return listed.stdout.split('\n').flatMap((line) => {
    const match = /^submodule\.(.+)\.path (.+)$/.exec(line.trim());
    return match === null ? [] : [{ name: match[1] ?? '', path: match[2] ?? '' }];
  });
}

/**
 * Checks out, in a worktree of the project (an attempt's pool slot, the merge checkout), the
 * submodules the user has initialised in their own checkout, at the commits the worktree's HEAD
 * records — so an attempt and the checks see the project as the user's build does, instead of
 * empty submodule folders. Each is cloned from the user's own copy of it (no network; git keeps the
 * clone per worktree, so a pool slot pays it once), forced to the recorded commit and cleaned of
 * untracked files a previous attempt left. Submodules the user has not initialised stay empty, as
 * in their checkout; nested submodules are not followed. Returns null when done (or there is none),
 * else one line saying what could not be checked out: the attempt goes on without it.
 */
export async function checkOutSubmodules(folder: string, projectDir: string): Promise<string | null> {
  const overrides: string[] = [];
  const paths: string[] = [];
  for (const submodule of await listSubmodules(folder)) {
    const own = path.join(projectDir, submodule.path);
    if (!(await exists(path.join(own, '.git')))) continue;
    overrides.push('-c', `submodule.${submodule.name}.url=${own}`);
    paths.push(submodule.path);
  }
  if (paths.length === 0) return null;
  const updated = await runGit(folder, ['-c', 'protocol.file.allow=always', ...overrides, 'submodule', 'update', '--init', '--force', '--quiet', '--', ...paths], { allowExitCodes: [1, 128] });
  if (updated.exitCode !== 0) return `the submodules could not be checked out (${firstLine(updated.stderr)}); their folders may be empty or stale`;
  const cleaned = await runGit(folder, ['submodule', 'foreach', '--quiet', 'git clean -q -ffd'], { allowExitCodes: [1, 128] });
  if (cleaned.exitCode !== 0) return `untracked files in the submodules could not be removed (${firstLine(cleaned.stderr)})`;
  return null;
}

/** The paths of every submodule a worktree's `.gitmodules` names (initialised or not). */
export async function submodulePaths(folder: string): Promise<ReadonlyArray<string>> {
  return (await listSubmodules(folder)).map((submodule) => submodule.path);
}

/** Which of these submodules differ in a worktree from what its HEAD records: changed or new files inside, or another commit checked out. */
export async function changedSubmodules(folder: string, paths: ReadonlyArray<string>): Promise<ReadonlyArray<string>> {
  if (paths.length === 0) return [];
  const status = await runGit(folder, ['status', '--porcelain=v2', '-z', '--ignore-submodules=none', '--', ...paths], { allowExitCodes: [128] });
  if (status.exitCode !== 0) return [];
  // Ordinary entries: "1 XY S<c><m><u> …<path>"; a submodule's has S in the third field.
  return splitNul(status.stdout)
    .filter((entry) => /^1 \S\S S/.test(entry))
    .map((entry) => entry.split(' ').slice(8).join(' '));
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? 'git failed';
}
