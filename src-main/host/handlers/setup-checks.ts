import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findClaude } from '../../agents/claude-cli/find-claude';
import type { ResolvedApiKey } from '../../workspace/api-key';
import { isGitRepository } from '../../workspace/layout';
import { redactSecrets } from '../../workspace/redact';
import { KEYCHAIN_ALTERNATIVE } from '../../workspace/secret-store';

const run = promisify(execFile);

/** One line of the first-run check: what is fine, what is missing, and how to fix it. */
export interface SetupCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix: string | null;
}

/** Lowest Node version the app supports (package.json engines). */
export const MIN_NODE_VERSION: readonly [number, number] = [20, 19];

/** Is this Node new enough? */
export function checkNodeVersion(version: string = process.versions.node): SetupCheck {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE_VERSION[0] || (major === MIN_NODE_VERSION[0] && minor >= MIN_NODE_VERSION[1]);
  return { name: 'Node.js', ok, detail: `Node ${version}`, fix: ok ? null : `Install Node ${MIN_NODE_VERSION.join('.')} or newer.` };
}

/** Is Claude Code installed and runnable (its version)? */
export async function checkClaudeCli(configuredPath?: string): Promise<SetupCheck> {
  try {
    const found = await findClaude(configuredPath === undefined ? {} : { configuredPath });
    const { stdout } = await run(found.path, ['--version'], { timeout: 20_000, env: { ...process.env, DISABLE_AUTOUPDATER: '1' } });
    return { name: 'claude CLI', ok: true, detail: `${stdout.trim()} at ${found.path}`, fix: null };
  } catch (error) {
    return {
      name: 'claude CLI',
      ok: false,
      detail: `Claude Code (\`claude\`) was not found or does not run: ${oneLine(error)}`,
      fix: 'Install it with `npm install -g @anthropic-ai/claude-code`, or set claude_cli.path in orchestrator_config.json (or CLAUDE_CLI_PATH) to its full path.',
    };
  }
}

/** Is git installed and, when a project is given, is it a repository (when git is enabled)? */
export async function checkGit(projectDir?: string, gitEnabled = true): Promise<SetupCheck> {
  let version: string;
  try {
    version = (await run('git', ['--version'], { timeout: 10_000 })).stdout.trim();
  } catch {
    return { name: 'git', ok: false, detail: 'git is not installed.', fix: 'Install git (checkpoints, rollback and worktrees need it), e.g. `sudo apt install git`.' };
  }
  if (projectDir === undefined) return { name: 'git', ok: true, detail: version, fix: null };
  if (await isGitRepository(projectDir)) return { name: 'git', ok: true, detail: `${version}; the project is a git repository`, fix: null };
  return {
    name: 'git',
    ok: !gitEnabled,
    detail: `${version}; the project is not a git repository${gitEnabled ? '' : ' (git is disabled in the config)'}`,
    fix: gitEnabled ? 'In the project folder run `git init && git add -A && git commit -m "Initial commit"` (or set git.enabled to false).' : null,
  };
}

/** Is there an Anthropic API key, from where, and does it look right? */
export function checkApiKey(key: ResolvedApiKey): SetupCheck {
  if (key.source === 'none' || key.key === null) {
    return {
      name: 'API key',
      ok: false,
      detail: 'No Anthropic API key in the environment, the project’s .env or the keychain.',
      fix: 'Paste your key under Settings → Keys and save it to the keychain, or set ANTHROPIC_API_KEY (environment or the project’s .env, mode 600).',
    };
  }
  const where = key.source === 'dotenv' ? 'the project’s .env' : key.source === 'environment' ? 'the environment' : 'the keychain';
  if (key.format !== null && !key.format.valid) {
    return { name: 'API key', ok: false, detail: `The key from ${where} (${key.masked ?? 'masked'}) looks wrong: ${key.format.reason}`, fix: 'Copy the key again from the Anthropic console and save it again.' };
  }
  return { name: 'API key', ok: true, detail: `From ${where} (${key.masked ?? 'masked'})`, fix: null };
}

/** Can keys be kept in the OS keychain? */
export function checkKeychain(available: boolean): SetupCheck {
  return available
    ? { name: 'keychain', ok: true, detail: 'The OS keychain (Secret Service) is available.', fix: null }
    : {
        name: 'keychain',
        ok: false,
        detail: 'The OS keychain (Secret Service) is not available, so keys cannot be saved from the app.',
        fix: `Start a Secret Service (e.g. gnome-keyring) in your session, or: ${KEYCHAIN_ALTERNATIVE}`,
      };
}

function oneLine(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}
