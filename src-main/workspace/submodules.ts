import { stat } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from './git';

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
  if (!(await exists(path.join(folder, '.gitmodules')))) return null;
  const listed = await runGit(folder, ['config', '-f', '.gitmodules', '--get-regexp', String.raw`^submodule\..*\.path$`], { allowExitCodes: [1] });
  const overrides: string[] = [];
  const paths: string[] = [];
  for (const line of listed.stdout.split('\n')) {
    const match = /^submodule\.(.+)\.path (.+)$/.exec(line.trim());
    if (match === null) continue;
    const [, name = '', subPath = ''] = match;
    const own = path.join(projectDir, subPath);
    if (!(await exists(path.join(own, '.git')))) continue;
    overrides.push('-c', `submodule.${name}.url=${own}`);
    paths.push(subPath);
  }
  if (paths.length === 0) return null;
  const updated = await runGit(folder, ['-c', 'protocol.file.allow=always', ...overrides, 'submodule', 'update', '--init', '--force', '--quiet', '--', ...paths], { allowExitCodes: [1, 128] });
  if (updated.exitCode !== 0) return `the submodules could not be checked out (${firstLine(updated.stderr)}); their folders may be empty or stale`;
  const cleaned = await runGit(folder, ['submodule', 'foreach', '--quiet', 'git clean -q -ffd'], { allowExitCodes: [1, 128] });
  if (cleaned.exitCode !== 0) return `untracked files in the submodules could not be removed (${firstLine(cleaned.stderr)})`;
  return null;
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
