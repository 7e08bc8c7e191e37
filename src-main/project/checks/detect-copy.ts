import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CheckProposal } from '../../../src-shared/rpc/schemas/checks';
import { runGit } from '../../workspace/git';
import { isGitRepository } from '../../workspace/layout';

/** Keys the orchestrator itself reads from .env: a file holding only these is not the project's. */
const ORCHESTRATOR_SECRETS: ReadonlySet<string> = new Set(['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'SLACK_WEBHOOK_URL']);

/** Untracked environment files a project's tests commonly need and a fresh worktree lacks. */
const ENV_FILES = ['.env', '.env.local'];

/**
 * checks.copy proposals: `.env` and `.env.local` when present, git-ignored (so a worktree will not
 * have them) and holding at least one setting of the project's own (the template `co init` writes
 * has none; the orchestrator's API key alone does not count).
 */
export async function detectCopyFiles(projectDir: string): Promise<{ readonly copy: ReadonlyArray<CheckProposal>; readonly notes: ReadonlyArray<string> }> {
  if (!(await isGitRepository(projectDir))) return { copy: [], notes: [] };
  const copy: CheckProposal[] = [];
  const notes: string[] = [];
  for (const name of ENV_FILES) {
    const file = path.join(projectDir, name);
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile()) continue;
    const ignored = (await runGit(projectDir, ['check-ignore', '-q', '--', name], { allowExitCodes: [1] })).exitCode === 0;
    if (!ignored) {
      notes.push(`${name} is not git-ignored, so worktrees get it from git when it is committed; not proposed for copying.`);
      continue;
    }
    const settings = settingNames(await readFile(file, 'utf8'));
    if (settings.length === 0) {
      notes.push(`${name} has no settings (comments only); not proposed for copying.`);
      continue;
    }
    if (settings.every((setting) => ORCHESTRATOR_SECRETS.has(setting))) {
      notes.push(`${name} holds only the orchestrator's own keys (${settings.join(', ')}); not proposed for copying.`);
      continue;
    }
    copy.push({ value: name, source: `${name} is present and git-ignored` });
    if (settings.some((setting) => ORCHESTRATOR_SECRETS.has(setting))) {
      notes.push(`${name} also holds the orchestrator's keys; the agent can read what is copied into its workspace.`);
    }
  }
  return { copy, notes };
}

/** The variable names a dotenv file sets (uncommented KEY=… lines). */
function settingNames(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}
